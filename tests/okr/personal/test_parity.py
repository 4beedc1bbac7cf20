"""Page and API agree on personal OKRs: every role x write, done both ways on identical data.

The same idea as tests/project/test_policy_parity.py for the "personal" state: for each
person (admin, leadership, the team's lead, the owner, who is in the team, and the lead
of another team) and each write the My OKRs page (or an OKR page it links to) and the API
both offer, a fresh world is built twice inside rolled-back savepoints, the write is
done once through the page (a plain form post) and once through the API, and the outcome
(ok, 403, 409) and the resulting rows must be the same. The expected answers are
tests/accounts/test_policy.py's PERSONAL_TABLE; this proves the two doors agree.
"""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.models import CheckIn, KeyResult, Objective
from okr.personal import services
from tests.support.api import api, session_api
from tests.support.factories import (
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    year_and_quarter,
)

ROLES = ("admin", "leadership", "lead", "owner", "other")
EXPECTED = {  # action: the roles allowed (everyone else: 403 both ways)
    "create": {"lead", "owner"},
    "edit objective": {"owner"},
    "archive objective": {"owner", "admin", "leadership"},
    "add key result": {"owner"},
    "edit key result": {"owner"},
    "archive key result": {"owner"},
    "check in": {"owner"},
}


def build(cast):
    org = cast.org
    org.personal_okrs = True
    org.save(update_fields=["personal_okrs"])
    other = UserFactory(email="olle@acme.example")
    MembershipFactory(organisation=org, user=other, role=Membership.Role.MEMBER)
    TeamMembershipFactory(
        team=TeamFactory(organisation=org, name="Ekonomi"), user=other, is_lead=True
    )
    _year, quarter = year_and_quarter(org)
    team_objective = ObjectiveFactory(
        organisation=org,
        cycle=quarter,
        level=Objective.Level.TEAM,
        team=cast.team,
        title="Etablera oss i Norge",
        status=Objective.Status.APPROVED,
    )
    objective = services.personal_objective_create(
        organisation=org,
        author=cast.member,
        title="Boka fler möten",
        parent_objective=team_objective,
    )
    kr = services.personal_key_result_create(
        objective=objective,
        author=cast.member,
        title="10 möten",
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(10),
        unit="möten",
    )
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "owner": cast.member,
        "other": other,
    }
    return {
        "org": org,
        "people": people,
        "parent": team_objective,
        "objective": objective,
        "kr": kr,
    }


def snapshot(org) -> dict:
    return {
        "objectives": sorted(
            (o.level, o.title, o.why, o.status, o.version, o.owner_id, o.team_id)
            + (o.parent_objective.title if o.parent_objective else None,)
            for o in Objective.objects.filter(organisation=org).select_related("parent_objective")
        ),
        "key_results": sorted(
            (kr.objective.title, kr.title, kr.kind, str(kr.target_value), str(kr.current_value))
            + (kr.unit, kr.archived, kr.version, kr.owner_id, kr.confidence)
            for kr in KeyResult.objects.filter(organisation=org).select_related("objective")
        ),
        "check_ins": sorted(
            (c.key_result.title, str(c.value), c.confidence, c.note, c.author_id)
            for c in CheckIn.objects.filter(organisation=org).select_related("key_result")
        ),
    }


def page(name, *args):
    return reverse(f"okr:{name}", args=["acme", *args])


NEW_KR = {
    "title": "5 offerter",
    "kind": "metric",
    "unit": "offerter",
    "direction": "increase",
    "start_value": "0",
    "target_value": "5",
    "commitment": "aspirational",
}


def _kr_form(w, **changes):
    kr = w["kr"]
    data = {
        **NEW_KR,
        "title": kr.title,
        "unit": kr.unit,
        "target_value": "10",
        "due_date": "",
        "steps_total": "",
        "rollup": "none",
        "owner": kr.owner_id,
        "version": kr.version,
    }
    return data | changes


