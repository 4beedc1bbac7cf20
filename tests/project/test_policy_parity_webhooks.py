"""Page and API agree on the signed webhooks: add, change, turn off, rotate, test, delete.

The method of tests/project/test_policy_parity_board_import.py: for each person (admin,
leadership, a team's lead, a member, an outsider) and each write both the settings pages
(``/<org>/settings/webhooks/``) and the API (``/api/v1/<org>/webhooks/``) offer, a small
organisation with one endpoint is built twice inside rolled-back savepoints; the page's
form is read from the rendered page (its real field names, as the admin sees it), and the
write is done once by posting that form and once through the API. Both must give the same
outcome and the same rows (endpoints, events, deliveries, the audit log), compared without
ids or secrets (a secret is "the first one" or "another one").

The writes: add an endpoint (a valid address, an http address, a private one), change one
(a valid address, a bad one), turn one off, rotate its secret, send a test event, delete it.
How a page says what the API says with a status: the form shown again with its errors is
400; the endpoint's page with its new secret, and a redirect, are "ok".
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import AuditEvent, WebhookDelivery, WebhookEndpoint, WebhookEvent
from accounts.webhooks import services as hooks
from conftest import client_for
from tests.support.api import api, session_api
from tests.support.page_forms import form_posting_to

pytestmark = pytest.mark.django_db

ROLES = ("admin", "leadership", "lead", "member", "outsider")
URL = "https://hooks.example/okr"


@pytest.fixture(autouse=True)
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = False  # as in production


@dataclass
class World:
    org: object
    people: dict
    endpoint: object  # the admin's endpoint
    secret: str  # its first secret


def build(cast) -> World:
    endpoint, secret = hooks.endpoint_create(
        organisation=cast.org,
        url=URL,
        events=["member.added"],
        description="Intranätet",
        author=cast.admin,
    )
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "outsider": cast.outsider,
    }
    return World(cast.org, people, endpoint, secret)


def _who(user) -> str | None:
    return user.email if user else None


def snapshot(w: World) -> dict:
    """Every row the writes touch, by what it says rather than its id or secret."""
    endpoints = WebhookEndpoint.objects.filter(organisation=w.org).select_related("created_by")
    deliveries = WebhookDelivery.objects.filter(organisation=w.org).select_related(
        "event", "endpoint"
    )
    return {
        "endpoints": sorted(
            (
                e.url,
                tuple(sorted(e.events)),
                e.description,
                e.active,
                e.consecutive_failures,
                e.disabled_at is None,
                _who(e.created_by),
                "first" if e.secret == w.secret else "another",
                e.secret_rotated_at is None,
            )
            for e in endpoints
        ),
        "events": sorted(
            (e.type, e.payload.get("message", ""))
            for e in WebhookEvent.objects.filter(organisation=w.org)
        ),
        "deliveries": sorted(
            (d.event.type, d.endpoint.url, d.state, d.attempts) for d in deliveries
        ),
        "audit": sorted(
            (a.action, _who(a.actor), a.target_type, a.target_label, repr(a.details))
            for a in AuditEvent.objects.filter(organisation=w.org).select_related("actor")
        ),
    }


# --- The writes ------------------------------------------------------------------------------------


def page(name: str, *args) -> str:
    return reverse(f"settings:{name}", args=["acme", *args])


def one(w: World, tail: str = "") -> str:
    return api("acme", f"webhooks/{w.endpoint.uuid}/{tail}")


NEW = {"url": "https://hooks.example/ny", "events": ["quarter.closed", "member.added"]}
CHANGED = {"url": "https://hooks.example/annan", "events": ["member.removed"], "description": "Ny"}


@dataclass
class Write:
    form: object  # w -> (page showing the form, the form's action, typed values; None: left out)
    api: object  # (w, client) -> response


def _detail(w):
    return page("webhook", w.endpoint.uuid)


WRITES = {
    "add": Write(
        lambda w: (page("webhooks"), page("webhooks"), NEW | {"description": "Intranät"}),
        lambda w, c: c.post(api("acme", "webhooks/"), NEW | {"description": "Intranät"}),
    ),
    "add an http address": Write(
        lambda w: (page("webhooks"), page("webhooks"), NEW | {"url": "http://hooks.example/a"}),
        lambda w, c: c.post(api("acme", "webhooks/"), NEW | {"url": "http://hooks.example/a"}),
    ),
    "add a private address": Write(
        lambda w: (page("webhooks"), page("webhooks"), NEW | {"url": "https://10.0.0.7/a"}),
        lambda w, c: c.post(api("acme", "webhooks/"), NEW | {"url": "https://10.0.0.7/a"}),
    ),
    "change": Write(
        lambda w: (_detail(w), _detail(w), CHANGED),
        lambda w, c: c.patch(one(w), CHANGED),
    ),
    "change to a bad address": Write(
        lambda w: (_detail(w), _detail(w), {"url": "javascript:alert(1)"}),
        lambda w, c: c.patch(one(w), {"url": "javascript:alert(1)"}),
    ),
    "turn off": Write(
        lambda w: (_detail(w), _detail(w), {"active": None}),  # the box left unticked
        lambda w, c: c.patch(one(w), {"active": False}),
    ),
    "rotate the secret": Write(
        lambda w: (_detail(w), page("webhook_rotate", w.endpoint.uuid), {}),
        lambda w, c: c.post(one(w, "rotate/")),
    ),
    "send a test event": Write(
        lambda w: (_detail(w), page("webhook_test", w.endpoint.uuid), {}),
        lambda w, c: c.post(one(w, "test/")),
    ),
    "delete": Write(
        lambda w: (_detail(w), page("webhook_delete", w.endpoint.uuid), {}),
        lambda w, c: c.delete(one(w)),
    ),
}
CASES = [(role, action) for action in WRITES for role in ROLES]


# --- Doing it ---------------------------------------------------------------------------------------


def page_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    if code == 302:
        return "ok"
    if code in (200, 201):
        if 'aria-invalid="true"' in response.content.decode():
            return "400"  # the form again with its errors
        return "ok"  # the endpoint's page (with the new secret)
    return f"page {code}"


def api_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    return "ok" if code in (200, 201, 202, 204) else f"api {code}"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def said(response, *, via_page: bool):
    if via_page:
        return html.unescape(response.content.decode()) if response.status_code != 302 else ""
    if not response.content or response.status_code not in (400, 403, 409):
        return []
    body = response.json()
    return _strings(body.get("detail", body))


def shows_a_secret(response, *, via_page: bool) -> bool:
    if via_page:
        return "whsec_" in response.content.decode()
    return response.status_code in (200, 201) and "secret" in response.json()


class _RolledBack(Exception):
    pass


def attempt(cast, role: str, action: str, *, via_page: bool):
    write = WRITES[action]
    try:
        with transaction.atomic():
            world = build(cast)
            person = world.people[role]
            if via_page:
                shown_at, action_url, typed = write.form(world)
                form = form_posting_to(client_for(world.people["admin"]).get(shown_at), action_url)
                data = {k: v for k, v in form.data(**typed).items() if v is not None}
            before = snapshot(world)
            if via_page:
                response = client_for(person).post(action_url, data)
                result = page_outcome(response)
            else:
                response = write.api(world, session_api(person))
                result = api_outcome(response)
            words = said(response, via_page=via_page)
            secret = shows_a_secret(response, via_page=via_page)
            raise _RolledBack(result, before, snapshot(world), words, secret)
    except _RolledBack as out:
        return out.args


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{a}-{r}" for r, a in CASES])
def test_page_and_api_agree(cast, role, action):
    by_page, before_page, after_page, page_said, page_secret = attempt(
        cast, role, action, via_page=True
    )
    by_api, before_api, after_api, api_said, api_secret = attempt(
        cast, role, action, via_page=False
    )
    assert before_page == before_api  # the same world twice
    assert by_page == by_api, (by_page, by_api)
    assert by_page in ("ok", "400", "403", "404"), by_page
    if by_api in ("400", "403") and page_said:
        assert api_said and all(m in page_said for m in api_said), (api_said, by_page)
    assert after_page == after_api  # the same rows
    assert page_secret == api_secret  # a secret is shown by both, or by neither
    if by_page != "ok":
        assert after_page == before_page  # a refused write wrote nothing


BAD_INPUT = {"add an http address", "add a private address", "change to a bad address"}
SHOWS_THE_SECRET = {"add", "rotate the secret"}


@pytest.mark.parametrize(("role", "action"), CASES, ids=[f"{a}-{r}" for r, a in CASES])
def test_the_answers_are_the_policys(cast, role, action):
    """Admins only (``Action.WEBHOOKS_MANAGE``): the others 403, an outsider 404."""
    by_api, _before, _after, _said, secret = attempt(cast, role, action, via_page=False)
    if role == "outsider":
        assert by_api == "404"
    elif role != "admin":
        assert by_api == "403"
    else:
        assert by_api == ("400" if action in BAD_INPUT else "ok")
    assert secret == (by_api == "ok" and action in SHOWS_THE_SECRET)


def test_the_matrix_covers_every_role_and_write():
    assert len(WRITES) == 9
    assert len(CASES) == 5 * 9
