"""Page and API agree: every role x status x action, done both ways on fresh identical data.

For each person (admin, leadership, the team's lead, a member of the team, a lead
of another team, the owner of the objective and its key result who is in no team),
each state of the objective under test (a team objective in each status, and a
strategic one) and each write that both a page and the API offer, the test builds
the same small organisation twice (each time inside a savepoint that is rolled
back), does the write once through the page (a plain form post) and once through
the API, and asserts the same outcome (allowed, or refused for the same reason:
403 for the person, 409 for the object's state) and the same resulting rows:
objective fields, key results, check-ins, initiatives and the status history
(``ObjectiveEvent``), compared without ids, so both worlds can be set side by side.

The expected answers themselves are ``tests/accounts/test_policy.py``'s table; this
test proves the two doors lead to the same room. The page answers 404 (not 409) for
an archived team objective: the workshop no longer shows it; both still refuse.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.models import CheckIn, Initiative, KeyResult, Objective, ObjectiveEvent
from tests.support.api import api, session_api
from tests.support.factories import (
    CycleFactory,
    InitiativeFactory,
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "other", "owner")
STATUSES = ("draft", "proposed", "changes_requested", "approved", "archived", "strategic")


@dataclass
class World:
    """One organisation as the action finds it; ``objective`` is the one acted on."""

    org: object
    people: dict
    team: object
    year: object
    quarter: object
    parent: object
    other_parent: object
    objective: object
    kr: object
    initiative: object

    @property
    def strategic(self) -> bool:
        return self.objective.level == Objective.Level.STRATEGIC


def build(cast, status: str) -> World:
    org = cast.org
    other, owner = UserFactory(email="olle@acme.example"), UserFactory(email="agnes@acme.example")
    for person in (other, owner):
        MembershipFactory(organisation=org, user=person, role=Membership.Role.MEMBER)
    TeamMembershipFactory(
        team=TeamFactory(organisation=org, name="Ekonomi"), user=other, is_lead=True
    )
    year, quarter = year_and_quarter(org)
    parent = strategic_objective(org, year, title="Marknadstest i Norge")
    other_parent = strategic_objective(org, year, title="Leverera branschens bästa upplevelse")
    if status == "strategic":
        objective = strategic_objective(org, year, title="Tillväxt", owner=owner)
    else:
        objective = Objective.objects.create(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team=cast.team,
            owner=owner,
            title="Etablera oss i Norge",
            status=status,
            parent_objective=parent,
            alignment=Objective.Alignment.DIRECT,
            order=1,
        )
    kr = metric_kr(objective, title="5 pilotkunder", owner=owner, start=0, target=5, unit="kunder")
    initiative = InitiativeFactory(key_result=kr, title="Ringa", owner=owner)
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "other": other,
        "owner": owner,
    }
    return World(
        org, people, cast.team, year, quarter, parent, other_parent, objective, kr, initiative
    )


# --- The rows, without ids ---------------------------------------------------------------------------


def _who(user) -> str | None:
    return user.email if user else None


def _without_ids(change: dict) -> dict:
    return {k: v for k, v in change.items() if k != "uuid"}


def snapshot(org) -> dict:
    """Every row the writes touch, by what it says rather than its id."""
    objectives = Objective.objects.filter(organisation=org).select_related(
        "owner", "team", "parent_objective", "parent_key_result"
    )
    key_results = KeyResult.objects.filter(organisation=org).select_related("objective", "owner")
    return {
        "objectives": sorted(
            (
                o.level,
                o.title,
                o.why,
                o.status,
                o.version,
                _who(o.owner),
                o.team.name if o.team else None,
                o.parent_objective.title if o.parent_objective else None,
                o.parent_key_result.title if o.parent_key_result else None,
                o.alignment,
                o.order,
            )
            for o in objectives
        ),
        "key_results": sorted(
            (
                kr.objective.title,
                kr.title,
                kr.kind,
                str(kr.start_value),
                str(kr.target_value),
                str(kr.current_value),
                kr.unit,
                kr.direction,
                kr.commitment,
                kr.archived,
                kr.version,
                _who(kr.owner),
                kr.confidence,
                kr.order,
                str(kr.weight),
            )
            for kr in key_results
        ),
        "check_ins": sorted(
            (c.key_result.title, str(c.value), c.confidence, c.note, _who(c.author))
            for c in CheckIn.objects.filter(organisation=org).select_related("key_result", "author")
        ),
        "initiatives": sorted(
            (i.key_result.title, i.title, i.status, _who(i.owner))
            for i in Initiative.objects.filter(organisation=org).select_related(
                "key_result", "owner"
            )
        ),
        "events": sorted(
            (
                e.objective.title,
                e.kind,
                e.from_status,
                e.to_status,
                _who(e.author),
                e.comment,
                repr([_without_ids(change) for change in e.changes or []]),
            )
            for e in ObjectiveEvent.objects.filter(organisation=org).select_related(
                "objective", "author"
            )
        ),
    }


# --- The writes, through the page and through the API --------------------------------------------


def page(name: str, code) -> str:
    return reverse(f"okr:{name}", args=["acme", code])


def objective_form(w: World, **changes) -> dict:
    o = w.objective
    if w.strategic:
        data = {"title": o.title, "why": o.why, "owner": o.owner_id, "version": o.version}
    else:
        data = {
            "quarter": str(w.quarter.uuid),
            "title": o.title,
            "why": o.why,
            "owner": o.owner_id,
            "parent": f"objective:{w.parent.uuid}",
            "alignment": o.alignment,
            "version": o.version,
        }
    return data | changes


def kr_form(w: World, kr=None, **changes) -> dict:
    data = {
        "title": "10 intervjuer",
        "kind": "metric",
        "unit": "intervjuer",
        "direction": "increase",
        "start_value": "0",
        "target_value": "10",
        "due_date": "",
        "steps_total": "",
        "commitment": "aspirational",
        "rollup": "none",
        "owner": "",
    }
    if kr is not None:
        data |= {
            "title": kr.title,
            "unit": kr.unit,
            "start_value": "0",
            "target_value": "5",
            "commitment": kr.commitment,
            "owner": kr.owner_id,
            "version": kr.version,
        }
    return data | changes


def edit_page(w: World, client, **changes):
    name = "objective_edit" if w.strategic else "workshop_objective_edit"
    return client.post(page(name, w.objective.uuid), objective_form(w, **changes))


def kr_page(w: World, client, name: str, kr=None, **changes):
    prefix = "" if w.strategic else "workshop_"
    code = (kr or w.objective).uuid
    return client.post(page(f"{prefix}{name}", code), kr_form(w, kr, **changes))


def archive_page(w: World, client, what: str, obj):
    prefix = "" if w.strategic else "workshop_"
    return client.post(page(f"{prefix}{what}_archive", obj.uuid))


def create_page(w: World, client):
    if w.strategic:
        data = {"year": w.year.year, "title": "Nytt strategiskt mål", "why": "", "owner": ""}
        return client.post(reverse("okr:objective_new", args=["acme"]), data)
    data = objective_form(w, title="Nytt teammål", owner="", version="", alignment="indirect")
    return client.post(page("workshop_objective_new", w.team.uuid), data)


def create_api(w: World, client):
    body = {"cycle": str(w.year.uuid), "level": "strategic", "title": "Nytt strategiskt mål"}
    if not w.strategic:
        body = {
            "cycle": str(w.quarter.uuid),
            "level": "team",
            "team": str(w.team.uuid),
            "title": "Nytt teammål",
            "parent_objective": str(w.parent.uuid),
        }
    return client.post(api("acme", "objectives/"), body)


def _obj(w):
    return api("acme", f"objectives/{w.objective.uuid}/")


def _kr(w):
    return api("acme", f"key-results/{w.kr.uuid}/")


NEW_KR = {
    "title": "10 intervjuer",
    "kind": "metric",
    "unit": "intervjuer",
    "direction": "increase",
    "start_value": "0",
    "target_value": "10",
    "commitment": "aspirational",
}

# name: (the page's write, the API's write, only on team objectives)
ACTIONS = {
    "edit objective": (
        lambda w, c: edit_page(w, c, title="Norge först"),
        lambda w, c: c.patch(_obj(w), {"version": w.objective.version, "title": "Norge först"}),
        False,
    ),
    "change parent": (
        lambda w, c: edit_page(w, c, parent=f"objective:{w.other_parent.uuid}"),
        lambda w, c: c.patch(
            _obj(w),
            {"version": w.objective.version, "parent_objective": str(w.other_parent.uuid)},
        ),
        True,
    ),
    "archive objective": (
        lambda w, c: archive_page(w, c, "objective", w.objective),
        lambda w, c: c.delete(_obj(w)),
        False,
    ),
    "add key result": (
        lambda w, c: kr_page(w, c, "key_result_new"),
        lambda w, c: c.post(
            api("acme", "key-results/"), {"objective": str(w.objective.uuid), **NEW_KR}
        ),
        False,
    ),
    "edit key result": (
        lambda w, c: kr_page(w, c, "key_result_edit", w.kr, title="5 signerade pilotkunder"),
        lambda w, c: c.patch(_kr(w), {"version": w.kr.version, "title": "5 signerade pilotkunder"}),
        False,
    ),
    "change target": (
        lambda w, c: kr_page(w, c, "key_result_edit", w.kr, target_value="2"),
        lambda w, c: c.patch(_kr(w), {"version": w.kr.version, "target_value": "2"}),
        False,
    ),
    # Material on an approved team objective (accounts.policy MATERIAL_FIELDS).
    "change weight": (
        lambda w, c: kr_page(w, c, "key_result_edit", w.kr, target_value="5", weight="2,5"),
        lambda w, c: c.patch(_kr(w), {"version": w.kr.version, "weight": "2,5"}),
        False,
    ),
    "archive key result": (
        lambda w, c: archive_page(w, c, "key_result", w.kr),
        lambda w, c: c.delete(_kr(w)),
        False,
    ),
    "check in": (
        lambda w, c: c.post(
            page("key_result_check_in", w.kr.uuid),
            {"value": "3", "confidence": "at_risk", "note": "Två avtal klara"},
        ),
        lambda w, c: c.post(
            api("acme", "check-ins/"),
            {
                "key_result": str(w.kr.uuid),
                "value": "3",
                "confidence": "at_risk",
                "note": "Två avtal klara",
            },
        ),
        False,
    ),
    "add initiative": (
        lambda w, c: c.post(
            page("initiative_new", w.kr.uuid), {"title": "Mässa i Oslo", "owner": ""}
        ),
        lambda w, c: c.post(
            api("acme", "initiatives/"), {"key_result": str(w.kr.uuid), "title": "Mässa i Oslo"}
        ),
        False,
    ),
    "initiative status": (
        lambda w, c: c.post(page("initiative_status", w.initiative.uuid), {"status": "done"}),
        lambda w, c: c.patch(api("acme", f"initiatives/{w.initiative.uuid}/"), {"status": "done"}),
        False,
    ),
    "create objective": (create_page, create_api, False),
    # Next year (okr/years): carry the strategic objective on; start next year with it.
    "carry on": (
        lambda w, c: c.post(page("objective_carry_on", w.objective.uuid)),
        lambda w, c: c.post(api("acme", f"objectives/{w.objective.uuid}/carry-on/")),
        False,
    ),
    "start next year": (
        lambda w, c: c.post(
            reverse("okr:year_start", args=["acme"]),
            {
                "from_year": str(w.year.year),
                "year": str(w.year.year + 1),
                "carry": [str(w.objective.uuid)],
            },
        ),
        lambda w, c: c.post(
            api("acme", "years/start/"),
            {"year": w.year.year + 1, "carry": [str(w.objective.uuid)]},
        ),
        False,
    ),
}
#: The states an action is tried in, where not every one (``STATUSES``).
ACTION_STATUSES = {
    "create objective": ("draft", "strategic"),
    "carry on": ("strategic",),
    "start next year": ("strategic",),
}
CASES = [
    (role, status, action)
    for action, (_page, _api, team_only) in ACTIONS.items()
    for status in ACTION_STATUSES.get(action, STATUSES)
    if not (team_only and status == "strategic")
    for role in ROLES
]


def outcome(response, *, via_page: bool) -> str:
    """ok, or why not: 403 (the person), 409 (the state), 404 (not shown there)."""
    code = response.status_code
    if code in (403, 404, 409):
        return str(code)
    if via_page:
        # A successful plain form post redirects; a page shown again means it did not save.
        return "ok" if code == 302 else f"page {code}"
    return "ok" if code in (200, 201, 204) else f"api {code}"


class _RolledBack(Exception):
    pass


def attempt(cast, role: str, status: str, action: str, *, via_page: bool):
    """Build a fresh world, write once, read the rows; then roll the world back."""
    try:
        with transaction.atomic():
            world = build(cast, status)
            before = snapshot(world.org)
            person = world.people[role]
            write = ACTIONS[action][0 if via_page else 1]
            client = client_for(person) if via_page else session_api(person)
            response = write(world, client)
            said = (
                html.unescape(response.content.decode())
                if via_page
                else (response.json() or {}).get("detail", "")
                if response.content
                else ""
            )
            result = outcome(response, via_page=via_page)
            raise _RolledBack(result, before, snapshot(world.org), said)
    except _RolledBack as done:
        return done.args


@pytest.mark.parametrize(
    ("role", "status", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_page_and_api_agree(cast, role, status, action):
    by_page, before_page, after_page, page_said = attempt(cast, role, status, action, via_page=True)
    by_api, before_api, after_api, api_said = attempt(cast, role, status, action, via_page=False)
    assert before_page == before_api  # the same world twice
    assert by_page.startswith(("ok", "403", "404", "409")), by_page
    assert by_api.startswith(("ok", "403", "404", "409")), by_api
    assert (by_page == "ok") == (by_api == "ok"), (by_page, by_api)
    if "404" not in (by_page, by_api):
        assert by_page == by_api  # refused for the same reason: the person, or the state
    if by_api in ("403", "409") and by_page == by_api:
        assert api_said and api_said in page_said  # and in the same words
    assert after_page == after_api  # the same rows, status history included
    if by_page == "ok":
        assert after_page != before_page  # an allowed write wrote
    else:
        assert after_page == before_page  # a refused one wrote nothing


def test_the_matrix_covers_every_role_status_and_shared_write():
    """The size the README's closing note reports: roles x statuses x actions."""
    assert len(ROLES) == 6 and len(STATUSES) == 6 and len(ACTIONS) == 14
    # 10 actions in every status, 1 team-only, create (2), carry on and start next year (1 each).
    assert len(CASES) == 6 * (6 * 10 + 5 * 1 + 2 * 1 + 1 + 1)


def test_a_team_objective_from_the_api_is_checked_and_recorded_like_the_workshops(cast):
    """One service function: the same-year parent check and the first status event."""
    year, quarter = year_and_quarter(cast.org)
    next_year = CycleFactory(organisation=cast.org, year=year.year + 1)
    elsewhere = strategic_objective(cast.org, next_year, title="Nästa års mål")
    body = {
        "cycle": str(quarter.uuid),
        "level": "team",
        "team": str(cast.team.uuid),
        "title": "Fel år",
        "parent_objective": str(elsewhere.uuid),
    }
    response = session_api(cast.lead).post(api("acme", "objectives/"), body)
    assert response.status_code == 400 and "same year" in response.json()["parent_objective"][0]
    assert not Objective.objects.filter(title="Fel år").exists()
    body |= {"title": "Rätt år", "parent_objective": str(strategic_objective(cast.org, year).uuid)}
    created = session_api(cast.lead).post(api("acme", "objectives/"), body)
    assert created.status_code == 201, created.content
    event = ObjectiveEvent.objects.get(objective__uuid=created.json()["id"])
    assert (event.from_status, event.to_status, event.author) == ("", "draft", cast.lead)
