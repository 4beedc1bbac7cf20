"""Signing in through an organisation's OpenID Connect provider, against a real provider process.

The app talks to ``tests/support/oidc_provider.py`` over real HTTP on 127.0.0.1: the
discovery document, the JWKS with a real RSA key, the code exchange with PKCE and an
RS256-signed ID token. Every way the provider can go wrong ends in a page that says
what happened, never a 500, and nobody signed in.
"""

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Invitation, Membership, SsoConfiguration, User
from accounts.sso import services
from conftest import client_for
from tests.support.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.support.html import text_of
from tests.support.oidc_provider import CLIENT_ID, free_port, through_provider

pytestmark = pytest.mark.django_db

NOT_WORKING = "Single sign-on for Acme AB is not working at the moment; ask your admin."


def signed_in(client):
    return SESSION_KEY in client.session


def test_first_sign_in_creates_a_member(client, sso_org, oidc):
    from accounts.models import WebhookEndpoint, WebhookEvent

    WebhookEndpoint.objects.create(
        organisation=sso_org, url="https://hooks.example/okr", events=["member.added"], secret="s"
    )
    oidc.set(email="new@acme.example", name="Nora New")
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 302
    assert response.url == reverse("okr:home", args=["acme"])
    user = User.objects.get(email="new@acme.example")
    assert user.name == "Nora New" and not user.has_usable_password()
    assert Membership.objects.get(organisation=sso_org, user=user).role == "member"
    assert signed_in(client)
    assert client.get(response.url).status_code == 200
    event = AuditEvent.objects.get(organisation=sso_org, action="member.added")
    assert event.details["via"] == "sso"
    [hook] = WebhookEvent.objects.filter(organisation=sso_org, type="member.added")
    assert hook.payload["user"]["email"] == "new@acme.example"


