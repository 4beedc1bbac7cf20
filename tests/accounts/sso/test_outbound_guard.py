"""SSO and the outbound guard (accounts/outbound.py): an issuer, or an endpoint its discovery
document names, on a private network is refused with the admin's clear message, never a 500.

The tests' provider listens on 127.0.0.1, which the test settings allow; these tests turn
that off (``OUTBOUND_ALLOW_PRIVATE=False``), as in production.
"""

import socket

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts import outbound
from accounts.models import SsoConfiguration
from accounts.sso import provider
from conftest import client_for
from tests.support.api import session_api
from tests.support.html import marked_invalid, text_of
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db

PAGE = reverse("settings:sso", args=["acme"])
API = "/api/v1/acme/sso/"
PRIVATE = override_settings(OUTBOUND_ALLOW_PRIVATE=False)
NOT_WORKING = "Single sign-on for Acme AB is not working at the moment; ask your admin."
REFUSED = ["http://169.254.169.254/", "https://10.0.0.1/", "https://[::ffff:127.0.0.1]"]


def resolving(monkeypatch, address: str):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 443))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def discoveries(oidc) -> int:
    """How many times the provider was asked for its discovery document."""
    return sum(entry["path"] == "/.well-known/openid-configuration" for entry in oidc.log())


def form(issuer: str, **extra) -> dict:
    return {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "domains": "acme.example",
        "enabled": "on",
        **extra,
    }


@PRIVATE
@pytest.mark.parametrize("issuer", REFUSED)
@pytest.mark.parametrize("test", [False, True])
def test_the_page_refuses_a_private_issuer_as_a_field_error(cast, issuer, test):
    data = form(issuer, **({"test": "1"} if test else {}))
    response = client_for(cast.admin).post(PAGE, data)
    assert response.status_code == 400
    assert response.context["form"].errors["issuer"]
    page = text_of(response)
    assert marked_invalid(page, "issuer")
    assert f'value="{issuer}"' in page  # the typed value is kept
    assert not SsoConfiguration.objects.exists()


@PRIVATE
def test_the_page_names_the_private_address_a_host_name_resolves_to(cast, monkeypatch):
    resolving(monkeypatch, "10.20.30.40")
    response = client_for(cast.admin).post(PAGE, form("https://idp.acme.example"))
    assert response.status_code == 400
    [error] = response.context["form"].errors["issuer"]
    assert "idp.acme.example" in error and "10.20.30.40" in error
    assert "public internet" in error


@PRIVATE
@pytest.mark.parametrize("issuer", REFUSED)
def test_the_api_refuses_a_private_issuer_with_400(cast, issuer):
    body = {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    response = session_api(cast.admin).patch(API, {**body, "domains": ["acme.example"]})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["issuer"]
    assert not SsoConfiguration.objects.exists()


@PRIVATE
def test_the_api_names_the_private_address(cast, monkeypatch):
    resolving(monkeypatch, "169.254.169.254")
    body = {"issuer": "https://idp.acme.example", "client_id": CLIENT_ID}
    response = session_api(cast.admin).patch(API, body)
    assert response.status_code == 400
    assert "169.254.169.254" in response.json()["issuer"][0]


@PRIVATE
@pytest.mark.parametrize("field", ["token_endpoint", "jwks_uri"])
@pytest.mark.parametrize("address", ["https://10.0.0.1/x", "https://169.254.169.254/x"])
def test_the_endpoints_discovery_names_are_checked_too(monkeypatch, field, address):
    resolving(monkeypatch, "93.184.215.14")  # the issuer's name is public
    document = {
        "issuer": "https://idp.acme.example",
        "authorization_endpoint": "https://idp.acme.example/authorize",
        "token_endpoint": "https://idp.acme.example/token",
        "jwks_uri": "https://idp.acme.example/jwks",
    }
    document[field] = address
    monkeypatch.setattr(provider, "_get_json", lambda url: dict(document))
    with pytest.raises(provider.ProviderProblem) as raised:
        provider.discover("https://idp.acme.example")
    assert raised.value.code == "address_private"
    assert address in raised.value.message and "public internet" in raised.value.message


def test_a_provider_on_a_private_address_is_the_admins_to_fix(client, sso_org, oidc, cast):
    """Saved while allowed; then not allowed: the person gets the usual page, the admin the
    reason, and the provider is not even asked."""
    before = discoveries(oidc)
    with PRIVATE:
        response = client.post("/accounts/sso/", {"email": "new@acme.example"})
        assert response.status_code == 502 and NOT_WORKING in text_of(response)
        problem = SsoConfiguration.objects.get(organisation=sso_org).last_problem
        assert problem["code"] == "address_private"
        page = client_for(cast.admin).get(PAGE)
    assert page.status_code == 200
    assert "leads to a private or internal network address (127.0.0.1)" in text_of(page)
    assert discoveries(oidc) == before


def test_a_provider_rebound_to_a_private_address_is_refused_when_connecting(
    client, sso_org, oidc, monkeypatch
):
    """The check passed (DNS said public), the connection finds 127.0.0.1: refused there."""
    before = discoveries(oidc)
    monkeypatch.setattr(outbound, "check_url", lambda url: None)
    with PRIVATE:
        response = client.post("/accounts/sso/", {"email": "new@acme.example"})
    assert response.status_code == 502 and NOT_WORKING in text_of(response)
    problem = SsoConfiguration.objects.get(organisation=sso_org).last_problem
    assert problem["code"] == "address_private"
    assert problem["params"] == {
        "url": f"{oidc.issuer}/.well-known/openid-configuration",
        "address": "127.0.0.1",
    }
    assert discoveries(oidc) == before


def test_the_token_exchange_is_guarded_when_connecting(oidc, monkeypatch):
    discovery = provider.discover(oidc.issuer)  # allowed here, as in the tests
    monkeypatch.setattr(outbound, "check_url", lambda url: None)
    with PRIVATE, pytest.raises(provider.ProviderProblem) as raised:
        provider.exchange(
            discovery,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri="http://testserver/accounts/sso/callback/",
            code="any",
            code_verifier="v" * 50,
        )
    assert raised.value.code == "address_private"
    assert raised.value.params["url"] == discovery.token_endpoint
