"""Writes about people, organisations, teams and invitations: small typed functions.

Each write that a person does names them (``author``, ``invited_by``) and asks
``accounts.policy`` first; a refusal raises ``policy.PolicyError``. ``author=None``
is the system itself (the demo, scripts), which the policy does not check.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts import audit, emails, policy, tokens, webhooks
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Team,
    TeamMembership,
    User,
    hash_token,
)
from accounts.models.people import _new_token
from accounts.policy import Action


class ServiceError(Exception):
    """A rule was broken; the message is for the user."""


@transaction.atomic
def organisation_create(
    *,
    user: User,
    name: str,
    slug: str,
    language: str = "sv",
    timezone_name: str = "Europe/Stockholm",
) -> Organisation:
    """Create an organisation; its creator becomes its admin.

    ``ServiceError("slug_taken")`` when the address is taken, also by a request at the
    same moment (the form's check saw it free): the unique index decides.
    """
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            organisation = Organisation.objects.create(
                name=name, slug=slug, language=language, timezone=timezone_name
            )
    except IntegrityError:
        raise ServiceError("slug_taken") from None
    Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    return organisation


def user_create(
    *,
    email: str,
    password: str | None,
    name: str = "",
    language: str = "",
    address_proven: bool = False,
) -> User:
    """A new account; ``ServiceError("email_taken")`` when the address has one (a double submit).

    ``address_proven``: the person came through a link mailed to ``email`` (an
    invitation), so an account signed up for but never confirmed is theirs: it is
    confirmed and takes the new password, name and language.
    """
    if address_proven:
        with transaction.atomic():
            pending = (
                User.objects.select_for_update()
                .filter(email__iexact=email, is_active=False, last_login=None)
                .first()
            )
            if pending is not None:
                pending.set_password(password)
                pending.name, pending.is_active = name, True
                pending.language = language or pending.language
                pending.save(update_fields=["password", "name", "language", "is_active"])
                return pending
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email, password=password, name=name, language=language
            )
    except IntegrityError:
        raise ServiceError("email_taken") from None


def invitation_create(
    *,
    organisation: Organisation,
    invited_by: User,
    email: str,
    role: str,
    teams: list[Team] | tuple = (),
) -> tuple[Invitation, str]:
    """Create (or refresh) the open invitation for ``email`` and send it. Returns it and its token.

    An open (or expired, never used) invitation to the same address is reused:
    it gets the new role, teams, token and expiry, so the old link stops working.
    """
    policy.enforce(invited_by, Action.INVITE, organisation=organisation)
    if role not in Membership.Role.values:
        raise ServiceError("invalid_role")
    try:
        return _invitation_create(
            organisation=organisation, invited_by=invited_by, email=email, role=role, teams=teams
        )
    except IntegrityError:
        # Two admins invited the same address at the same moment.
        raise ServiceError("invitation_conflict") from None


@transaction.atomic
def _invitation_create(*, organisation, invited_by, email, role, teams):
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
    invitation.sent_at = None
    invitation.save()
    invitation.teams.set([t for t in teams if t.organisation_id == organisation.id])
    audit.record(
        organisation,
        invited_by,
        audit.Kind.INVITATION_SENT,
        invitation,
        details={"email": email, "role": role, "teams": sorted(t.name for t in teams)},
    )
    _send_invitation(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, author: User | None = None) -> str:
    """A fresh token and expiry (an expired invitation comes back to life); the old link stops working."""
    policy.enforce(author, Action.INVITE, invitation)
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at or locked.revoked_at:
        raise ServiceError(locked.state)
    token = _new_token()
    locked.token_hash = hash_token(token)
    locked.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    locked.save(update_fields=["token_hash", "expires_at"])
    audit.record(locked.organisation, author, audit.Kind.INVITATION_RESENT, locked)
    invitation.token_hash, invitation.expires_at = locked.token_hash, locked.expires_at
    _send_invitation(locked, token)
    return token


def invitation_revoke(*, invitation: Invitation, author: User | None = None) -> None:
    """Withdraw an invitation that has not been used; its link stops working."""
    policy.enforce(author, Action.INVITE, invitation)
    with transaction.atomic():
        revoked = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation.refresh_from_db()
        if revoked:
            audit.record(
                invitation.organisation_id, author, audit.Kind.INVITATION_REVOKED, invitation
            )
    if not revoked:
        raise ServiceError(invitation.state)


def _send_invitation(invitation: Invitation, token: str) -> None:
    """Send the link after the transaction commits, in the invitee's language.

    Someone who already has an account gets their own language (else the
    organisation's); a new person gets the organisation's language. A failed
    send is logged, not raised: ``sent_at`` stays empty and the admin can resend.
    """
    url = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    organisation = invitation.organisation
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = emails.recipient_language(existing, organisation)

    def deliver():
        teams = [team.name for team in invitation.teams.all()]
        with translation.override(language):
            role = invitation.get_role_display()
        emails.send(
            "invitation",
            invitation.email,
            {
                "invitation": invitation,
                "organisation": organisation,
                "url": url,
                "invited_by": invitation.invited_by,
                "role": role,
                "teams": teams,
                "expires_at": invitation.expires_at,
            },
            language,
            headers={"Content-Language": language},
        )
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())

    transaction.on_commit(deliver, robust=True)


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
    audit.record(
        locked.organisation_id,
        user,
        audit.Kind.INVITATION_ACCEPTED,
        locked,
        details={"role": membership.role, "new_member": created},
    )
    if created:
        webhooks.emit(
            locked.organisation_id, webhooks.EventType.MEMBER_ADDED, member_data(membership)
        )
    return membership


def member_data(membership: Membership) -> dict:
    user = membership.user
    return {
        "id": str(membership.uuid),
        "role": membership.role,
        "user": {"id": str(user.uuid), "name": user.name or user.email, "email": user.email},
    }


def _lock_admins(organisation_id: int) -> list[int]:
    """Lock the organisation's admin memberships (always first, so concurrent changes queue up)."""
    return list(
        Membership.objects.select_for_update()
        .filter(organisation_id=organisation_id, role=Membership.Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def membership_set_role(
    *, membership: Membership, role: str, author: User | None = None
) -> Membership:
    """Change a role; the last admin cannot stop being one."""
    policy.enforce(author, Action.MEMBERS_MANAGE, membership)
    if role not in Membership.Role.values:
        raise ServiceError("invalid_role")
    with transaction.atomic():
        admins = _lock_admins(membership.organisation_id)
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            current.role == Membership.Role.ADMIN
            and role != Membership.Role.ADMIN
            and admins == [current.pk]
        ):
            raise ServiceError("last_admin")
        if current.role != role:
            old = current.role
            current.role = role
            current.save(update_fields=["role"])
            audit.record(
                current.organisation_id,
                author,
                audit.Kind.MEMBER_ROLE_CHANGED,
                current,
                details={"old": old, "new": role},
            )
    membership.role = role
    return membership


def membership_remove(
    *, membership: Membership, keep_session_key: str | None = None, author: User | None = None
) -> None:
    """Remove someone from the organisation and its teams; the last admin cannot leave.

    Access is checked against the membership on every request, so the person
    loses access to the organisation at once (their account stays). Their API
    tokens for the organisation are revoked and, once committed, their sessions
    end (signed out everywhere; ``keep_session_key`` spares the current one when
    people remove themselves).
    """
    policy.enforce(author, Action.MEMBERS_MANAGE, membership)
    with transaction.atomic():
        admins = _lock_admins(membership.organisation_id)
        current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if current is None:
            return  # Already gone: removing twice changes nothing.
        if current.role == Membership.Role.ADMIN and admins == [current.pk]:
            raise ServiceError("last_admin")
        TeamMembership.objects.filter(
            team__organisation_id=current.organisation_id, user_id=current.user_id
        ).delete()
        current.delete()
        revoked = tokens.tokens_revoke_for_membership(
            user_id=current.user_id, organisation_id=current.organisation_id
        )
        audit.record(
            current.organisation_id,
            author,
            audit.Kind.MEMBER_REMOVED,
            current,
            details={"role": current.role, "tokens_revoked": revoked},
        )
        webhooks.emit(
            current.organisation_id, webhooks.EventType.MEMBER_REMOVED, member_data(current)
        )
        user_id = current.user_id
        transaction.on_commit(
            lambda: tokens.user_sessions_end(user_id, keep_session_key=keep_session_key)
        )


def organisation_update(
    *, organisation: Organisation, data: dict, author: User | None = None
) -> Organisation:
    """Save the editable settings of an organisation (never its address).

    The fiscal year's first month is fixed once the organisation has OKR years
    (:func:`fiscal_year_in_use`): a ``ValidationError`` on that field says why.
    """
    policy.enforce(author, Action.SETTINGS_EDIT, organisation=organisation)
    check_fiscal_year_change(organisation, data.get("fiscal_year_start_month"))
    fields = [name for name in data if name in ORGANISATION_EDITABLE_FIELDS]
    before = {name: getattr(organisation, name) for name in fields}
    for name in fields:
        setattr(organisation, name, data[name])
    if fields:
        organisation.full_clean(
            exclude=[f.name for f in Organisation._meta.fields if f.name not in fields]
        )
        changed = {
            name: {"old": before[name], "new": getattr(organisation, name)}
            for name in fields
            if before[name] != getattr(organisation, name)
        }
        with transaction.atomic():
            organisation.save(update_fields=fields)
            if changed:
                audit.record(
                    organisation, author, audit.Kind.SETTINGS_CHANGED, organisation, details=changed
                )
    return organisation


#: Checks the apps that keep rows dated by the fiscal year add (``okr`` adds "has cycles" in
#: ``OkrConfig.ready``; accounts imports no okr): each answers for one organisation.
fiscal_year_users: list = []

FISCAL_YEAR_LOCKED = gettext_lazy(
    "The fiscal year's first month cannot change once the organisation has OKR years: their "
    "years and quarters keep the dates they were made with, and new ones would overlap them. "
    "There is no tool yet to move existing years and quarters to another first month."
)


def fiscal_year_in_use(organisation: Organisation) -> bool:
    """Whether anything is dated by the organisation's fiscal year (its OKR years, say)."""
    return organisation.pk is not None and any(used(organisation) for used in fiscal_year_users)


def check_fiscal_year_change(organisation: Organisation, month) -> None:
    """Refuse a new first month of the fiscal year once the year is in use."""
    if (
        month is not None
        and month != organisation.fiscal_year_start_month
        and fiscal_year_in_use(organisation)
    ):
        raise ValidationError(
            {"fiscal_year_start_month": ValidationError(FISCAL_YEAR_LOCKED, code="in_use")}
        )


# The organisation's settings, in the order the API shows them (after its name and
# address); the one list the settings form, the API serializers and organisation_update read.
ORGANISATION_SETTINGS = (
    "vision",
    "mission",
    "language",
    "timezone",
    "country",
    "currency",
    "fiscal_year_start_month",
    "review_every_weeks",
    "review_weekday",
    "reminders_enabled",
    "personal_okrs",  # the personal OKR pilot (okr/personal)
)
ORGANISATION_EDITABLE_FIELDS = ("name", *ORGANISATION_SETTINGS)  # never the address (slug)


def _check_parent(*, organisation_id: int, team: Team | None, parent: Team | None) -> None:
    """The parent must be a team of the same organisation and not the team or one of its sub-teams.

    Locks the organisation's teams so that two concurrent moves cannot make a cycle together.
    """
    if parent is None:
        return
    if parent.organisation_id != organisation_id:
        raise ServiceError("team_parent_invalid")
    parents = dict(
        Team.objects.select_for_update()
        .filter(organisation_id=organisation_id)
        .order_by("pk")
        .values_list("pk", "parent_id")
    )
    if parent.pk not in parents:
        raise ServiceError("team_parent_invalid")
    if team is None:
        return
    seen, current = set(), parent.pk
    while current is not None and current not in seen:
        if current == team.pk:
            raise ServiceError("team_cycle")
        seen.add(current)
        current = parents.get(current)


def _clean_team_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("team_name_required")
    return name


def team_create(
    *, organisation: Organisation, name: str, parent: Team | None = None, author: User | None = None
) -> Team:
    policy.enforce(author, Action.TEAMS_MANAGE, organisation=organisation)
    name = _clean_team_name(name)
    try:
        with transaction.atomic():
            _check_parent(organisation_id=organisation.pk, team=None, parent=parent)
            return Team.objects.create(organisation=organisation, name=name, parent=parent)
    except IntegrityError:
        raise ServiceError("team_name_taken") from None


def team_update(
    *,
    team: Team,
    name: str,
    parent: Team | None,
    leads: list[User] | None = None,
    members: list[User] | None = None,
    author: User | None = None,
) -> Team:
    """Rename a team, move it under another team (no cycles), and optionally set its people."""
    policy.enforce(author, Action.TEAMS_MANAGE, team)
    name = _clean_team_name(name)
    try:
        with transaction.atomic():
            _check_parent(organisation_id=team.organisation_id, team=team, parent=parent)
            team.name = name
            team.parent = parent
            team.save(update_fields=["name", "parent"])
            if leads is not None or members is not None:
                team_set_people(team=team, leads=leads or [], members=members or [])
    except IntegrityError:
        team.refresh_from_db()
        raise ServiceError("team_name_taken") from None
    return team


def team_set_people(
    *, team: Team, leads: list[User], members: list[User], author: User | None = None
) -> None:
    """Set who is in a team; leads are members too. Everyone must belong to the team's organisation."""
    policy.enforce(author, Action.TEAMS_MANAGE, team)
    wanted = {u.pk: True for u in leads}
    for u in members:
        wanted.setdefault(u.pk, False)
    with transaction.atomic():
        in_org = set(
            Membership.objects.filter(
                organisation_id=team.organisation_id, user_id__in=wanted
            ).values_list("user_id", flat=True)
        )
        if in_org != set(wanted):
            raise ServiceError("not_member")
        TeamMembership.objects.filter(team=team).exclude(user_id__in=wanted).delete()
        existing = {tm.user_id: tm for tm in TeamMembership.objects.filter(team=team)}
        for user_id, is_lead in wanted.items():
            tm = existing.get(user_id)
            if tm is None:
                TeamMembership.objects.create(team=team, user_id=user_id, is_lead=is_lead)
            elif tm.is_lead != is_lead:
                tm.is_lead = is_lead
                tm.save(update_fields=["is_lead"])


def team_delete(*, team: Team, author: User | None = None) -> None:
    """Delete a team; its sub-teams move up to the team's own parent.

    A team that other records still need (say, objectives that protect it)
    is refused with ``team_in_use`` instead of failing.
    """
    policy.enforce(author, Action.TEAMS_MANAGE, team)
    try:
        with transaction.atomic():
            Team.objects.filter(organisation_id=team.organisation_id, parent=team).update(
                parent_id=team.parent_id
            )
            team.delete()
    except (ProtectedError, RestrictedError):
        raise ServiceError("team_in_use") from None
