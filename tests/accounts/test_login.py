"""Signing in with e-mail, signing out, password reset by e-mail, picking an organisation."""

import re

from django.core import mail
from django.urls import reverse

from tests.support.factories import PASSWORD, MembershipFactory, OrganisationFactory


def test_login_with_email_case_insensitive(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "ADMIN@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    # One organisation: straight to its home page.
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url == reverse("okr:home", args=["acme"])


def test_login_wrong_password_keeps_email_and_says_why(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": "admin@acme.example", "password": "nope"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="admin@acme.example"' in body
    assert 'class="errorlist' in body


def test_logout_is_post_only_and_ends_session(client, cast):
    client.force_login(cast.member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("okr:home", args=["acme"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_visitor_is_sent_to_login(client, cast):
    response = client.get("/acme/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/acme/"


def test_password_reset_by_email(client, cast):
    response = client.post(reverse("accounts:password_reset"), {"email": "member@acme.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@acme.example"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "a brand new long passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.check_password(new_password)


def test_password_reset_mail_in_users_language(client, cast):
    cast.member.language = "en"
    cast.member.save()
    client.post(
        reverse("accounts:password_reset"),
        {"email": "member@acme.example"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "password" in mail.outbox[0].subject.lower()


def test_user_in_several_organisations_picks_one(client, cast):
    second = OrganisationFactory(slug="second", name="Second AB")
    MembershipFactory(organisation=second, user=cast.member)
    client.force_login(cast.member)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/acme/" in body and "/second/" in body


def test_signed_in_user_creates_another_organisation_and_is_its_admin(client, cast):
    # Sign-up itself (confirming the address first) is in test_signup.py.
    client.force_login(cast.member)
    response = client.post(
        reverse("accounts:organisation_new"),
        {"name": "Nora AS", "slug": "nora", "language": "nb", "timezone": "Europe/Oslo"},
    )
    assert response.status_code == 302
    assert response.url == "/nora/"
    from accounts.models import Membership

    membership = Membership.objects.get(organisation__slug="nora", user=cast.member)
    assert membership.role == "admin"


def test_create_organisation_rejects_taken_and_reserved_slug_keeping_input(client, cast):
    client.force_login(cast.member)
    for slug in ["acme", "api", "accounts"]:
        response = client.post(
            reverse("accounts:organisation_new"),
            {"name": "Typed Name", "slug": slug, "language": "sv", "timezone": "Europe/Stockholm"},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert 'value="Typed Name"' in body
        assert 'aria-invalid="true"' in body
