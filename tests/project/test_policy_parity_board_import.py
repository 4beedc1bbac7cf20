"""Page and API agree on issue 14's other writes: board links, the import, actions, next year.

The method of tests/project/test_policy_parity.py and test_policy_parity_conversation.py:
for each person (admin, leadership, the team's lead, a member of the team who owns the
review's action, the lead of another team, an outsider), each state and each write both
a page and the API offer, a small organisation is built twice inside rolled-back
savepoints; the page's form is read from the rendered page (its real field names), the
state is set, and the write is done once by posting that form and once through the API.
Both must give the same outcome and the same rows, compared without ids.

The writes: make a kitchen board link (with a name, and without) and revoke one (live
or already revoked); import a spreadsheet (a team's rows, strategic rows, a row with a
bad number), preview and confirm; mark a review's action done and open it again (open
or done); write a draft objective for next year and publish next year's drafts (there
are drafts, or none). Start next year, carry on and key result weights are in
test_policy_parity.py.

How a page says what the API says with a status: a form shown again with its errors
(the board link's name) or an import preview listing row errors and no confirm button
is 400; a redirect carrying an error message (publishing nothing) is 400 too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.kiosk import services as kiosk
from okr.lib import calendar
from okr.models import BoardLink, Cycle, Objective, Review, ReviewEntry
from okr.reviews import services as reviews
from okr.years import services as years
from tests.okr.imports.sheets import csv_bytes, row
from tests.project.test_policy_parity import snapshot as okr_rows
from tests.support.api import api, session_api
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.page_forms import form_posting_to, forms_of

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "other", "outsider")


@dataclass
class World:
    org: object
    people: dict
    year: int  # this fiscal year; next year is year + 1
    link: object  # a board link the admin made
    action: object  # a review decision the member carries out


def build(cast) -> World:
    org = cast.org
    other = UserFactory(email="olle@acme.example", name="Olle Other")
    MembershipFactory(organisation=org, user=other, role=Membership.Role.MEMBER)
    TeamMembershipFactory(
        team=TeamFactory(organisation=org, name="Ekonomi"), user=other, is_lead=True
    )
    year, quarter = year_and_quarter(org)
    objective = strategic_objective(org, year, title="Marknadstest i Norge")
    kr = metric_kr(objective, title="5 pilotkunder", start=0, target=5)
    link, _secret = kiosk.board_link_create(organisation=org, author=cast.admin, label="Köket")
    review = Review.objects.create(organisation=org, date=quarter.start_date)
    action = ReviewEntry.objects.create(
        organisation=org,
        review=review,
        kind=ReviewEntry.Kind.DECISION,
        text="Anställ en till i produktionen",
        author=cast.leader,
        owner=cast.member,
        key_result=kr,
    )
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "other": other,
        "outsider": cast.outsider,
    }
    return World(org, people, calendar.current_fiscal_year(org), link, action)


def _who(user) -> str | None:
    return user.email if user else None


def snapshot(org) -> dict:
    return okr_rows(org) | {
        "cycles": sorted(
            (c.kind, c.year, c.quarter or 0) for c in Cycle.objects.filter(organisation=org)
        ),
        "board_links": sorted(
            (link.label, link.revoked_at is not None, _who(link.created_by))
            for link in BoardLink.objects.filter(organisation=org).select_related("created_by")
        ),
        "actions": sorted(
            (e.text, e.kind, _who(e.owner), e.done_at is not None, _who(e.done_by))
            for e in ReviewEntry.objects.filter(organisation=org).select_related("owner", "done_by")
        ),
    }


# --- States: set before the form is read (prepare), or after, as if someone else did it -------


def revoked(w: World) -> None:
    kiosk.board_link_revoke(link=w.link, author=w.people["admin"])


def done(w: World) -> None:
    reviews.action_mark_done(entry=w.action, done=True, user=w.people["leadership"])


def reopened(w: World) -> None:
    reviews.action_mark_done(entry=w.action, done=False, user=w.people["leadership"])


def drafted(w: World) -> None:
    years.draft_create(
        organisation=w.org, year=w.year + 1, title="Nya marknader", author=w.people["leadership"]
    )


def no_drafts(w: World) -> None:
    """Someone archived next year's drafts while the page was open."""
    Objective.objects.filter(
        organisation=w.org, cycle__year=w.year + 1, status=Objective.Status.DRAFT
    ).update(status=Objective.Status.ARCHIVED)


