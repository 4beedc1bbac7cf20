"""Invitations from e-mail to membership: the link, signing up or in, and every way a link can be spent."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts import services
from accounts.models import Invitation, Membership, TeamMembership, User
from conftest import client_for
from tests.support.factories import PASSWORD, TeamFactory, UserFactory
from tests.support.html import body, marked_invalid


@pytest.fixture
def invite(cast, django_capture_on_commit_callbacks):
    """Invite someone to acme the way the settings page does; returns (invitation, link)."""

    def make(email="nora@new.example", role="leadership", teams=(), organisation=None):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, token = services.invitation_create(
                organisation=organisation or cast.org,
                # An admin of the organisation invites (the outsider is the other one's admin).
                invited_by=cast.outsider if organisation == cast.other_org else cast.admin,
                email=email,
                role=role,
                teams=teams,
            )
        return invitation, reverse("accounts:invitation", args=[token])

    return make


def link_in(message):
    return re.search(r"https?://[^/\s]+(/invitations/[^/\s]+/)", message.body).group(1)


def test_new_person_signs_up_through_the_link_and_joins_with_role_and_teams(cast, client, invite):
    team = TeamFactory(organisation=cast.org, name="Marknad")
    TeamFactory(organisation=cast.org, name="Produktion")
    invitation, link = invite(teams=[team])
    assert link_in(mail.outbox[0]) == link

    page = client.get(link)
    assert page.status_code == 200
    html = body(page)
    assert "nora@new.example" in html and 'name="password"' in html

    response = client.post(
        link, {"name": "Nora Ny", "password": "a long enough passphrase", "language": ""}
    )
    assert response.status_code == 302
    assert response.url == "/acme/"
    user = User.objects.get(email="nora@new.example")
    assert user.name == "Nora Ny" and user.check_password("a long enough passphrase")
    membership = Membership.objects.get(organisation=cast.org, user=user)
    assert membership.role == "leadership"
    assert [tm.team for tm in TeamMembership.objects.filter(user=user)] == [team]
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.accepted_by == user
    # Signed in, and welcomed.
    home = client.get("/acme/")
    assert home.status_code == 200 and "Welcome to Acme AB" in body(home)


def test_sign_up_with_bad_input_keeps_what_was_typed(cast, client, invite):
    _, link = invite()
    response = client.post(link, {"name": "Nora Ny", "password": "short", "language": "en"})
    assert response.status_code == 200
    html = body(response)
    assert 'value="Nora Ny"' in html
    assert marked_invalid(html, "password")
    assert not User.objects.filter(email="nora@new.example").exists()


def test_existing_user_signs_in_first_then_accepts(cast, client, invite):
    nora = UserFactory(email="nora@new.example", name="Nora")
    _, link = invite(role="member")

    page = client.get(link)
    assert page.status_code == 200
    assert "Sign in to accept" in body(page) and 'name="password"' not in body(page)
    # Posting without signing in goes to the login page and back.
    response = client.post(link)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={link}"
    assert not Membership.objects.filter(user=nora, organisation=cast.org).exists()

    response = client.post(
        response.url, {"username": "nora@new.example", "password": PASSWORD, "next": link}
    )
    assert response.status_code == 302 and response.url == link
    page = client.get(link)
    assert "Accept and join" in body(page)
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/acme/"
    assert Membership.objects.get(user=nora, organisation=cast.org).role == "member"
    # Opening the used link again just takes them to the organisation.
    again = client.get(link)
    assert again.status_code == 302 and again.url == "/acme/"


def test_wrong_user_signed_in_gets_a_clear_message(cast, invite):
    invitation, link = invite()
    cast.outsider.language = "en"  # else the page speaks their organisation's Norwegian
    cast.outsider.save(update_fields=["language"])
    client = client_for(cast.outsider)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        assert "sent to another e-mail address" in body(response)
    assert not Membership.objects.filter(user=cast.outsider, organisation=cast.org).exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_expired_link_gives_a_clear_message(cast, client, invite):
    invitation, link = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.get(link)
    assert response.status_code == 410 and "has expired" in body(response)
    response = client.post(link, {"name": "Nora", "password": "a long enough passphrase"})
    assert response.status_code == 410
    assert not User.objects.filter(email="nora@new.example").exists()


def test_revoked_link_gives_a_clear_message(cast, client, invite):
    invitation, link = invite()
    services.invitation_revoke(invitation=invitation)
    response = client.get(link)
    assert response.status_code == 410 and "has been withdrawn" in body(response)


def test_used_link_gives_a_clear_message_to_someone_else(cast, client, invite):
    _, link = invite()
    client.post(link, {"name": "Nora", "password": "a long enough passphrase"})
    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "already been used" in body(response)
    cast.outsider.language = "en"  # else the page speaks their organisation's Norwegian
    cast.outsider.save(update_fields=["language"])
    response = client_for(cast.outsider).get(link)
    assert response.status_code == 410 and "already been used" in body(response)


def test_unknown_link_gives_a_clear_message(client, cast):
    response = client.get(reverse("accounts:invitation", args=["no-such-token"]))
    assert response.status_code == 404 and "not valid" in body(response)


def test_resend_invalidates_the_old_link(cast, client, invite, django_capture_on_commit_callbacks):
    invitation, old_link = invite()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation)
    new_link = link_in(mail.outbox[-1])
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert (
        client.post(old_link, {"name": "Nora", "password": "a long enough passphrase"}).status_code
        == 404
    )
    assert (
        client.post(new_link, {"name": "Nora", "password": "a long enough passphrase"}).status_code
        == 302
    )
    assert Membership.objects.filter(user__email="nora@new.example", organisation=cast.org).exists()


def test_inviting_the_same_address_again_reuses_the_invitation(cast, client, invite):
    team = TeamFactory(organisation=cast.org)
    first, old_link = invite(email="nora@new.example", role="member")
    second, new_link = invite(email="NORA@new.example", role="admin", teams=[team])
    assert first.pk == second.pk
    assert Invitation.objects.filter(organisation=cast.org).count() == 1
    second.refresh_from_db()
    assert second.role == "admin" and list(second.teams.all()) == [team]
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_revoked_link_refused_even_if_the_form_was_already_open(cast, client, invite):
    invitation, link = invite()
    assert client.get(link).status_code == 200
    services.invitation_revoke(invitation=invitation)
    response = client.post(link, {"name": "Nora", "password": "a long enough passphrase"})
    assert response.status_code == 410
    assert not Membership.objects.filter(user__email="nora@new.example").exists()


def test_accept_service_rules(cast, invite):
    invitation, _ = invite(email="nora@new.example")
    with pytest.raises(services.ServiceError, match="wrong_user"):
        services.invitation_accept(invitation=invitation, user=cast.outsider)
    nora = UserFactory(email="Nora@New.example")
    services.invitation_accept(invitation=invitation, user=nora)
    with pytest.raises(services.ServiceError, match="accepted"):
        services.invitation_accept(invitation=invitation, user=nora)
    with pytest.raises(services.ServiceError, match="already_member"):
        services.invitation_create(
            organisation=cast.org, invited_by=cast.admin, email="nora@new.example", role="member"
        )


# --- The e-mail ------------------------------------------------------------


def expected_date(invitation, language, tz):
    with translation.override(language):
        return date_format(timezone.localtime(invitation.expires_at, tz), "DATE_FORMAT")


def test_new_person_gets_the_mail_in_the_organisations_language(cast, invite):
    # acme speaks Swedish; "other" speaks Norwegian bokmål.
    cast.org.language = "sv"
    cast.org.save()
    invitation, _ = invite(email="nora@new.example")
    message = mail.outbox[-1]
    assert message.extra_headers["Content-Language"] == "sv"
    assert expected_date(invitation, "sv", cast.org.tz) in message.body

    invitation, _ = invite(email="nils@new.example", organisation=cast.other_org)
    message = mail.outbox[-1]
    assert message.extra_headers["Content-Language"] == "nb"
    assert expected_date(invitation, "nb", cast.other_org.tz) in message.body


def test_existing_person_gets_the_mail_in_their_own_language(cast, invite):
    UserFactory(email="nora@new.example", language="en")
    invitation, _ = invite(email="nora@new.example")
    message = mail.outbox[-1]
    assert message.extra_headers["Content-Language"] == "en"
    assert expected_date(invitation, "en", cast.org.tz) in message.body
    assert "invites you" in message.body


def test_mail_names_inviter_role_teams_and_keeps_names_verbatim(cast, invite):
    cast.org.name = "Åkesson & Söner"
    cast.org.save()
    team = TeamFactory(organisation=cast.org, name="Sälj «Norr»")
    invite(teams=[team], role="member")
    message = mail.outbox[-1]
    assert message.to == ["nora@new.example"]
    assert "Åkesson & Söner" in message.subject and "&amp;" not in message.subject
    assert "Åkesson & Söner" in message.body and "&amp;" not in message.body
    assert "Ada Admin" in message.body and "Sälj «Norr»" in message.body
    html = message.alternatives[0].content
    assert "Åkesson &amp; Söner" in html and 'href="http' in html


def test_an_unconfirmed_sign_up_joins_through_an_invitation_and_can_sign_in(cast, client, invite):
    # Nora signed up for her own organisation but never opened the confirmation mail.
    pending = UserFactory(email="nora@new.example", name="", is_active=False)
    pending.last_login = None
    pending.save(update_fields=["last_login"])
    _invitation, link = invite(role="member")

    page = client.get(link)
    assert page.status_code == 200
    assert 'name="password"' in body(page)  # no "sign in first": she cannot sign in yet

    response = client.post(
        link, {"name": "Nora Ny", "password": "a long enough passphrase", "language": "nb"}
    )
    assert response.status_code == 302 and response.url == "/acme/"
    user = User.objects.get(email__iexact="nora@new.example")
    assert user.pk == pending.pk  # the same account, now confirmed by the invitation link
    assert user.is_active and user.name == "Nora Ny" and user.language == "nb"
    assert Membership.objects.filter(organisation=cast.org, user=user, role="member").exists()
    client.logout()
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "nora@new.example", "password": "a long enough passphrase"},
    )
    assert signed_in.status_code == 302