def test_the_provider_saw_pkce_state_nonce_and_a_basic_secret(client, sso_org, oidc):
    oidc.set(email="new@acme.example")
    through_provider(client, "new@acme.example")
    authorize = next(e for e in oidc.log() if e["path"] == "/authorize")["query"]
    assert authorize["code_challenge_method"] == "S256" and len(authorize["code_challenge"]) >= 43
    assert authorize["state"] and authorize["nonce"] and authorize["login_hint"]
    assert authorize["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    token = next(e for e in oidc.log() if e["path"] == "/token")["form"]
    assert token["code_verifier"] and "client_secret" not in token  # sent in the header


def test_a_pending_invitation_gives_its_role_and_is_used_up(client, sso_org, oidc, cast):
    invitation = InvitationFactory(
        organisation=sso_org, email="Boss@acme.example", role="leadership"
    )
    invitation.teams.add(cast.team)
    oidc.set(email="boss@acme.example")
    response = through_provider(client, "boss@acme.example")
    assert response.status_code == 302
    user = User.objects.get(email="boss@acme.example")
    assert Membership.objects.get(organisation=sso_org, user=user).role == "leadership"
    assert cast.team.members.filter(pk=user.pk).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.accepted_by == user


def test_an_existing_member_signs_in(client, sso_org, oidc, cast):
    oidc.set(email="member@acme.example")
    response = through_provider(client, "member@acme.example", next_url="/acme/check-ins/")
    assert response.status_code == 302 and response.url == "/acme/check-ins/"
    assert int(client.session[SESSION_KEY]) == cast.member.pk
    assert User.objects.filter(email__iexact="member@acme.example").count() == 1


def test_an_existing_account_of_another_organisation_is_refused(client, sso_org, oidc):
    stranger = UserFactory(email="visitor@acme.example")
    MembershipFactory(
        organisation=OrganisationFactory(slug="elsewhere", name="Elsewhere"), user=stranger
    )
    oidc.set(email="visitor@acme.example")
    response = through_provider(client, "visitor@acme.example")
    assert response.status_code == 403
    assert "not a member of Acme AB" in text_of(response)
    assert not signed_in(client)


def test_an_existing_account_with_an_invitation_joins(client, sso_org, oidc):
    person = UserFactory(email="guest@acme.example")
    InvitationFactory(organisation=sso_org, email="guest@acme.example", role="member")
    oidc.set(email="guest@acme.example")
    assert through_provider(client, "guest@acme.example").status_code == 302
    assert Membership.objects.filter(organisation=sso_org, user=person).exists()
    assert Invitation.objects.get(email="guest@acme.example").accepted_by == person


@pytest.mark.parametrize(
    ("mode", "detail"),
    [
        ("wrong_audience", "claim “aud” is wrong"),
        ("bad_signature", "signature does not match"),
        ("expired", "has expired"),
        ("wrong_nonce", "claim “nonce” is wrong"),
    ],
)
def test_an_id_token_that_does_not_verify_is_refused(client, sso_org, oidc, cast, mode, detail):
    oidc.set(email="new@acme.example", mode=mode)
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 502
    assert NOT_WORKING in text_of(response)
    assert not signed_in(client) and not User.objects.filter(email="new@acme.example").exists()
    configuration = SsoConfiguration.objects.get(organisation=sso_org)
    assert configuration.last_problem["code"] in {"bad_claim", "bad_signature", "expired"}
    # The admin reads the details on the settings page.
    page = client_for(cast.admin).get(reverse("settings:sso", args=["acme"]))
    assert detail in text_of(page)


def test_an_unverified_email_is_refused(client, sso_org, oidc):
    oidc.set(email="new@acme.example", email_verified=False)
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 502 and NOT_WORKING in text_of(response)
    assert not signed_in(client)


def test_a_sign_in_that_works_clears_the_last_problem(client, sso_org, oidc):
    oidc.set(email="new@acme.example", mode="expired")
    through_provider(client, "new@acme.example")
    oidc.set(email="new@acme.example")
    assert through_provider(client, "new@acme.example").status_code == 302
    assert SsoConfiguration.objects.get(organisation=sso_org).last_problem is None


def test_a_wrong_client_secret_is_the_admins_to_fix(client, sso_org, oidc, cast):
    services.sso_configure(
        organisation=sso_org,
        author=None,
        issuer=oidc.issuer,
        client_id=CLIENT_ID,
        client_secret="not-the-secret",
        domains=["acme.example"],
        enabled=True,
        require_sso=False,
    )
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 502 and NOT_WORKING in text_of(response)
    page = client_for(cast.admin).get(reverse("settings:sso", args=["acme"]))
    assert "refused to exchange the sign-in code: invalid_client" in text_of(page)


def test_a_state_that_does_not_match_is_refused(client, sso_org, oidc):
    oidc.set(email="new@acme.example")
    response = client.post("/accounts/sso/", {"email": "new@acme.example"})
    answer = requests.get(response.context["url"], allow_redirects=False, timeout=5)
    location = answer.headers["Location"]
    forged = location.split("state=")[0] + "state=forged"
    response = client.get(forged.replace("http://testserver", ""))
    assert response.status_code == 400
    assert "could not be completed" in text_of(response)
    assert not signed_in(client)


def test_a_return_cannot_be_replayed_or_used_in_another_browser(client, sso_org, oidc):
    oidc.set(email="new@acme.example")
    response = client.post("/accounts/sso/", {"email": "new@acme.example"})
    answer = requests.get(response.context["url"], allow_redirects=False, timeout=5)
    back = answer.headers["Location"].replace("http://testserver", "")
    assert Client().get(back).status_code == 400  # another browser: no such state
    assert client.get(back).status_code == 302
    client.logout()
    assert client.get(back).status_code == 400  # the state is used up


def test_the_provider_refusing_the_person_is_said(client, sso_org, oidc):
    oidc.set(email="new@acme.example", mode="deny")
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 403
    assert "did not sign you in (access_denied)" in text_of(response)


def test_a_provider_that_is_down_gets_a_clear_message(client, sso_org):
    SsoConfiguration.objects.filter(organisation=sso_org).update(
        issuer=f"http://127.0.0.1:{free_port()}"
    )
    response = client.post("/accounts/sso/", {"email": "new@acme.example"})
    assert response.status_code == 502
    assert NOT_WORKING in text_of(response)
    assert SsoConfiguration.objects.get(organisation=sso_org).last_problem["code"] == "unreachable"


def test_an_address_the_provider_returns_outside_the_domains_is_refused(client, sso_org, oidc):
    oidc.set(email="someone@elsewhere.example")
    response = through_provider(client, "new@acme.example")
    assert response.status_code == 403
    assert "not in a domain that Acme AB signs in" in text_of(response)
    assert not User.objects.filter(email="someone@elsewhere.example").exists()


def test_a_domain_without_sso_is_sent_to_the_password_form(client, sso_org):
    response = client.post("/accounts/sso/", {"email": "someone@other.example"})
    assert response.status_code == 400
    assert "not set up for this e-mail address" in text_of(response)


def test_sso_turned_off_sends_nobody_to_the_provider(client, sso_org):
    SsoConfiguration.objects.filter(organisation=sso_org).update(enabled=False)
    assert client.post("/accounts/sso/", {"email": "new@acme.example"}).status_code == 400


@pytest.mark.parametrize(
    "email", ["", "not-an-address", "a\x00b@acme.example", "é\x7f@acme.example", "x" * 10000]
)
def test_hostile_emails_get_a_form_error(client, sso_org, email):
    response = client.post("/accounts/sso/", {"email": email})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_the_sign_in_pages_answer(client):
    assert client.get("/accounts/sso/").status_code == 200
    assert client.get("/accounts/sso/callback/").status_code == 400
    login = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/accounts/sso/"' in login


# --- Require SSO --------------------------------------------------------------------------------


@pytest.fixture
def required(sso_org):
    SsoConfiguration.objects.filter(organisation=sso_org).update(require_sso=True)
    return sso_org


def password_login(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_require_sso_turns_password_login_off_for_members(client, required, cast):
    response = password_login(client, "member@acme.example")
    assert response.status_code == 200
    assert "Acme AB requires single sign-on" in text_of(response)
    assert not signed_in(client)
    # Someone of another organisation still signs in with a password.
    assert password_login(client, "outsider@other.example").status_code == 302


def test_a_member_of_two_organisations_one_requiring_sso_uses_sso(client, required, cast):
    MembershipFactory(organisation=required, user=cast.outsider)
    response = password_login(client, "outsider@other.example")
    assert "Acme AB requires single sign-on" in text_of(response)
    assert not signed_in(client)


def test_wrong_passwords_are_still_locked_out_when_sso_is_required(client, required):
    for _ in range(5):
        password_login(client, "member@acme.example", "wrong")
    assert password_login(client, "member@acme.example").status_code == 429


def test_members_of_a_required_organisation_sign_in_through_the_provider(client, required, oidc):
    oidc.set(email="member@acme.example")
    assert through_provider(client, "member@acme.example").status_code == 302
    assert signed_in(client)
