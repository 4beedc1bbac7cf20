"""Page and API agree on the integration settings: single sign-on and chat notifications.

The method of tests/project/test_policy_parity_board_import.py: for each person (admin,
leadership, the team's lead, a member of the team, the lead of another team, an outsider
from another organisation), each state and each write both a page and the API offer, a
small organisation is built twice inside rolled-back savepoints; the page's form is read
from the rendered page (its real field names, tests/support/page_forms.py), the state is
set, and the write is done once by posting that form and once through the API. Both must
give the same outcome (tests/support/parity.py names them) in the same words, and the
same rows, compared without ids: the feature's and the audit log's.

The writes: save the single sign-on settings (a local issuer: the tests' settings allow
http and private addresses), with an issuer that is no URL or plain http elsewhere,
require single sign-on (proven through the provider, or not yet) and stop requiring it.
Saving never fetches the provider's discovery document (only the page's "Test the
provider" does, and the API has no twin of it), so no provider runs here. Add a chat
hook for the whole organisation, for a team, with a bad URL; turn a hook off, remove it
and send it a test, the organisation's hook and a team's, live, turned off or removed
meanwhile. A test message is its outbox row: it is queued after a commit that never comes.

What the two doors disagreed on, and the fix (in okr/chat/views.py and
accounts/sso/api.py): a team's lead adding the organisation's hook, or another team's,
got the page's form again (400: "Choose one of your teams", "Choose a team of the
organisation") and the API's 403; a member or leadership adding a team's hook got the
page's "Only the organisation's admins" and the API's "the team's leads" (both 403). The
page now asks the policy about the hook asked for, as the service does, before it
checks the input. An issuer on plain http elsewhere than this machine was "must start
with https://" on the page and "Enter the provider's issuer URL" in the API: the API now
gives the settings' reason first, then its exact pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Membership, SsoConfiguration
from accounts.sso import secrets
from accounts.sso import services as sso
from conftest import client_for
from okr.chat import services as chat
from okr.models import ChatHook, ChatMessage
from tests.support.api import api, session_api
from tests.support.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.support.page_forms import form_posting_to
from tests.support.parity import (
    UNCHECKED,
    api_outcome,
    audit_rows,
    fill,
    page_outcome,
    rolled_back,
    said,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "other", "outsider")
ISSUER = "http://127.0.0.1:8999/realms/acme"  # never called: saving reads no document
NEW_ISSUER = "http://localhost:8999/realms/acme-new"
CLIENT_ID = "okr"
HOOK_URL = "https://hooks.slack.example/services/T0/B0/new9876"


@dataclass
class World:
    org: object
    people: dict
    team: object  # the lead's and the member's team
    hooks: dict  # "organisation" (the admin's) and "team" (the lead's): a live hook each


def build(cast) -> World:
    org = cast.org
    other = UserFactory(email="olle@acme.example", name="Olle Other")
    MembershipFactory(organisation=org, user=other, role=Membership.Role.MEMBER)
    TeamMembershipFactory(
        team=TeamFactory(organisation=org, name="Ekonomi"), user=other, is_lead=True
    )
    hooks = {
        "organisation": chat.hook_create(
            organisation=org,
            kind="slack",
            url="https://hooks.slack.example/services/T0/B0/org1",
            author=cast.admin,
        ),
        "team": chat.hook_create(
            organisation=org,
            kind="teams",
            url="https://acme.webhook.office.example/webhookb2/team2",
            team=cast.team,
            events=["review.started", "key_result.at_risk"],
            author=cast.lead,
        ),
    }
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "other": other,
        "outsider": cast.outsider,
    }
    return World(org, people, cast.team, hooks)


def _who(user) -> str | None:
    return user.email if user else None


def snapshot(org) -> dict:
    configuration = (
        SsoConfiguration.objects.filter(organisation=org).select_related("updated_by").first()
    )
    provider = configuration and (
        configuration.issuer,
        configuration.client_id,
        secrets.decrypt(configuration.client_secret_encrypted),
        configuration.enabled,
        configuration.require_sso,
        configuration.last_success_at is not None,
        _who(configuration.updated_by),
        sorted(configuration.domains.values_list("domain", flat=True)),
    )
    hooks = ChatHook.objects.filter(organisation=org).select_related("team", "created_by")
    messages = ChatMessage.objects.filter(organisation=org).select_related("hook")
    return {
        "sso": provider,
        "hooks": sorted(
            (
                h.kind,
                h.team.name if h.team_id else "",
                secrets.decrypt(h.url_encrypted),
                h.url_hint,
                tuple(h.events),
                h.active,
                _who(h.created_by),
            )
            for h in hooks
        ),
        "chat_messages": sorted((m.hook.url_hint, m.event, m.title, m.state) for m in messages),
        "audit": audit_rows(org),
    }


# --- States: before the page is read (the provider as it is), or after (someone else) -------


def sso_set_up(w: World) -> None:
    sso.sso_configure(
        organisation=w.org,
        author=w.people["admin"],
        issuer=ISSUER,
        client_id=CLIENT_ID,
        client_secret="first-secret",
        domains=["acme.example"],
        enabled=True,
        require_sso=False,
    )


def sso_proven(w: World) -> None:
    """Set up, and someone signed in through it (what "require" waits for)."""
    sso_set_up(w)
    sso.record_problem(sso.configuration_for(w.org), None)


def sso_required(w: World) -> None:
    sso_proven(w)
    sso.sso_configure(
        organisation=w.org,
        author=w.people["admin"],
        issuer=ISSUER,
        client_id=CLIENT_ID,
        client_secret=None,
        domains=["acme.example"],
        enabled=True,
        require_sso=True,
    )


def _hook_state(change):
    def state(w: World, which: str) -> None:
        change(hook=w.hooks[which], author=w.people["admin"])

    return state


BEFORE = {"set up": sso_set_up, "proven": sso_proven, "required": sso_required}
AFTER = {"off": _hook_state(chat.hook_disable), "removed": _hook_state(chat.hook_delete)}


# --- The writes ------------------------------------------------------------------------------


def sso_page() -> str:
    return reverse("settings:sso", args=["acme"])


def hooks_page() -> str:
    return reverse("okr:chat_hooks", args=["acme"])


def hook_page(name: str, w: World, which: str) -> str:
    return reverse(f"okr:chat_hook_{name}", args=["acme", w.hooks[which].uuid])


@dataclass
class Write:
    form: object  # w -> (page showing the form, as whom, the form's action, typed values)
    api: object  # (w, client) -> response
    states: tuple
    hook: str = ""  # which hook the write and its states are about


def _sso(typed: dict, body: dict, states: tuple) -> Write:
    return Write(
        lambda w: (sso_page(), "admin", sso_page(), typed),
        lambda w, c: c.patch(api("acme", "sso/"), body),
        states,
    )


def _add(typed, body) -> Write:
    """Add a hook; ``typed`` and ``body`` are functions of the world (the team's public id)."""
    return Write(
        lambda w: (hooks_page(), "admin", hooks_page(), typed(w)),
        lambda w, c: c.post(api("acme", "chat-hooks/"), body(w)),
        ("-",),
    )


def _on_hook(name: str, which: str, call, states: tuple) -> Write:
    return Write(
        lambda w: (hooks_page(), "admin", hook_page(name, w, which), {}),
        lambda w, c: call(c, api("acme", f"chat-hooks/{w.hooks[which].uuid}/")),
        states,
        hook=which,
    )


BAD_URL = "hooks.slack.example/services/no-scheme"
WRITES = {
    "save sso": _sso(
        {
            "issuer": NEW_ISSUER,
            "client_id": "okr-web",
            "client_secret": "new-secret",
            "domains": "acme.example",
            "enabled": "on",
        },
        {
            "issuer": NEW_ISSUER,
            "client_id": "okr-web",
            "client_secret": "new-secret",
            "domains": ["acme.example"],
            "enabled": True,
        },
        ("none", "set up", "required"),  # required: a new issuer is not proven (409)
    ),
    "save sso with an issuer that is no URL": _sso(
        {"issuer": "ftp://idp.example/realms/acme"},
        {"issuer": "ftp://idp.example/realms/acme", "client_id": CLIENT_ID},
        ("set up",),
    ),
    "save sso with a plain-http issuer": _sso(
        {"issuer": "http://idp.example/realms/acme"},
        {"issuer": "http://idp.example/realms/acme", "client_id": CLIENT_ID},
        ("set up",),
    ),
    "require sso": _sso(
        {"require_sso": "on"},
        {"issuer": ISSUER, "client_id": CLIENT_ID, "require_sso": True},
        ("set up", "proven"),  # set up: nobody signed in through it yet (409)
    ),
    "stop requiring sso": _sso(
        {"require_sso": UNCHECKED},
        {"issuer": ISSUER, "client_id": CLIENT_ID, "require_sso": False},
        ("required",),
    ),
    "add organisation hook": _add(
        lambda w: {"kind": "slack", "url": HOOK_URL, "team": ""},
        lambda w: {"kind": "slack", "url": HOOK_URL},
    ),
    "add team hook": _add(
        lambda w: {"kind": "teams", "url": HOOK_URL, "team": str(w.team.uuid)},
        lambda w: {"kind": "teams", "url": HOOK_URL, "team": str(w.team.uuid)},
    ),
    "add team hook with a bad URL": _add(
        lambda w: {"kind": "slack", "url": BAD_URL, "team": str(w.team.uuid)},
        lambda w: {"kind": "slack", "url": BAD_URL, "team": str(w.team.uuid)},
    ),
}
for _which in ("organisation", "team"):
    WRITES |= {
        f"turn off {_which} hook": _on_hook(
            "disable", _which, lambda c, url: c.post(f"{url}off/"), ("live", "off", "removed")
        ),
        f"remove {_which} hook": _on_hook(
            "delete", _which, lambda c, url: c.delete(url), ("live", "removed")
        ),
        f"test {_which} hook": _on_hook(
            "test", _which, lambda c, url: c.post(f"{url}test/"), ("live", "off", "removed")
        ),
    }

CASES = [
    (role, state, action) for action, w in WRITES.items() for state in w.states for role in ROLES
]


# --- Doing it ----------------------------------------------------------------------------------


def attempt(cast, role: str, state: str, action: str, *, via_page: bool):
    write = WRITES[action]

    def work():
        world = build(cast)
        if state in BEFORE:
            BEFORE[state](world)
        person = world.people[role]
        if via_page:
            shown_at, viewer, action_url, typed = write.form(world)
            shown = client_for(world.people[viewer]).get(shown_at)
            data = fill(form_posting_to(shown, action_url), **typed)
        if state in AFTER:
            AFTER[state](world, write.hook)
        before = snapshot(world.org)
        if via_page:
            response = client_for(person).post(action_url, data)
            result = page_outcome(response)
        else:
            response = write.api(world, session_api(person))
            result = api_outcome(response)
        return result, before, snapshot(world.org), said(response, via_page=via_page)

    return rolled_back(work)


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_page_and_api_agree(cast, role, state, action):
    by_page, before_page, after_page, page_said = attempt(cast, role, state, action, via_page=True)
    by_api, before_api, after_api, api_said = attempt(cast, role, state, action, via_page=False)
    assert before_page == before_api  # the same world twice
    assert by_page == by_api, (by_page, by_api)
    assert by_page in ("ok", "400", "403", "404", "409"), by_page
    if by_api in ("400", "403", "409"):
        assert api_said and all(m in page_said for m in api_said), (api_said, by_page)
    assert after_page == after_api  # the same rows, the audit log's too
    if by_page != "ok":
        assert after_page == before_page  # a refused write wrote nothing


ALLOWED = {  # write: who may (the outsider: 404; the rest: 403)
    "save sso": {"admin"},
    "require sso": {"admin"},
    "stop requiring sso": {"admin"},
    "add organisation hook": {"admin"},
    "add team hook": {"admin", "lead"},
    "turn off organisation hook": {"admin"},
    "remove organisation hook": {"admin"},
    "test organisation hook": {"admin"},
    "turn off team hook": {"admin", "lead"},
    "remove team hook": {"admin", "lead"},
    "test team hook": {"admin", "lead"},
}
BAD_INPUT = {  # write: who gets 400 for it (the rest: 403, the outsider 404)
    "save sso with an issuer that is no URL": {"admin"},
    "save sso with a plain-http issuer": {"admin"},
    "add team hook with a bad URL": {"admin", "lead"},
}
NOT_PROVEN = {("save sso", "required"), ("require sso", "set up")}  # the admin's 409


@pytest.mark.parametrize(
    ("role", "state", "action"), CASES, ids=[f"{a}-{s}-{r}" for r, s, a in CASES]
)
def test_the_answers_are_the_policys(cast, role, state, action):
    """What both doors agreed on is the rule (accounts.policy), not an agreement in error."""
    by_api, *_rest = attempt(cast, role, state, action, via_page=False)
    may = ALLOWED.get(action, set()) | BAD_INPUT.get(action, set())
    if role == "outsider" or state == "removed":
        assert by_api == "404"  # another organisation's, or gone: as if it never was
    elif role not in may:
        assert by_api == "403"
    elif action in BAD_INPUT:
        assert by_api == "400"
    elif (action, state) in NOT_PROVEN:
        assert by_api == "409"
    else:
        assert by_api == "ok"  # turning off twice changes nothing, and is no error


def test_the_matrix_covers_every_role_state_and_shared_write():
    assert len(WRITES) == 8 + 2 * 3
    sso_states = 3 + 1 + 1 + 2 + 1
    chat_states = 3 + 2 * (3 + 2 + 3)
    assert len(CASES) == 6 * (sso_states + chat_states)
