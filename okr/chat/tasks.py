"""Celery tasks of the chat notifications: thin; the work is claimed in the database (``delivery``).

``okr.chat_deliver`` posts one message (queued after the announcing commit, and again
with a countdown after a failure); beat runs ``okr.chat_retry_due`` every minute, which
finds what a lost task or a dead worker left behind.
"""

from __future__ import annotations

import logging

from celery import shared_task

from okr.chat import delivery

logger = logging.getLogger(__name__)


@shared_task(name="okr.chat_deliver")
def deliver(pk: int) -> str | None:
    result = delivery.attempt(pk)
    return result.state if result is not None else None


@shared_task(name="okr.chat_retry_due")
def retry_due() -> int:
    found = delivery.due()
    for pk in found:
        delivery.attempt(pk)
    return len(found)


def queue(ids: list[int], countdown: int = 0) -> None:
    """Queue the messages; a broker that is down is logged (the sweep finds them later)."""
    for pk in ids:
        try:
            deliver.apply_async(args=[pk], countdown=countdown or None, retry=False)
        except Exception:
            logger.warning("Could not queue chat message %s: is the broker down?", pk)
