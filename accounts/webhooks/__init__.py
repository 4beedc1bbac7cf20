"""Signed webhooks: other systems hear about an organisation's events.

``emit(organisation, event_type, data)`` is the one function services call (inside
their transaction). It asks one indexed query whether the organisation has an active
endpoint subscribed to the type; when none, that is all it costs. Otherwise it writes
the event (the outbox) and one delivery per endpoint, and queues each delivery after
commit (``tasks.deliver``). ``delivery`` sends, signs, retries with backoff and turns
off an endpoint that keeps failing; ``signing`` is the HMAC scheme receivers verify.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookEventType

EventType = WebhookEventType

__all__ = ["EventType", "emit", "payload_of"]


def payload_of(event: WebhookEvent, slug: str) -> dict:
    """The JSON body every endpoint receives for ``event``."""
    return {
        "id": str(event.uuid),
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "organisation": slug,
        "data": event.payload,
    }


def subscribed(organisation_id: int, event_type: str) -> list[int]:
    """The active endpoints of the organisation that take ``event_type`` (index webhook_endpoint_org_idx)."""
    rows = WebhookEndpoint.objects.filter(organisation_id=organisation_id, active=True).values_list(
        "pk", "events"
    )
    return [pk for pk, events in rows if event_type in (events or [])]


def emit(organisation, event_type: str, data: dict, *, endpoints: list[int] | None = None):
    """Record ``event_type`` with ``data`` for the organisation's subscribed endpoints.

    Returns the ``WebhookEvent`` (None when no endpoint wants it). ``endpoints`` narrows
    it to those ids (the test event of one endpoint).
    """
    event_type = EventType(event_type)
    organisation_id = getattr(organisation, "pk", organisation)
    targets = subscribed(organisation_id, event_type) if endpoints is None else endpoints
    if not targets:
        return None
    from accounts.webhooks import delivery, tasks

    event = WebhookEvent.objects.create(
        organisation_id=organisation_id, type=event_type, payload=delivery.jsonable(data)
    )
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                organisation_id=organisation_id, event=event, endpoint_id=pk, next_attempt_at=now
            )
            for pk in targets
        ],
        ignore_conflicts=True,
    )
    ids = list(WebhookDelivery.objects.filter(event=event).values_list("pk", flat=True))
    transaction.on_commit(lambda: tasks.queue(ids))
    return event
