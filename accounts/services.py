"""Writes about people, organisations, teams and invitations: small typed functions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import emails
from .models import Invitation, Membership, Organisation, Team, TeamMembership, User, _new_token, hash_token


class ServiceError(Exception):
    """A rule was broken; the message is for the user."""


@transaction.atomic
def organisation_create(*, user: User, name: str, slug: str, language: str = "sv",
                        timezone_name: str = "Europe/Stockholm") -> Organisation:
    """Create an organisation; its creator becomes its admin."""
    organisation = Organisation.objects.create(name=name, slug=slug, language=language, timezone=timezone_name)
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return organisation


def user_create(*, email: str, password: str | None, name: str = "", language: str = "") -> User:
    return User.objects.create_user(email=email, password=password, name=name, language=language)


@transaction.atomic
def invitation_create(*, organisation: Organisation, invited_by: User, email: str, role: str,
                      teams: list[Team] | tuple = ()) -> tuple[Invitation, str]:
    """Create (or refresh) the open invitation for ``email`` and send it. Returns it and its token."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ServiceError("already_member")
    token = _new_token()
    expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email)
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.token_hash = hash_token(token)
    invitation.expires_at = expires
    invitation.save()
    invitation.teams.set([t for t in teams if t.organisation_id == organisation.id])
    _send_invitation(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> str:
    """A fresh token and expiry; the old link stops working."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ServiceError("not_open")
    token = _new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _send_invitation(invitation, token)
    return token


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    invitation.refresh_from_db()


def _send_invitation(invitation: Invitation, token: str) -> None:
    url = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    organisation = invitation.organisation
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = emails.recipient_language(existing, organisation)

    def deliver():
        emails.send(
            "invitation",
            invitation.email,
            {"invitation": invitation, "organisation": organisation, "url": url,
             "invited_by": invitation.invited_by},
            language,
        )
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())

    transaction.on_commit(deliver)


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Turn an open invitation into a membership (and team places). Idempotent per user."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ServiceError(locked.state)
    if user.email.lower() != locked.email.lower():
        raise ServiceError("wrong_user")
    membership, created = Membership.objects.get_or_create(
        organisation=locked.organisation, user=user, defaults={"role": locked.role}
    )
    for team in locked.teams.all():
        TeamMembership.objects.get_or_create(team=team, user=user)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a role; the last admin cannot stop being one."""
    with transaction.atomic():
        if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
            admins = Membership.objects.select_for_update().filter(
                organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
            )
            if len(admins) <= 1:
                raise ServiceError("last_admin")
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove someone from the organisation and its teams, and end their sessions there."""
    if membership.role == Membership.Role.ADMIN:
        admins = Membership.objects.select_for_update().filter(
            organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
        )
        if len(admins) <= 1:
            raise ServiceError("last_admin")
    TeamMembership.objects.filter(team__organisation_id=membership.organisation_id, user_id=membership.user_id).delete()
    membership.delete()


def team_create(*, organisation: Organisation, name: str, parent: Team | None = None) -> Team:
    try:
        with transaction.atomic():
            return Team.objects.create(organisation=organisation, name=name.strip(), parent=parent)
    except IntegrityError:
        raise ServiceError("team_name_taken") from None


def team_set_people(*, team: Team, leads: list[User], members: list[User]) -> None:
    """Set who is in a team; leads are members too."""
    wanted = {u.pk: True for u in leads}
    for u in members:
        wanted.setdefault(u.pk, False)
    with transaction.atomic():
        TeamMembership.objects.filter(team=team).exclude(user_id__in=wanted).delete()
        existing = {tm.user_id: tm for tm in TeamMembership.objects.filter(team=team)}
        for user_id, is_lead in wanted.items():
            tm = existing.get(user_id)
            if tm is None:
                TeamMembership.objects.create(team=team, user_id=user_id, is_lead=is_lead)
            elif tm.is_lead != is_lead:
                tm.is_lead = is_lead
                tm.save(update_fields=["is_lead"])
