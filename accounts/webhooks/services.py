"""Writes of the webhook settings (admins): endpoints, their secrets, the test event.

Each asks ``accounts.policy`` (``WEBHOOKS_MANAGE``) first and records itself in the
audit log in the same transaction. The secret is returned once (made, rotated) and
never shown again.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, outbound, policy
from accounts.cleaning import Refused, check_text
from accounts.fields import message
from accounts.models import Organisation, User, WebhookEndpoint
from accounts.policy import Action
from accounts.webhooks import EventType, emit, signing

URL_MAX_LENGTH = 2000
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SUBSCRIBABLE = [value for value in EventType.values if value != EventType.PING]


def allow_local_http() -> bool:
    """``http://localhost`` only while developing and in tests (``DEBUG`` or the setting)."""
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOCAL_HTTP", settings.DEBUG))


def _clean_url(raw) -> str:
    """An https address (http only to this machine while developing), else ``ValidationError``."""
    value = (raw or "").strip() if isinstance(raw, str) else ""
    try:
        check_text(value, max_length=URL_MAX_LENGTH)
    except Refused as refused:
        raise ValidationError({"url": message(refused)}) from None
    invalid = ValidationError(
        {"url": _("Enter an https:// address, such as https://example.com/okr-hooks.")}
    )
    if not value or any(c.isspace() or ord(c) < 32 for c in value):
        raise invalid
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise invalid from None
    if not host or parts.username or parts.password or parts.scheme not in ("https", "http"):
        raise invalid
    local = host in LOCAL_HOSTS
    if parts.scheme == "http" and not (local and allow_local_http()):
        raise invalid
    if local and not allow_local_http():
        raise ValidationError({"url": _("Webhooks cannot be sent to this server itself.")})
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return value  # a host name: ``outbound.check_url`` checks what it resolves to
    if not local and (address.is_private or address.is_loopback or address.is_link_local):
        raise ValidationError({"url": _("Webhooks cannot be sent to a private network address.")})
    return value


def clean_url(raw) -> str:
    """``_clean_url``, and a host on the public internet (``accounts.outbound``: SSRF)."""
    value = _clean_url(raw)
    try:
        outbound.check_url(value)
    except ValidationError as exc:
        raise ValidationError({"url": exc.error_list}) from None
    return value


def clean_events(events) -> list[str]:
    chosen = [e for e in SUBSCRIBABLE if e in set(events or [])]
    if not chosen or len(chosen) != len(set(events or [])):
        raise ValidationError({"events": _("Choose at least one of the events.")})
    return chosen


def endpoint_create(
    *,
    organisation: Organisation,
    url: str,
    events: list[str],
    description: str = "",
    author: User | None,
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint. Returns it and its secret (shown this once)."""
    policy.enforce(author, Action.WEBHOOKS_MANAGE, organisation=organisation)
    url, events = clean_url(url), clean_events(events)
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organisation=organisation,
            url=url,
            events=events,
            description=(description or "").strip()[:200],
            secret=secret,
            created_by=author,
        )
        audit.record(
            organisation,
            author,
            audit.Kind.WEBHOOK_CREATED,
            endpoint,
            details={"url": url, "events": events},
        )
    return endpoint, secret


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    events: list[str],
    active: bool,
    description: str = "",
    author: User | None,
) -> WebhookEndpoint:
    """Change the address, events, description or on/off; turning it on clears the failures."""
    policy.enforce(author, Action.WEBHOOKS_MANAGE, endpoint)
    new = {
        "url": clean_url(url),
        "events": clean_events(events),
        "active": bool(active),
        "description": (description or "").strip()[:200],
    }
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        changed = {
            name: {"old": getattr(locked, name), "new": value}
            for name, value in new.items()
            if getattr(locked, name) != value
        }
        if not changed:
            return locked
        for name, value in new.items():
            setattr(locked, name, value)
        if new["active"] and "active" in changed:
            locked.consecutive_failures, locked.disabled_at = 0, None
        locked.save()
        audit.record(
            locked.organisation_id, author, audit.Kind.WEBHOOK_CHANGED, locked, details=changed
        )
    return locked


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, author: User | None) -> str:
    """A new secret at once (the old one stops signing); returned this once."""
    policy.enforce(author, Action.WEBHOOKS_MANAGE, endpoint)
    secret = signing.new_secret()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            secret=secret, secret_rotated_at=timezone.now()
        )
        audit.record(endpoint.organisation_id, author, audit.Kind.WEBHOOK_SECRET_ROTATED, endpoint)
    endpoint.secret = secret
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint, author: User | None) -> None:
    policy.enforce(author, Action.WEBHOOKS_MANAGE, endpoint)
    with transaction.atomic():
        audit.record(
            endpoint.organisation_id,
            author,
            audit.Kind.WEBHOOK_DELETED,
            endpoint,
            details={"url": endpoint.url, "events": endpoint.events},
        )
        endpoint.delete()


def endpoint_send_test(*, endpoint: WebhookEndpoint, author: User | None):
    """A "ping" event to this endpoint only (also when it is turned off: to try it first)."""
    policy.enforce(author, Action.WEBHOOKS_MANAGE, endpoint)
    organisation = endpoint.organisation
    with transaction.atomic():
        return emit(
            organisation,
            EventType.PING,
            {"message": "A test event from the OKR settings.", "endpoint": str(endpoint.uuid)},
            endpoints=[endpoint.pk],
        )
