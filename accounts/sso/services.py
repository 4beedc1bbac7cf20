"""Single sign-on's writes and the decisions at sign-in: set up, route by domain, who signs in.

- ``sso_configure``: the admin's settings (policy ``SSO_MANAGE``); the secret kept when
  none is sent; "require SSO" only with a provider that answers the test.
- ``configuration_for_email``: which organisation's provider signs in this address.
- ``sso_person``: the account a verified e-mail signs in to. A member signs in; someone
  with an open invitation joins with its role (the invitation is used up); a new person
  joins as a member. An existing account that is neither a member nor invited is
  refused: an organisation's provider only vouches for its own people, so a domain
  claimed by one organisation can never take over an account that belongs elsewhere.
- ``password_refusal``: the organisation whose "require SSO" turns password login off
  for this person (the strictest wins: a member of two organisations, one requiring
  SSO, signs in through that one's provider).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit, policy, webhooks
from accounts import services as accounts_services
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    SsoConfiguration,
    SsoDomain,
    User,
)
from accounts.policy import Action
from accounts.sso import provider, secrets
from accounts.sso.cleaning import email_domain

_UNSTORABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


NOT_PROVEN = gettext_lazy(
    "Single sign-on can be required once someone has signed in through these provider "
    "settings: sign out, sign in with “Sign in with single sign-on (SSO)”, then require it."
)


class NotProven(Exception):
    """ "Require SSO" before a sign-in through the provider's current settings has worked."""


class SsoRefused(Exception):
    """Sign-in through the provider worked, but this person may not come in: ``code``."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def configuration_for(organisation: Organisation) -> SsoConfiguration | None:
    return SsoConfiguration.objects.filter(organisation=organisation).first()


def configuration_for_email(email: str) -> SsoConfiguration | None:
    """The enabled provider that signs in ``email``'s domain, or ``None``."""
    domain = email_domain(email)
    if not domain:
        return None
    row = (
        SsoDomain.objects.select_related("configuration__organisation")
        .filter(domain=domain, configuration__enabled=True)
        .first()
    )
    return row.configuration if row is not None else None


def client_secret(configuration: SsoConfiguration) -> str:
    """The decrypted secret, or ``ProviderProblem`` when none is set or it cannot be read."""
    secret = secrets.decrypt(configuration.client_secret_encrypted)
    if secret is None:
        raise provider.ProviderProblem("secret_unreadable")
    if not secret:
        raise provider.ProviderProblem("no_secret")
    return secret


def sso_configure(
    *,
    organisation: Organisation,
    author: User | None,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    domains: list[str],
    enabled: bool,
    require_sso: bool,
) -> SsoConfiguration:
    """Save the organisation's provider. ``client_secret`` ``None`` or "": keep the stored one.

    Field errors (``ValidationError``): a domain another organisation signs in, enabling
    without a secret or a domain, "require SSO" with single sign-on off. ``NotProven``:
    "require SSO" before anyone signed in through these settings (a new issuer, client
    id or secret must be proven again), so a mistake cannot lock everyone out.
    """
    policy.enforce(author, Action.SSO_MANAGE, organisation=organisation)
    current = configuration_for(organisation)
    stored = current.client_secret_encrypted if current is not None else ""
    if client_secret:
        stored = secrets.encrypt(client_secret)
    errors: dict[str, list[str]] = {}
    taken = sorted(
        SsoDomain.objects.filter(domain__in=domains)
        .exclude(organisation=organisation)
        .values_list("domain", flat=True)
    )
    if taken:
        errors["domains"] = [
            _("Another organisation already signs in %(domains)s.") % {"domains": ", ".join(taken)}
        ]
    if enabled and not domains:
        errors.setdefault("domains", []).append(
            _("Name at least one e-mail domain to turn single sign-on on.")
        )
    if enabled and not stored:
        errors["client_secret"] = [_("Enter the client secret to turn single sign-on on.")]
    if require_sso and not enabled:
        errors["require_sso"] = [_("Turn single sign-on on before requiring it.")]
    if errors:
        raise ValidationError(errors)
    changed = (
        current is None
        or bool(client_secret)
        or (issuer, client_id) != (current.issuer, current.client_id)
    )
    proven = not changed and current.last_success_at is not None
    if require_sso and not proven:
        raise NotProven(NOT_PROVEN)
    with transaction.atomic():
        configuration, created = SsoConfiguration.objects.select_for_update().update_or_create(
            organisation=organisation,
            defaults={
                "issuer": issuer,
                "client_id": client_id,
                "client_secret_encrypted": stored,
                "enabled": enabled,
                "require_sso": require_sso,
                "last_success_at": None if changed else current.last_success_at,
                "updated_by": author if getattr(author, "pk", None) else None,
            },
        )
        before = set(configuration.domains.values_list("domain", flat=True))
        configuration.domains.exclude(domain__in=domains).delete()
        try:
            with transaction.atomic():
                SsoDomain.objects.bulk_create(
                    [
                        SsoDomain(organisation=organisation, configuration=configuration, domain=d)
                        for d in domains
                        if d not in before
                    ]
                )
        except IntegrityError:  # another organisation claimed it at the same moment
            raise ValidationError(
                {"domains": [_("Another organisation already signs in one of these domains.")]}
            ) from None
        audit.record(
            organisation,
            author,
            audit.Kind.SSO_CHANGED,
            configuration,
            details={
                "issuer": issuer,
                "client_id": client_id,
                "client_secret_changed": bool(client_secret),
                "domains": domains,
                "enabled": enabled,
                "require_sso": require_sso,
                "created": created,
            },
        )
    return configuration


