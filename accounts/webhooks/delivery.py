"""Sending one delivery: claim it, sign and POST the body, record the answer, retry or give up.

A delivery is claimed with one conditional UPDATE (pending and due, or sending with an
expired lease), so two workers given the same delivery send it once: the second finds
nothing to claim. A failed attempt is tried again after ``backoff()`` (1 min, 5 min,
30 min, 2 h, 12 h by default), then the delivery is failed. ``disable_after()`` failed
attempts in a row (any deliveries) turn the endpoint off; its organisation's admins are
told by e-mail in their language and the audit log records it.

A worker killed after the receiver answered but before the row is stamped sends that
delivery again after the lease: receivers deduplicate on ``X-OKR-Delivery``.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts import audit, emails, outbound
from accounts.models import Membership, WebhookDelivery, WebhookEndpoint
from accounts.webhooks import payload_of, signing

logger = logging.getLogger(__name__)
State = WebhookDelivery.State
USER_AGENT = "OKR-Webhooks/1"


def backoff() -> list[int]:
    """Seconds to wait after each failed attempt; one more attempt than there are waits."""
    return list(getattr(settings, "WEBHOOK_BACKOFF_SECONDS", [60, 300, 1800, 7200, 43200]))


def timeout() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))


def disable_after() -> int:
    return int(getattr(settings, "WEBHOOK_DISABLE_AFTER_FAILURES", 15))


def jsonable(data) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def body_of(delivery: WebhookDelivery) -> bytes:
    payload = payload_of(delivery.event, delivery.organisation.slug)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


# No proxies, no redirects (a 3xx is an answer, not a new address to post to), and each
# connection checks the address it connects to (``accounts.outbound``: a host name that
# resolved to a public address when the endpoint was saved may point inside by now).
_OPENER = outbound.guarded_opener()


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, int]:
    """POST ``body``: (HTTP status or None, error text or "", milliseconds)."""
    if not url.lower().startswith(("https://", "http://")):  # never file:, ftp: and the like
        return None, "Only http and https addresses are posted to.", 0
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    started = time.monotonic()
    status, error = None, ""
    try:
        with _OPENER.open(request, timeout=timeout()) as response:
            status = response.status
            response.read(4096)
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        error = f"{type(reason).__name__}: {reason}"
    milliseconds = int((time.monotonic() - started) * 1000)
    if status is not None and not 200 <= status < 300 and not error:
        error = f"HTTP {status}"
    return status, error[:500], milliseconds


def _claim(pk: int, now) -> bool:
    lease = now + timedelta(seconds=timeout() * 3 + 30)
    due = Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_until__lt=now
    )
    return bool(
        WebhookDelivery.objects.filter(due, pk=pk).update(
            state=State.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    )


def attempt(pk: int, *, now=None) -> WebhookDelivery | None:
    """Try delivery ``pk`` once if it is due and nobody holds it. None: nothing to do."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return None
    delivery = WebhookDelivery.objects.select_related("event", "endpoint", "organisation").get(
        pk=pk
    )
    endpoint = delivery.endpoint
    if not endpoint.active and delivery.event.type != "ping":  # a test event goes anyway
        WebhookDelivery.objects.filter(pk=pk).update(
            state=State.FAILED, claimed_until=None, last_error="The endpoint is turned off."
        )
        delivery.refresh_from_db()
        return delivery
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(endpoint.secret, body),
        signing.EVENT_HEADER: delivery.event.type,
        signing.DELIVERY_HEADER: str(delivery.uuid),
    }
    status, error, milliseconds = post(endpoint.url, body, headers)
    if status is not None and 200 <= status < 300:
        _delivered(delivery, status, milliseconds)
    else:
        _failed(delivery, status, error, milliseconds, now)
    delivery.refresh_from_db()
    return delivery


def _delivered(delivery: WebhookDelivery, status: int, milliseconds: int) -> None:
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=State.DELIVERED,
            claimed_until=None,
            last_status=status,
            last_error="",
            duration_ms=milliseconds,
            delivered_at=timezone.now(),
        )
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)


def _failed(delivery, status, error, milliseconds, now) -> None:
    waits = backoff()
    final = delivery.attempts > len(waits)
    wait = 0 if final else waits[delivery.attempts - 1]
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=State.FAILED if final else State.PENDING,
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=wait),
            last_status=status,
            last_error=error,
            duration_ms=milliseconds,
        )
        endpoint_id = delivery.endpoint_id
        WebhookEndpoint.objects.filter(pk=endpoint_id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        turned_off = WebhookEndpoint.objects.filter(
            pk=endpoint_id, active=True, consecutive_failures__gte=disable_after()
        ).update(active=False, disabled_at=now)
        if turned_off:
            _tell_admins(delivery.endpoint, delivery.organisation, error)
        if not final:
            from accounts.webhooks import tasks

            transaction.on_commit(lambda: tasks.queue([delivery.pk], countdown=wait))


def _tell_admins(endpoint: WebhookEndpoint, organisation, error: str) -> None:
    """The audit log records it; every admin gets one e-mail in their language."""
    failures = disable_after()
    audit.record(
        organisation,
        None,
        audit.Kind.WEBHOOK_DISABLED,
        endpoint,
        details={"failures": failures, "last_error": error},
    )
    url = settings.SITE_URL + reverse("settings:webhook", args=[organisation.slug, endpoint.uuid])
    admins = list(
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
    )

    def send():
        for membership in admins:
            user = membership.user
            try:
                emails.send(
                    "webhook-disabled",
                    user.email,
                    {
                        "organisation": organisation,
                        "endpoint": endpoint,
                        "failures": failures,
                        "error": error,
                        "url": url,
                    },
                    emails.recipient_language(user, organisation),
                )
            except Exception:
                logger.warning("Could not tell %s about webhook %s", user.pk, endpoint.pk)

    transaction.on_commit(send, robust=True)


def due(now=None) -> list[int]:
    """Deliveries whose time has come (or whose worker's lease ran out), oldest first."""
    now = now or timezone.now()
    queryset = WebhookDelivery.objects.filter(
        Q(state=State.PENDING, next_attempt_at__lte=now)
        | Q(state=State.SENDING, claimed_until__lt=now)
    )
    return list(queryset.order_by("next_attempt_at").values_list("pk", flat=True)[:1000])
