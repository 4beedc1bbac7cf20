"""Sign-up confirms the e-mail address before the organisation is created.

The link mailed to the address is signed and expires; the organisation is created
when it is opened, once. Expired, reused, replaced and tampered links are refused
with a page that says why.
"""

import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts import signup
from accounts.models import Membership, Organisation, User
from tests.support.html import body

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"


def register(client, **changes):
    data = {
        "name": "Nora Nilsen",
        "email": "nora@new.example",
        "password": PASSWORD,
        "organisation": "Nora AS",
        "slug": "nora",
        "language": "nb",
        "timezone": "Europe/Oslo",
        **changes,
    }
    return client.post(reverse("accounts:register"), data)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/register/confirm/\S+/)", message.body).group(1)


def test_signing_up_creates_nothing_until_the_link_is_opened(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 302 and response.url == reverse("accounts:register_sent")
    assert "nora@new.example" in body(client.get(response.url))
    # No organisation, and the account cannot sign in yet.
    assert not Organisation.objects.filter(slug="nora").exists()
    user = User.objects.get(email="nora@new.example")
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    refused = Client().post(
        reverse("accounts:login"), {"username": "nora@new.example", "password": PASSWORD}
    )
    assert refused.status_code == 200
    # The mail is in the organisation's language and carries the link.
    (message,) = mail.outbox
    assert message.to == ["nora@new.example"]
    assert message.extra_headers["Content-Language"] == "nb"
    assert "Nora AS" in message.subject
    link = link_in(message)

    response = client.get(link)
    assert response.status_code == 302 and response.url == "/nora/"
    organisation = Organisation.objects.get(slug="nora")
    assert (organisation.name, organisation.language, organisation.timezone) == (
        "Nora AS",
        "nb",
        "Europe/Oslo",
    )
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == user and membership.role == Membership.Role.ADMIN
    user.refresh_from_db()
    assert user.is_active and user.language == ""  # reads the organisation's language
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/nora/").status_code == 200


def test_a_link_works_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    link = link_in(mail.outbox[-1])
    assert client.get(link).status_code == 302
    # The same person, still signed in: taken to their organisation.
    again = client.get(link)
    assert again.status_code == 302 and again.url == reverse("accounts:home")
    # Anyone else (or the person signed out): already used, sign in instead.
    other = Client()
    response = other.get(link)
    assert response.status_code == 410
    assert "already been used" in body(response)
    assert reverse("accounts:login") in body(response)
    assert Organisation.objects.filter(slug="nora").count() == 1
    assert Membership.objects.filter(organisation__slug="nora").count() == 1


def test_an_expired_link_is_refused(client, monkeypatch, django_capture_on_commit_callbacks):
    days = settings.SIGNUP_CONFIRMATION_DAYS
    earlier = time.time() - days * 86400 - 60

    class Then:
        @staticmethod
        def time():
            return earlier

    monkeypatch.setattr(signing, "time", Then)
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    monkeypatch.undo()
    response = client.get(link_in(mail.outbox[-1]))
    assert response.status_code == 410
    assert "expired" in body(response)
    assert not Organisation.objects.filter(slug="nora").exists()
    assert not User.objects.get(email="nora@new.example").is_active


def test_a_link_just_inside_its_time_works(client, monkeypatch, django_capture_on_commit_callbacks):
    earlier = time.time() - settings.SIGNUP_CONFIRMATION_DAYS * 86400 + 120

    class Then:
        @staticmethod
        def time():
            return earlier

    monkeypatch.setattr(signing, "time", Then)
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    monkeypatch.undo()
    assert client.get(link_in(mail.outbox[-1])).status_code == 302
    assert Organisation.objects.filter(slug="nora").exists()


@pytest.mark.parametrize("where", ["payload", "signature", "end"])
def test_a_tampered_link_is_refused(client, where, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    link = link_in(mail.outbox[-1])
    token = link.rstrip("/").rsplit("/", 1)[1]
    if where == "payload":
        changed = ("A" if token[3] != "A" else "B").join([token[:3], token[4:]])
    elif where == "signature":
        changed = token[:-3] + ("x" if token[-3] != "x" else "y") + token[-2:]
    else:
        changed = token[:-1]
    response = client.get(reverse("accounts:register_confirm", args=[changed]))
    assert response.status_code == 404
    assert "not valid" in body(response)
    assert not Organisation.objects.filter(slug="nora").exists()
    assert not User.objects.get(email="nora@new.example").is_active


def test_a_link_signed_for_another_purpose_is_refused(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    user = User.objects.get(email="nora@new.example")
    # Right shape, signed with the site's key, but not by the sign-up (another salt).
    forged = signing.dumps({"u": user.pk, "f": "x", "o": {"slug": "evil"}}, compress=True)
    assert client.get(reverse("accounts:register_confirm", args=[forged])).status_code == 404
    assert not Organisation.objects.filter(slug="evil").exists()


def test_signing_up_again_replaces_the_first_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
        register(client, name="Nora N.", slug="nora-as", password="another long passphrase")
    first, second = (link_in(message) for message in mail.outbox)
    response = client.get(first)
    assert response.status_code == 410 and "newer link" in body(response)
    assert client.get(second).status_code == 302
    user = User.objects.get(email="nora@new.example")
    assert user.name == "Nora N." and user.check_password("another long passphrase")
    assert Organisation.objects.filter(slug="nora-as").exists()
    assert User.objects.filter(email__iexact="nora@new.example").count() == 1


def test_an_address_with_an_account_signs_in_instead(client, cast):
    response = register(client, email="member@acme.example")
    assert response.status_code == 200
    assert "already an account" in body(response)
    assert not mail.outbox


def test_the_address_is_checked_when_the_form_is_sent(client, cast):
    response = register(client, slug="acme")
    assert response.status_code == 200 and "taken" in body(response)
    # Left empty, the address is made from the name.
    assert register(client, slug="", organisation="Nora Nordic AS").status_code == 302
    assert signup.pending_user("nora@new.example") is not None


def test_an_address_taken_meanwhile_lets_the_person_pick_another(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    Organisation.objects.create(name="Someone else", slug="nora")
    response = client.get(link_in(mail.outbox[-1]))
    assert response.status_code == 302 and response.url == reverse("accounts:organisation_new")
    assert User.objects.get(email="nora@new.example").is_active
    page = body(client.get(response.url))
    assert 'value="Nora AS"' in page  # the name typed at sign-up, ready to submit
    response = client.post(
        reverse("accounts:organisation_new"),
        {"name": "Nora AS", "slug": "nora-as", "language": "nb", "timezone": "Europe/Oslo"},
    )
    assert response.status_code == 302 and response.url == "/nora-as/"