def record_problem(configuration: SsoConfiguration, problem: provider.ProviderProblem | None):
    """Keep the last sign-in problem for the admin's settings page (``None``: it worked)."""
    if problem is None:
        changes = {"last_problem": None, "last_success_at": timezone.now()}
    else:
        at = timezone.now().isoformat()
        changes = {"last_problem": {"code": problem.code, "params": problem.params, "at": at}}
    SsoConfiguration.objects.filter(pk=configuration.pk).update(**changes)
    for name, value in changes.items():
        setattr(configuration, name, value)


def password_refusal(user: User) -> Organisation | None:
    """The organisation that requires SSO of ``user`` (so no password login), or ``None``."""
    if user is None or not getattr(user, "pk", None):
        return None
    found = (
        SsoConfiguration.objects.filter(
            require_sso=True, enabled=True, organisation__memberships__user=user
        )
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return found.organisation if found is not None else None


def _open_invitation(organisation: Organisation, email: str) -> Invitation | None:
    for invitation in Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None
    ):
        if invitation.is_open:
            return invitation
    return None


def sso_person(configuration: SsoConfiguration, email: str, claims: dict) -> User:
    """The account the provider's verified ``email`` signs in to (made or joined as needed)."""
    organisation = configuration.organisation
    allowed = set(configuration.domains.values_list("domain", flat=True))
    if email_domain(email) not in allowed:
        raise SsoRefused("domain", email=email, organisation=organisation.name)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        invitation = _open_invitation(organisation, email)
        if user is not None:
            if not user.is_active and user.last_login is not None:
                raise SsoRefused("inactive", email=email, organisation=organisation.name)
            is_member = Membership.objects.filter(organisation=organisation, user=user).exists()
            if not is_member and invitation is None:
                raise SsoRefused("not_member", email=email, organisation=organisation.name)
            if not user.is_active:  # signed up but never confirmed: the provider proves it
                user.is_active = True
                user.save(update_fields=["is_active"])
            if not is_member:
                accounts_services.invitation_accept(invitation=invitation, user=user)
            return user
        name = claims.get("name") if isinstance(claims.get("name"), str) else ""
        name = _UNSTORABLE.sub("", name).strip()[:150]
        user = User.objects.create_user(email=email, password=None, name=name)
        if invitation is not None:
            accounts_services.invitation_accept(invitation=invitation, user=user)
        else:
            membership = Membership.objects.create(
                organisation=organisation, user=user, role=Membership.Role.MEMBER
            )
            webhooks.emit(
                organisation.pk,
                webhooks.EventType.MEMBER_ADDED,
                accounts_services.member_data(membership),
            )
            audit.record(
                organisation,
                user,
                audit.Kind.MEMBER_ADDED,
                user,
                details={"role": Membership.Role.MEMBER, "via": "sso"},
            )
        return user
