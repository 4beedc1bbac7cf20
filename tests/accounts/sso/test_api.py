"""The single sign-on settings in the API: admins read (never the secret) and write; 400s, 403, 404."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import SsoConfiguration
from accounts.sso import secrets
from tests.support.api import api, session_api, token_api
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db

URL = api("acme", "sso/")


def body(oidc, **changes):
    return {
        "issuer": oidc.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "domains": ["acme.example", "ACME.se"],
        "enabled": True,
        **changes,
    }


def test_an_admin_reads_an_empty_configuration(cast):
    response = session_api(cast.admin).get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["configured"] is False and data["domains"] == [] and data["enabled"] is False
    assert data["callback_url"] == "http://testserver/accounts/sso/callback/"


def test_an_admin_writes_and_reads_back_without_the_secret(cast, oidc):
    client = token_api(cast.admin, cast.org)
    response = client.patch(URL, body(oidc))
    assert response.status_code == 200, response.content
    data = response.json()
    assert "client_secret" not in data and CLIENT_SECRET not in response.content.decode()
    assert data["has_client_secret"] is True
    assert data["domains"] == ["acme.example", "acme.se"]
    assert data["configured"] and data["enabled"] and not data["require_sso"]
    configuration = SsoConfiguration.objects.get(organisation=cast.org)
    assert secrets.decrypt(configuration.client_secret_encrypted) == CLIENT_SECRET
    # Only what is sent changes; the secret stays. "Require" waits for a sign-in that worked.
    same = {"issuer": oidc.issuer, "client_id": CLIENT_ID}
    response = client.patch(URL, {**same, "require_sso": True})
    assert response.status_code == 409 and response.json()["code"] == "sso_not_proven"
    SsoConfiguration.objects.update(last_success_at=timezone.now())
    response = client.patch(URL, {**same, "require_sso": True})
    assert response.status_code == 200 and response.json()["require_sso"] is True
    response = client.patch(URL, {**same, "enabled": False})
    assert response.json()["enabled"] is False and response.json()["require_sso"] is False
    assert client.get(URL).json()["has_client_secret"] is True


def test_the_first_write_needs_issuer_and_client_id(cast):
    response = session_api(cast.admin).patch(URL, {"domains": ["acme.example"]})
    assert response.status_code == 400
    assert set(response.json()) >= {"issuer", "client_id"}


def test_service_rules_are_field_errors(cast, oidc):
    client = session_api(cast.admin)
    response = client.patch(URL, body(oidc, enabled=False, require_sso=True))
    assert response.status_code == 400 and "require_sso" in response.json()
    response = client.patch(URL, body(oidc, client_secret="", domains=[]))
    assert response.status_code == 400
    assert set(response.json()) == {"client_secret", "domains"}
    session_api(cast.outsider).patch(api("other", "sso/"), body(oidc, domains=["acme.se"]))
    response = client.patch(URL, body(oidc))
    assert response.status_code == 400 and "acme.se" in response.json()["domains"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issuer", "not a url"),
        ("issuer", "ftp://login.example.com"),
        ("issuer", "http://login.example.com"),
        ("issuer", "https://login.example.com/\x00"),
        ("issuer", "https://login.example.com/\ud800"),
        ("issuer", "https://" + "x" * 10000),
        ("issuer", 12),
        ("issuer", "https://Login.example.com"),
        ("issuer", "https://login.example.com?x=1"),
        ("client_id", "\ud800"),
        ("client_id", "a\x00"),
        ("client_id", ""),
        ("client_secret", "\ud800"),
        ("client_secret", "x" * 10000),
        ("domains", "acme.example"),
        ("domains", [" acme.example"]),
        ("domains", ["@acme.example"]),
        ("domains", ["not a domain"]),
        ("domains", ["a\x00.example"]),
        ("domains", ["\ud800.example"]),
        ("domains", [12]),
        ("domains", [f"d{i}.example" for i in range(51)]),
        ("domains", ["x" * 10000]),
        ("enabled", "yes please"),
        ("require_sso", 10**30),
    ],
)
def test_hostile_values_are_400_with_the_field(cast, oidc, field, value):
    response = session_api(cast.admin).patch(URL, body(oidc, **{field: value}))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not SsoConfiguration.objects.exists()


def test_a_body_that_is_not_json_is_400(cast):
    client = Client()
    client.force_login(cast.admin)
    response = client.patch(URL, "{", content_type="application/json")
    assert response.status_code == 400


def test_members_get_403_and_outsiders_404(cast, oidc):
    assert session_api(cast.member).get(URL).status_code == 403
    assert session_api(cast.leader).patch(URL, body(oidc)).status_code == 403
    assert session_api(cast.outsider).get(URL).status_code == 404
    assert token_api(cast.outsider, cast.other_org).patch(URL, body(oidc)).status_code == 404
    assert Client().get(URL).status_code in (401, 403)
    assert not SsoConfiguration.objects.exists()


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    operations = paths["/api/v1/{org_slug}/sso/"]
    assert set(operations) >= {"get", "patch"}
    assert "400" in operations["patch"]["responses"]
    assert "404" in operations["get"]["responses"]
