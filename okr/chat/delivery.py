"""Posting one chat message: claim it, POST its body to the hook, record the answer, retry or give up.

As the signed webhooks (``accounts.webhooks.delivery``): a message is claimed with one
conditional UPDATE (pending and due, or sending with an expired lease), so two workers
given the same message post it once; the second finds nothing to claim. A failed
attempt is tried again after ``backoff()`` (the webhooks' waits unless
``CHAT_BACKOFF_SECONDS`` says otherwise), then the message is failed. The request
goes through the webhooks' sender (``accounts.outbound``: no private addresses, no
redirects).

A worker killed after the channel answered but before the row is stamped posts that
message again once the lease has run out (at least once in that one case).
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts import outbound
from accounts.sso import secrets
from accounts.webhooks import delivery as webhook_delivery
from okr.models import ChatEvent, ChatMessage

State = ChatMessage.State
USER_AGENT = "OKR-Chat/1"
timeout = webhook_delivery.timeout  # the same limit as the signed webhooks


def backoff() -> list[int]:
    """Seconds to wait after each failed attempt; one more attempt than there are waits."""
    waits = getattr(settings, "CHAT_BACKOFF_SECONDS", None)
    return list(waits) if waits is not None else webhook_delivery.backoff()


def post(url: str, body: bytes) -> tuple[int | None, str]:
    """POST ``body`` as JSON: (HTTP status or None, error text or "").

    The webhooks' sender (guarded opener, no redirects, the same error texts); a chat
    hook is https only unless ``OUTBOUND_ALLOW_HTTP``.
    """
    try:
        outbound.check_scheme(url)
    except ValidationError:
        return None, "Only https addresses are posted to."
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    status, error, _milliseconds = webhook_delivery.post(url, body, headers)
    return status, error


def _due(now) -> Q:
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_until__lt=now
    )


def claim(pk: int, now) -> bool:
    """Take message ``pk`` if it is due and nobody holds it (one conditional UPDATE)."""
    lease = now + timedelta(seconds=timeout() * 3 + 30)
    return bool(
        ChatMessage.objects.filter(_due(now), pk=pk).update(
            state=State.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    )


def attempt(pk: int, *, now=None) -> ChatMessage | None:
    """Post message ``pk`` once if it is due and nobody holds it. None: nothing to do."""
    now = now or timezone.now()
    if not claim(pk, now):
        return None
    message = ChatMessage.objects.select_related("hook").get(pk=pk)
    hook = message.hook
    url = secrets.decrypt(hook.url_encrypted)
    if not hook.active and message.event != ChatEvent.TEST:
        _finish(message, State.FAILED, None, "The hook is turned off.")
    elif not url:  # no key of this server opens it any more
        _finish(message, State.FAILED, None, "The hook's URL cannot be read; enter it again.")
    else:
        body = json.dumps(message.payload, ensure_ascii=False).encode()
        status, error = post(url, body)
        if status is not None and 200 <= status < 300:
            _finish(message, State.SENT, status, "")
        else:
            _failed(message, status, error, now)
    message.refresh_from_db()
    return message


def _finish(message: ChatMessage, state: str, status: int | None, error: str) -> None:
    ChatMessage.objects.filter(pk=message.pk).update(
        state=state,
        claimed_until=None,
        last_status=status,
        last_error=error,
        sent_at=timezone.now() if state == State.SENT else None,
    )


def _failed(message: ChatMessage, status, error: str, now) -> None:
    waits = backoff()
    final = message.attempts > len(waits)
    wait = 0 if final else waits[message.attempts - 1]
    with transaction.atomic():
        ChatMessage.objects.filter(pk=message.pk).update(
            state=State.FAILED if final else State.PENDING,
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=wait),
            last_status=status,
            last_error=error,
        )
        if not final:
            from okr.chat import tasks

            transaction.on_commit(lambda: tasks.queue([message.pk], countdown=wait), robust=True)


def due(now=None) -> list[int]:
    """Messages whose time has come (or whose worker's lease ran out), oldest first."""
    now = now or timezone.now()
    queryset = ChatMessage.objects.filter(_due(now)).order_by("next_attempt_at")
    return list(queryset.values_list("pk", flat=True)[:1000])
