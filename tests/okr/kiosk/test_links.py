"""The admins' kitchen board links: the settings page and the API (list, make once, revoke)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import client_for
from okr.kiosk import services
from okr.models import BoardLink
from tests.support.api import api, session_api, token_api

pytestmark = pytest.mark.django_db

PAGE = "/acme/settings/kitchen-board/"
HOSTILE = ["\x00", "Kök\x00et", "\ud800", "x" * 10_000, "", "   ", "<script>alert(1)</script>"]


def _secret_in(text: str) -> str:
    start = text.index("/board/") + len("/board/")
    return text[start : text.index("/", start)]


# --- The page ----------------------------------------------------------------------------------


def test_an_admin_makes_a_link_sees_it_once_and_it_works(cast):
    client = client_for(cast.admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'href="/acme/settings/kitchen-board/" aria-current="page"' in page.content.decode()
    response = client.post(PAGE, {"label": "Köket, plan 2"})
    assert response.status_code == 200
    text = response.content.decode()
    secret = _secret_in(text)
    assert len(secret) >= 40
    assert "Köket, plan 2" in text
    assert Client().get(f"/board/{secret}/").status_code == 200
    # Shown once: the list afterwards has the label, never the secret.
    again = client.get(PAGE).content.decode()
    assert "Köket, plan 2" in again and secret not in again
    assert response["Cache-Control"] == "private, no-store, max-age=0"


def test_the_page_by_htmx_answers_its_fragment(cast):
    client = client_for(cast.admin)
    response = client.post(PAGE, {"label": "Lunchrummet"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and "/board/" in text


def test_an_admin_revokes_a_link_and_it_404s(cast):
    link, secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    client = client_for(cast.admin)
    response = client.post(f"{PAGE}{link.uuid}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert Client().get(f"/board/{secret}/").status_code == 404
    page = client.get(PAGE).content.decode()
    assert f"{PAGE}{link.uuid}/revoke/" not in page  # nothing left to revoke
    assert client.post(f"{PAGE}{link.uuid}/revoke/").status_code == 302  # twice: no change


@pytest.mark.parametrize("who", ["leader", "lead", "member"])
def test_others_are_refused_and_see_no_link_in_the_settings(cast, who):
    link, _secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    client = client_for(getattr(cast, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"label": "Mitt"}).status_code == 403
    assert client.post(f"{PAGE}{link.uuid}/revoke/").status_code == 403
    assert BoardLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None
    assert "kitchen-board" not in client.get("/acme/").content.decode()


def test_an_outsider_gets_404(cast):
    link, _secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    client = client_for(cast.outsider)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"label": "x"}).status_code == 404
    assert client.post(f"{PAGE}{link.uuid}/revoke/").status_code == 404
    # Their own admin page cannot reach Acme's link either.
    own = client_for(cast.outsider)
    assert own.post(f"/other/settings/kitchen-board/{link.uuid}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_get_form_errors_never_500(cast, label):
    client = client_for(cast.admin)
    client.raise_request_exception = False
    if label == "\ud800":  # what a browser can send: the bytes of a lone surrogate
        body = b"label=%ED%A0%80"
        response = client.post(PAGE, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200  # decoded as replacement characters, or refused
        assert all("\ud800" not in link.label for link in BoardLink.objects.all())
        return
    else:
        response = client.post(PAGE, {"label": label})
    if label == "<script>alert(1)</script>":
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()  # escaped
        assert BoardLink.objects.filter(label=label).exists()
        return
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not BoardLink.objects.exists()


def test_the_page_lists_links_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for n in range(30):
        services.board_link_create(organisation=cast.org, author=cast.admin, label=f"Skärm {n}")
    client = client_for(cast.admin)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200


# --- The API -------------------------------------------------------------------------------


def test_api_make_list_and_revoke(cast):
    admin = token_api(cast.admin, cast.org)
    created = admin.post(api("acme", "board-links/"), {"label": "Köket"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "active" and body["label"] == "Köket"
    assert body["created_by"] == str(cast.admin.uuid)
    secret = _secret_in(body["url"])
    assert Client().get(f"/board/{secret}/").status_code == 200
    listed = admin.get(api("acme", "board-links/")).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]
    assert "url" not in listed["results"][0] and secret not in str(listed)
    one = admin.get(api("acme", f"board-links/{body['id']}/"))
    assert one.status_code == 200 and one.json()["last_seen_at"] is not None
    assert admin.delete(api("acme", f"board-links/{body['id']}/")).status_code == 204
    assert Client().get(f"/board/{secret}/").status_code == 404
    assert admin.get(api("acme", f"board-links/{body['id']}/")).json()["state"] == "revoked"
    assert admin.delete(api("acme", f"board-links/{body['id']}/")).status_code == 204


@pytest.mark.parametrize("who", ["leader", "lead", "member"])
def test_api_others_get_403(cast, who):
    link, _secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    client = session_api(getattr(cast, who))
    assert client.get(api("acme", "board-links/")).status_code == 403
    assert client.post(api("acme", "board-links/"), {"label": "x"}).status_code == 403
    assert client.delete(api("acme", f"board-links/{link.uuid}/")).status_code == 403


def test_api_outsider_gets_404(cast):
    link, _secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    client = session_api(cast.outsider)
    assert client.get(api("acme", "board-links/")).status_code == 404
    assert client.delete(api("acme", f"board-links/{link.uuid}/")).status_code == 404
    assert client.delete(api("other", f"board-links/{link.uuid}/")).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.parametrize(
    "payload",
    [
        {"label": "\x00"},
        {"label": "\ud800"},
        {"label": "x" * 10_000},
        {"label": ""},
        {"label": "   "},
        {"label": 10**30},
        {"label": None},
        {"label": ["Köket"]},
        {},
        "not json",
    ],
)
def test_api_hostile_input_is_400(cast, payload):
    client = session_api(cast.admin)
    client.client.raise_request_exception = False
    response = client.post(api("acme", "board-links/"), payload)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert not BoardLink.objects.exists()


def test_api_ordering_is_checked(cast):
    client = session_api(cast.admin)
    assert client.get(api("acme", "board-links/"), {"ordering": "label"}).status_code == 200
    assert client.get(api("acme", "board-links/"), {"ordering": "secret_hash"}).status_code == 400


def test_the_schema_documents_the_links(cast):
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/{org_slug}/board-links/"])
    assert {"get", "delete"} <= set(paths["/api/v1/{org_slug}/board-links/{code}/"])
    created = paths["/api/v1/{org_slug}/board-links/"]["post"]["responses"]["201"]
    ref = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "url" in schema["components"]["schemas"][ref]["properties"]
    assert "secret_hash" not in str(schema["components"]["schemas"])
    # As every endpoint: a summary, the problems, examples of what goes in and comes out.
    for path in ("/api/v1/{org_slug}/board-links/", "/api/v1/{org_slug}/board-links/{code}/"):
        for method, operation in paths[path].items():
            assert operation.get("summary") and {"401", "403", "404"} <= set(operation["responses"])
            if "requestBody" in operation:
                body = operation["requestBody"]["content"]["application/json"]
                assert body.get("examples"), (method, path)
            for code, answer in operation["responses"].items():
                if code.startswith("2") and answer.get("content"):
                    assert answer["content"]["application/json"].get("examples"), (method, code)


# --- The audit log -----------------------------------------------------------------------------


def test_making_and_revoking_a_link_are_in_the_audit_log_once(cast):
    """A link shows the OKRs to whoever has it: who made it and who revoked it is logged,
    a second revoke adds nothing, and a refused hostile label logs nothing."""
    from accounts.models import AuditEvent

    client = client_for(cast.admin)
    client.post(PAGE, {"label": "\x00"})
    assert not AuditEvent.objects.filter(action__startswith="board_link.").exists()
    link, _secret = services.board_link_create(
        organisation=cast.org, author=cast.admin, label="Köket"
    )
    services.board_link_revoke(link=link, author=cast.admin)
    services.board_link_revoke(link=link, author=cast.admin)
    events = AuditEvent.objects.filter(organisation=cast.org, action__startswith="board_link.")
    rows = list(events.order_by("created_at", "pk").values_list("action", "target_label", "actor"))
    assert rows == [
        ("board_link.created", "Köket", cast.admin.pk),
        ("board_link.revoked", "Köket", cast.admin.pk),
    ]