ACTIONS = {
    "create": (
        lambda w, c: c.post(
            page("personal_objective_new"),
            {"title": "Lära mig CRM", "why": "", "parent": f"o:{w['parent'].uuid}"},
        ),
        lambda w, c: c.post(
            api("acme", "objectives/"),
            {
                "cycle": str(w["parent"].cycle.uuid),
                "level": "personal",
                "title": "Lära mig CRM",
                "parent_objective": str(w["parent"].uuid),
            },
        ),
    ),
    "edit objective": (
        lambda w, c: c.post(
            page("objective_edit", w["objective"].uuid),
            {
                "title": "Boka många möten",
                "why": "",
                "owner": w["objective"].owner_id,
                "version": w["objective"].version,
            },
        ),
        lambda w, c: c.patch(
            api("acme", f"objectives/{w['objective'].uuid}/"),
            {"version": w["objective"].version, "title": "Boka många möten"},
        ),
    ),
    "archive objective": (
        lambda w, c: c.post(page("personal_objective_archive", w["objective"].uuid)),
        lambda w, c: c.delete(api("acme", f"objectives/{w['objective'].uuid}/")),
    ),
    "add key result": (
        lambda w, c: c.post(page("personal_key_result_new", w["objective"].uuid), NEW_KR),
        lambda w, c: c.post(
            api("acme", "key-results/"), {"objective": str(w["objective"].uuid), **NEW_KR}
        ),
    ),
    "edit key result": (
        lambda w, c: c.post(page("key_result_edit", w["kr"].uuid), _kr_form(w, title="12 möten")),
        lambda w, c: c.patch(
            api("acme", f"key-results/{w['kr'].uuid}/"),
            {"version": w["kr"].version, "title": "12 möten"},
        ),
    ),
    "archive key result": (
        lambda w, c: c.post(page("personal_key_result_archive", w["kr"].uuid)),
        lambda w, c: c.delete(api("acme", f"key-results/{w['kr'].uuid}/")),
    ),
    "check in": (
        lambda w, c: c.post(
            page("key_result_check_in", w["kr"].uuid),
            {"value": "3", "confidence": "on_track", "note": "Tre möten"},
        ),
        lambda w, c: c.post(
            api("acme", "check-ins/"),
            {
                "key_result": str(w["kr"].uuid),
                "value": "3",
                "confidence": "on_track",
                "note": "Tre möten",
            },
        ),
    ),
}
CASES = [(role, action) for action in ACTIONS for role in ROLES]


class _RolledBack(Exception):
    pass


def attempt(cast, role, action, *, via_page):
    try:
        with transaction.atomic():
            world = build(cast)
            before = snapshot(world["org"])
            person = world["people"][role]
            client = client_for(person) if via_page else session_api(person)
            response = ACTIONS[action][0 if via_page else 1](world, client)
            code = response.status_code
            if code in (403, 404, 409):
                result = str(code)
            elif via_page:
                result = "ok" if code == 302 else f"page {code}"
            else:
                result = "ok" if code in (200, 201, 204) else f"api {code}"
            said = (
                html.unescape(response.content.decode())
                if via_page
                else (response.json() or {}).get("detail", "")
                if response.content
                else ""
            )
            raise _RolledBack(result, before, snapshot(world["org"]), said)
    except _RolledBack as done:
        return done.args


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{a}-{r}" for r, a in CASES])
def test_page_and_api_agree_on_personal_okrs(cast, role, action):
    by_page, before_page, after_page, page_said = attempt(cast, role, action, via_page=True)
    by_api, before_api, after_api, api_said = attempt(cast, role, action, via_page=False)
    expected = "ok" if role in EXPECTED[action] else "403"
    assert (by_page, by_api) == (expected, expected)
    if expected == "403":
        assert api_said and api_said in page_said  # refused in the same words
        assert after_page == before_page
    else:
        assert after_page != before_page
    # The same rows both ways (people and teams are the cast's in both worlds).
    assert after_page == after_api
