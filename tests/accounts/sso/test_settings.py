"""The admin's single sign-on settings page: set up, the write-only secret, the provider test."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, SsoConfiguration, SsoDomain
from accounts.sso import secrets
from conftest import client_for
from tests.support.factories import OrganisationFactory
from tests.support.html import marked_invalid, text_of
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, free_port, through_provider

pytestmark = pytest.mark.django_db

URL = reverse("settings:sso", args=["acme"])


def form(oidc, **changes):
    data = {
        "issuer": oidc.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "domains": "acme.example\nAcme.SE, @sub.acme.example",
        "enabled": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_admin_sets_up_sso_and_the_secret_is_never_shown(cast, oidc):
    admin = client_for(cast.admin)
    page = admin.get(URL)
    assert page.status_code == 200
    assert "http://testserver/accounts/sso/callback/" in text_of(page)
    response = admin.post(URL, form(oidc))
    assert response.status_code == 302 and response.url == URL
    configuration = SsoConfiguration.objects.get(organisation=cast.org)
    assert configuration.enabled and not configuration.require_sso
    assert configuration.issuer == oidc.issuer and configuration.client_id == CLIENT_ID
    assert list(configuration.domains.values_list("domain", flat=True)) == [
        "acme.example",
        "acme.se",
        "sub.acme.example",
    ]
    # Stored encrypted, readable by the server, never rendered.
    assert CLIENT_SECRET not in configuration.client_secret_encrypted
    assert secrets.decrypt(configuration.client_secret_encrypted) == CLIENT_SECRET
    page = admin.get(URL)
    assert CLIENT_SECRET not in page.content.decode()
    assert "A secret is stored" in text_of(page)
    event = AuditEvent.objects.get(organisation=cast.org, action="sso.changed")
    assert event.details["client_secret_changed"] is True
    assert CLIENT_SECRET not in str(event.details)


def test_an_empty_secret_keeps_the_stored_one(cast, oidc):
    admin = client_for(cast.admin)
    admin.post(URL, form(oidc))
    admin.post(URL, form(oidc, client_secret="", client_id="renamed"))
    configuration = SsoConfiguration.objects.get(organisation=cast.org)
    assert configuration.client_id == "renamed"
    assert secrets.decrypt(configuration.client_secret_encrypted) == CLIENT_SECRET


def test_a_failed_save_does_not_render_the_secret_back(cast, oidc):
    response = client_for(cast.admin).post(URL, form(oidc, issuer="ftp://nope"))
    assert response.status_code == 400
    assert CLIENT_SECRET not in response.content.decode()
    assert marked_invalid(response.content.decode(), "issuer")


def test_require_sso_needs_a_sign_in_through_the_current_settings(cast, oidc):
    admin = client_for(cast.admin)
    response = admin.post(URL, form(oidc, require_sso="on"))
    assert response.status_code == 409
    assert "can be required once someone has signed in" in text_of(response)
    assert not SsoConfiguration.objects.filter(organisation=cast.org).exists()
    response = admin.post(URL, form(oidc, require_sso="on", enabled=None))
    assert "Turn single sign-on on before requiring it." in text_of(response)
    assert admin.post(URL, form(oidc)).status_code == 302
    # The admin signs in through the provider once: now it is proven.
    oidc.set(email="admin@acme.example")
    assert through_provider(Client(), "admin@acme.example").status_code == 302
    assert admin.post(URL, form(oidc, require_sso="on", client_secret="")).status_code == 302
    assert SsoConfiguration.objects.get(organisation=cast.org).require_sso
    # Another client id must be proven again before it can stay required.
    response = admin.post(URL, form(oidc, require_sso="on", client_secret="", client_id="new"))
    assert response.status_code == 409
    assert SsoConfiguration.objects.get(organisation=cast.org).client_id == CLIENT_ID


def test_enabling_needs_a_secret_and_a_domain(cast, oidc):
    response = client_for(cast.admin).post(URL, form(oidc, client_secret="", domains=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert marked_invalid(html, "client_secret") and marked_invalid(html, "domains")


def test_a_domain_of_another_organisation_is_refused(cast, oidc):
    client_for(cast.outsider).post(
        reverse("settings:sso", args=["other"]), form(oidc, domains="acme.se")
    )
    response = client_for(cast.admin).post(URL, form(oidc))
    assert response.status_code == 400
    assert "Another organisation already signs in acme.se." in text_of(response)
    assert SsoDomain.objects.get(domain="acme.se").organisation == cast.other_org


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("ok", "The provider test passed."),
        ("not_json", "is not a JSON document"),
        ("issuer_mismatch", "names the issuer “https://impostor.example”"),
        ("no_jwks", "has no “jwks_uri”"),
    ],
)
def test_the_provider_test_says_what_is_wrong(cast, oidc, mode, message):
    oidc.set(mode=mode)
    response = client_for(cast.admin).post(URL, form(oidc, test="1"))
    assert response.status_code == 200
    assert message in text_of(response)
    assert not SsoConfiguration.objects.filter(organisation=cast.org).exists()  # not saved


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("http://127.0.0.1:{port}", "could not be reached"),
        ("http://127.0.0.1:{provider}/nothing-here", "HTTP status 404"),
    ],
)
def test_the_provider_test_of_an_unreachable_provider(cast, oidc, issuer, message):
    issuer = issuer.format(port=free_port(), provider=oidc.port)
    response = client_for(cast.admin).post(URL, form(oidc, issuer=issuer, test="1"))
    assert response.status_code == 200
    assert message in text_of(response)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issuer", "https://login.example.com/\x00"),
        ("issuer", "http://login.example.com"),  # plain http only for this machine
        ("issuer", "https://user:pw@login.example.com"),
        ("issuer", "https://login.example.com:99999"),
        ("issuer", "x" * 10000),
        ("client_id", "a b"),
        ("client_id", "\x00"),
        ("client_secret", "a\x00b"),
        ("domains", "not a domain"),
        ("domains", "exa_mple.com"),
        ("domains", "-bad.example"),
        ("domains", "\x00.example"),
        ("domains", " ".join(f"d{i}.example" for i in range(51))),
        ("domains", "x" * 10000),
    ],
)
def test_hostile_values_get_field_errors(cast, oidc, field, value):
    response = client_for(cast.admin).post(URL, form(oidc, **{field: value}))
    assert response.status_code == 400
    assert marked_invalid(response.content.decode(), field)
    assert not SsoConfiguration.objects.filter(organisation=cast.org).exists()


def test_only_admins_see_the_page_and_outsiders_get_404(cast, oidc):
    assert client_for(cast.member).get(URL).status_code == 403
    assert client_for(cast.leader).post(URL, form(oidc)).status_code == 403
    assert client_for(cast.outsider).get(URL).status_code == 404
    assert client_for(cast.outsider).post(URL, form(oidc)).status_code == 404
    assert not SsoConfiguration.objects.exists()


def test_the_settings_navigation_links_the_page(cast):
    page = client_for(cast.admin).get(reverse("settings:organisation", args=["acme"]))
    assert f'href="{URL}"' in page.content.decode()


def test_the_page_costs_few_queries(cast, oidc, django_assert_max_num_queries):
    admin = client_for(cast.admin)
    admin.post(URL, form(oidc))
    OrganisationFactory(slug="third")
    with django_assert_max_num_queries(12):
        assert admin.get(URL).status_code == 200


def test_a_secret_no_key_opens_reads_as_missing(cast, oidc, settings):
    client_for(cast.admin).post(URL, form(oidc))
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-entirely-0123456789-0123456789-0123456789"
    configuration = SsoConfiguration.objects.get(organisation=cast.org)
    assert secrets.decrypt(configuration.client_secret_encrypted) is None
    settings.SECRET_KEY_FALLBACKS = [original]
    assert secrets.decrypt(configuration.client_secret_encrypted) == CLIENT_SECRET