SHEETS = {
    "team rows": [row("Väx i Norge", "10 nya kunder"), row("Väx i Norge", "3 partner")],
    "strategic rows": [row("Bli störst i Norden", "20 % marknadsandel", team="", unit="%")],
    "a bad number": [row("Väx i Norge", "10 nya kunder", target="tio")],
}


def sheet(state: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("okr.csv", csv_bytes(SHEETS[state]), content_type="text/csv")


# --- The writes ------------------------------------------------------------------------------------


def page(name: str, *args) -> str:
    return reverse(f"okr:{name}", args=["acme", *args])


@dataclass
class Write:
    form: object  # w -> (page showing the form, as whom, the form's action, typed values)
    api: object  # (w, client, state) -> response
    states: tuple
    prepare: object = None  # w -> None: before the page is read
    then: object = None  # (response, client) -> response: the page's second step


def _confirm(response, client):
    """The import's second step: the preview's confirm button, if the preview offered one."""
    forms = [f for f in _forms(response) if "confirm" in f.names]
    if response.status_code != 200 or not forms:
        return response
    return client.post(page("import"), forms[0].data(confirm="1"))


def _forms(response):
    return forms_of(response.content.decode()) if response.status_code == 200 else []


def _import_api(*, dry_run: bool):
    def write(w, c, state):
        query = "?dry_run=true" if dry_run else ""
        return c.client.post(api("acme", f"import/{query}"), {"file": sheet(state)})

    return write


def _links(w):
    return page("kiosk_links")


def _next_year(w):
    return f"{page('next_year')}?year={w.year}"


WRITES = {
    "make board link": Write(
        lambda w: (_links(w), "admin", _links(w), {"label": "Matsalen"}),
        lambda w, c, s: c.post(api("acme", "board-links/"), {"label": "Matsalen"}),
        ("-",),
    ),
    "make board link without a name": Write(
        lambda w: (_links(w), "admin", _links(w), {"label": "  "}),
        lambda w, c, s: c.post(api("acme", "board-links/"), {"label": "  "}),
        ("-",),
    ),
    "revoke board link": Write(
        lambda w: (_links(w), "admin", page("kiosk_link_revoke", w.link.uuid), {}),
        lambda w, c, s: c.delete(api("acme", f"board-links/{w.link.uuid}/")),
        ("live", "revoked"),
    ),
    "preview import": Write(
        lambda w: (page("import"), "member", page("import"), {}),
        _import_api(dry_run=True),
        tuple(SHEETS),
    ),
    "import": Write(
        lambda w: (page("import"), "member", page("import"), {}),
        _import_api(dry_run=False),
        tuple(SHEETS),
        then=_confirm,
    ),
    "mark action done": Write(
        lambda w: (page("review", w.action.review.uuid), "leadership", _done(w), {}),
        lambda w, c, s: c.post(api("acme", f"actions/{w.action.uuid}/done/"), {"done": True}),
        ("open", "done"),
    ),
    "reopen action": Write(
        lambda w: (page("review", w.action.review.uuid), "leadership", _done(w), {}),
        lambda w, c, s: c.post(api("acme", f"actions/{w.action.uuid}/done/"), {"done": False}),
        ("done", "open"),
        prepare=done,
    ),
    "write next year's draft": Write(
        lambda w: (
            _next_year(w),
            "leadership",
            page("next_year"),
            {"title": "Bli kända i Norge", "why": "Ingen känner oss"},
        ),
        lambda w, c, s: c.post(
            api("acme", "years/drafts/"),
            {"year": w.year + 1, "title": "Bli kända i Norge", "why": "Ingen känner oss"},
        ),
        ("-",),
        prepare=lambda w: years.year_start(
            organisation=w.org, year=w.year + 1, author=w.people["leadership"]
        ),
    ),
    "publish next year": Write(
        lambda w: (_next_year(w), "leadership", page("year_publish"), {}),
        lambda w, c, s: c.post(api("acme", "years/publish/"), {"year": w.year + 1}),
        ("drafts", "no drafts"),
        prepare=drafted,
    ),
}
STATES = {
    "-": None,
    "live": None,
    "revoked": revoked,
    "open": None,
    "done": None,
    "drafts": None,
    "no drafts": no_drafts,
}


def _done(w):
    return page("review_action_done", w.action.uuid)


def _state(action: str, state: str):
    if action == "mark action done" and state == "done":
        return done
    if action == "reopen action" and state == "open":
        return reopened
    return STATES.get(state)


CASES = [
    (role, state, action) for action, w in WRITES.items() for state in w.states for role in ROLES
]


# --- Doing it ---------------------------------------------------------------------------------------


def page_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    if code == 302:
        queued = getattr(response.wsgi_request, "_messages", None)
        errors = [
            m for m in getattr(queued, "_queued_messages", []) if m.level == message_levels.ERROR
        ]
        return "400" if errors else "ok"
    if code == 200:
        text = response.content.decode()
        if 'aria-invalid="true"' in text or "import-errors" in text:
            return "400"  # the form again with its errors; the preview with its row errors
        if "/board/" in text or any("confirm" in f.names for f in _forms(response)):
            return "ok"  # the new link, shown once; the preview, to be confirmed
    return f"page {code}"


def api_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    return "ok" if code in (200, 201, 204) else f"api {code}"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        if "message" in value:
            return [value["message"]]
        return [
            s for key, item in value.items() if key not in ("objectives",) for s in _strings(item)
        ]
    return []


def said(response, *, via_page: bool):
    if via_page:
        return html.unescape(response.content.decode()) if response.status_code != 302 else ""
    if not response.content or response.status_code not in (400, 403, 409):
        return []
    body = response.json()
    return _strings(body.get("errors", body) if "detail" not in body else body["detail"])


class _RolledBack(Exception):
    pass


def attempt(cast, role: str, state: str, action: str, *, via_page: bool):
    write = WRITES[action]
    try:
        with transaction.atomic():
            world = build(cast)
            if write.prepare:
                write.prepare(world)
            person = world.people[role]
            if via_page:
                shown_at, viewer, action_url, typed = write.form(world)
                shown = client_for(world.people[viewer]).get(shown_at)
                form = form_posting_to(shown, action_url)
                if "file" in form.names:
                    typed = typed | {"file": sheet(state)}
                data = form.data(**typed)
            if set_state := _state(action, state):
                set_state(world)
            before = snapshot(world.org)
            if via_page:
                client = client_for(person)
                response = client.post(action_url, data)
                if write.then:
                    response = write.then(response, client)
                result = page_outcome(response)
            else:
                response = write.api(world, session_api(person), state)
                result = api_outcome(response)
            words = said(response, via_page=via_page)
            raise _RolledBack(result, before, snapshot(world.org), words)
    except _RolledBack as out:
        return out.args


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_page_and_api_agree(cast, role, state, action):
    by_page, before_page, after_page, page_said = attempt(cast, role, state, action, via_page=True)
    by_api, before_api, after_api, api_said = attempt(cast, role, state, action, via_page=False)
    assert before_page == before_api  # the same world twice
    assert by_page == by_api, (by_page, by_api)
    assert by_page in ("ok", "400", "403", "404", "409"), by_page
    if by_api in ("400", "403", "409") and page_said:
        assert api_said and all(m in page_said for m in api_said), (api_said, by_page)
    assert after_page == after_api  # the same rows
    if by_page != "ok":
        assert after_page == before_page  # a refused write wrote nothing


ALLOWED = {  # write: who may (the outsider: 404; the rest: 403); admins are leadership too
    "make board link": {"admin"},
    "revoke board link": {"admin"},
    "mark action done": {"admin", "leadership", "member"},
    "reopen action": {"admin", "leadership", "member"},
    "write next year's draft": {"admin", "leadership"},
    "publish next year": {"admin", "leadership"},
}


@pytest.mark.parametrize(
    ("role", "state", "action"),
    [c for c in CASES if c[2] in ALLOWED],
    ids=[f"{a}-{s}-{r}" for r, s, a in CASES if a in ALLOWED],
)
def test_the_answers_are_the_policys(cast, role, state, action):
    by_api, *_rest = attempt(cast, role, state, action, via_page=False)
    if role == "outsider":
        assert by_api == "404"
    elif role not in ALLOWED[action]:
        assert by_api == "403"
    elif state == "no drafts":
        assert by_api == "400"
    else:
        assert by_api == "ok"  # revoking or marking twice changes nothing, and is no error


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", "ok"), ("leadership", "ok"), ("lead", "ok"), ("member", "ok"), ("other", "400")]
    + [("outsider", "404")],
)
def test_import_answers_follow_the_policy(cast, role, expected):
    """A team's rows: its members and leadership (okr.import); others get row errors."""
    by_api, *_rest = attempt(cast, role, "team rows", "import", via_page=False)
    assert by_api == expected


def test_the_matrix_covers_every_role_state_and_shared_write():
    assert len(WRITES) == 9
    assert len(CASES) == 6 * (1 + 1 + 2 + 3 + 3 + 2 + 2 + 1 + 2)
