"""Writes of the chat notifications: add a hook, send it a test message, turn it off, remove it.

Each asks ``accounts.policy`` (``CHAT_HOOKS_MANAGE``: admins; a team's hook its leads
too) and records itself in the audit log in the same transaction. The URL is the
channel's only key: checked by ``accounts.outbound.check_url`` (https, a public
address), stored encrypted (``accounts.sso.secrets``) and shown masked.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit, outbound, policy
from accounts.cleaning import Refused, check_text
from accounts.fields import message
from accounts.models import Organisation, Team, User
from accounts.policy import Action
from accounts.sso import secrets
from okr.chat import announce
from okr.models import ChatEvent, ChatHook
from okr.models.chat import SUBSCRIBABLE

URL_MAX_LENGTH = 2000


def clean_url(raw) -> str:
    """A URL the server may post to, or ``ValidationError`` on ``url``."""
    value = raw.strip() if isinstance(raw, str) else ""
    try:
        check_text(value, max_length=URL_MAX_LENGTH)
    except Refused as refused:
        raise ValidationError({"url": message(refused)}) from None
    if not value:
        raise ValidationError({"url": _("Paste the channel's incoming-webhook URL.")})
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise ValidationError({"url": _("Enter a complete web address, without spaces.")})
    try:
        outbound.check_url(value)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    return value


def clean_kind(kind) -> str:
    if kind not in ChatHook.Kind.values:
        raise ValidationError({"kind": _("Choose Slack or Microsoft Teams.")})
    return kind


def clean_events(events) -> list[str]:
    given = set(events or [])
    chosen = [e for e in SUBSCRIBABLE if e in given]
    if not chosen or len(chosen) != len(given):
        raise ValidationError({"events": _("Choose at least one of the events.")})
    return chosen


def hint_of(url: str) -> str:
    """The URL as shown: its host and the last four characters, never the secret path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}"[:200]


def hook_create(
    *,
    organisation: Organisation,
    kind: str,
    url: str,
    team: Team | None = None,
    events: list[str] | None = None,
    author: User | None,
) -> ChatHook:
    """A new active hook of the organisation (``team``: that team's events only)."""
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("Choose a team of the organisation.")})
    policy.enforce(author, Action.CHAT_HOOKS_MANAGE, team, organisation=organisation)
    errors = {}
    cleaned = {}
    for name, clean, value in (
        ("kind", clean_kind, kind),
        ("url", clean_url, url),
        ("events", clean_events, SUBSCRIBABLE if events is None else events),
    ):
        try:
            cleaned[name] = clean(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        hook = ChatHook.objects.create(
            organisation=organisation,
            team=team,
            kind=cleaned["kind"],
            url_encrypted=secrets.encrypt(cleaned["url"]),
            url_hint=hint_of(cleaned["url"]),
            events=cleaned["events"],
            created_by=author,
        )
        details = {"kind": hook.kind, "team": team.name if team else "", "events": hook.events}
        audit.record(organisation, author, audit.Kind.CHAT_HOOK_CREATED, hook, details=details)
    return hook


def hook_disable(*, hook: ChatHook, author: User | None) -> ChatHook:
    """Turn the hook off: nothing more is posted to it. Twice changes nothing."""
    policy.enforce(author, Action.CHAT_HOOKS_MANAGE, hook)
    with transaction.atomic():
        if ChatHook.objects.filter(pk=hook.pk, active=True).update(active=False):
            audit.record(hook.organisation_id, author, audit.Kind.CHAT_HOOK_DISABLED, hook)
    hook.refresh_from_db(fields=["active"])
    return hook


def hook_delete(*, hook: ChatHook, author: User | None) -> None:
    """Remove the hook and its messages (the audit log keeps that it was there)."""
    policy.enforce(author, Action.CHAT_HOOKS_MANAGE, hook)
    with transaction.atomic():
        audit.record(
            hook.organisation_id,
            author,
            audit.Kind.CHAT_HOOK_DELETED,
            hook,
            details={"kind": hook.kind, "team": hook.team.name if hook.team_id else ""},
        )
        hook.delete()


def hook_test(*, hook: ChatHook, author: User | None) -> list[int]:
    """Queue a test message to the hook (each one new: the key is the time)."""
    policy.enforce(author, Action.CHAT_HOOKS_MANAGE, hook)
    from django.utils import timezone

    rows = [(hook.pk, hook.team_id, hook.kind)]
    with transaction.atomic():
        return announce(
            hook.organisation,
            ChatEvent.TEST,
            hook,
            hook.team_id,
            key=f"test:{hook.pk}:{timezone.now().isoformat()}",
            hooks=rows,
        )
