"""Page and API agree on deleting the organisation and on exporting everything of it.

The method of test_policy_parity_integrations.py (and test_policy_parity_board_import.py):
for each person (admin, leadership, the team's lead, a member of the team, the lead of
another team, an outsider from another organisation), each state and each write, the
same small organisation is built twice inside rolled-back savepoints; the page's form
(or, for the download, its link) is read from the rendered page, the state is set, and
the write is done once through the page and once through the API. Both must give the
same outcome (tests/support/parity.py) in the same words, and the same rows without ids
or times: the organisation's deletion and the audit log.

The writes: ask for the deletion with the organisation's name (nothing pending, or
another admin asked while the page was open), with a wrong name, and undo it (pending,
or another admin undid it while the page was open); download the whole organisation (the
settings page's link, GET /api/v1/<org>/export/): both record the same audit event and
stream the same tables.

What the two doors disagreed on, and the fix (accounts/deletion/views.py): asking twice,
or undoing what is not pending, was the API's 409 and the page's redirect with an error
message; the page now shows itself again with the message and 409, as refusals for the
state are answered everywhere else (``accounts.access.refused``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.deletion import services as deletion
from accounts.models import Membership, Organisation
from conftest import client_for
from tests.support.api import api, session_api
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.support.page_forms import form_posting_to
from tests.support.parity import (
    api_outcome,
    audit_rows,
    links_of,
    page_outcome,
    rolled_back,
    said,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "other", "outsider")


@dataclass
class World:
    org: object
    people: dict


def build(cast) -> World:
    org = cast.org
    other = UserFactory(email="olle@acme.example", name="Olle Other")
    MembershipFactory(organisation=org, user=other, role=Membership.Role.MEMBER)
    TeamMembershipFactory(
        team=TeamFactory(organisation=org, name="Ekonomi"), user=other, is_lead=True
    )
    second = UserFactory(email="agda@acme.example", name="Agda Admin")  # the other admin
    MembershipFactory(organisation=org, user=second, role=Membership.Role.ADMIN)
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "other": other,
        "outsider": cast.outsider,
        "second admin": second,
    }
    return World(org, people)


def snapshot(org) -> dict:
    org = Organisation.objects.select_related("deletion_requested_by").get(pk=org.pk)
    by = org.deletion_requested_by
    pending = org.deletion_due_at is not None
    return {
        "deletion": (
            pending,
            org.deletion_requested_at is not None,
            (org.deletion_due_at - org.deletion_requested_at).days if pending else None,
            by.email if by else None,
        ),
        "audit": audit_rows(org),
    }


# --- States: before the page is read, or after (another admin, while the page was open) ------


def requested(w: World) -> None:
    deletion.organisation_deletion_request(w.people["second admin"], w.org, w.org.name)


def undone(w: World) -> None:
    deletion.organisation_deletion_cancel(w.people["second admin"], w.org)


# --- The writes --------------------------------------------------------------------------------


def deletion_page() -> str:
    return reverse("settings:deletion", args=["acme"])


@dataclass
class Write:
    form: object  # w -> (page showing the form, as whom, the form's action, typed values)
    api: object  # (w, client) -> response
    states: tuple
    prepare: object = None  # w -> None: before the page is read
    download: bool = False  # the page offers a link, not a form


def _ask(name: str, states: tuple) -> Write:
    return Write(
        lambda w: (deletion_page(), "admin", deletion_page(), {"name": name}),
        lambda w, c: c.post(api("acme", "deletion/"), {"name": name}),
        states,
    )


def export_page() -> str:
    return reverse("okr:organisation_export", args=["acme"])


def export_link() -> str:
    return reverse("okr:organisation_export_json", args=["acme"])


WRITES = {
    "ask for deletion": _ask("Acme AB", ("not pending", "requested")),
    "ask for deletion with a wrong name": _ask("Acme", ("not pending",)),
    "undo deletion": Write(
        lambda w: (deletion_page(), "admin", deletion_page(), {"undo": "1"}),
        lambda w, c: c.delete(api("acme", "deletion/")),
        ("pending", "undone"),
        prepare=requested,
    ),
    "export everything": Write(
        lambda w: (export_page(), "admin", export_link(), {}),
        lambda w, c: c.get(api("acme", "export/")),
        ("-",),
        download=True,
    ),
}
AFTER = {"requested": requested, "undone": undone}

CASES = [
    (role, state, action) for action, w in WRITES.items() for state in w.states for role in ROLES
]


# --- Doing it ----------------------------------------------------------------------------------


def _document(response) -> list[str] | None:
    """The tables of a download (read inside the savepoint: it is written as it streams)."""
    if response.status_code != 200 or not response.get("Content-Disposition"):
        return None
    return sorted(json.loads(b"".join(response.streaming_content)))


def _send(write: Write, world: World, person, *, via_page: bool, action_url=None, data=None):
    if not via_page:
        return write.api(world, session_api(person))
    if write.download:
        return client_for(person).get(action_url)
    return client_for(person).post(action_url, data)


def attempt(cast, role: str, state: str, action: str, *, via_page: bool):
    write = WRITES[action]

    def work():
        world = build(cast)
        if write.prepare:
            write.prepare(world)
        person = world.people[role]
        action_url = data = None
        if via_page:
            shown_at, viewer, action_url, typed = write.form(world)
            shown = client_for(world.people[viewer]).get(shown_at)
            if write.download:
                assert action_url in links_of(shown), f"No link to {action_url} on the page"
            else:
                data = form_posting_to(shown, action_url).data(**typed)
        if state in AFTER:
            AFTER[state](world)
        before = snapshot(world.org)
        response = _send(write, world, person, via_page=via_page, action_url=action_url, data=data)
        result = page_outcome(response) if via_page else api_outcome(response)
        words = said(response, via_page=via_page)
        document = _document(response)
        return result, before, snapshot(world.org), words, document

    return rolled_back(work)


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_page_and_api_agree(cast, role, state, action):
    by_page, before_page, after_page, page_said, page_doc = attempt(
        cast, role, state, action, via_page=True
    )
    by_api, before_api, after_api, api_said, api_doc = attempt(
        cast, role, state, action, via_page=False
    )
    assert before_page == before_api  # the same world twice
    assert by_page == by_api, (by_page, by_api)
    assert by_page in ("ok", "400", "403", "404", "409"), by_page
    if by_api in ("400", "403", "409"):
        assert api_said and all(m in page_said for m in api_said), (api_said, by_page)
    assert after_page == after_api  # the same deletion, the same audit events
    assert page_doc == api_doc  # the same document's tables (or none)
    if by_page != "ok":
        assert after_page == before_page  # a refused write wrote nothing
    else:
        assert after_page["audit"] != before_page["audit"]  # each write is in the log


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_the_answers_are_the_policys(cast, role, state, action):
    """Admins only (Action.ORGANISATION_DELETE, EXPORT_ORGANISATION); the state says 409."""
    by_api, _before, after, _said, document = attempt(cast, role, state, action, via_page=False)
    if role == "outsider":
        assert by_api == "404"
    elif role != "admin":
        assert by_api == "403"
    elif action.endswith("wrong name"):
        assert by_api == "400"
    elif state in ("requested", "undone"):
        assert by_api == "409"  # asked twice, or nothing left to undo
    else:
        assert by_api == "ok"
        assert after["deletion"][0] is (action == "ask for deletion")
    if action == "export everything" and by_api == "ok":
        assert "organisation" in document and "audit_events" in document
        assert [row[0] for row in after["audit"]].count("export.downloaded") == 1


def test_the_matrix_covers_every_role_state_and_shared_write():
    assert len(WRITES) == 4
    assert len(CASES) == 6 * (2 + 1 + 2 + 1)
