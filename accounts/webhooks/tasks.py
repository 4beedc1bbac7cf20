"""Celery tasks of the webhooks: thin; the work is claimed in the database (``delivery``).

``accounts.webhook_deliver`` sends one delivery (queued after the emitting commit, and
again with a countdown after a failure); beat runs ``accounts.webhooks_retry_due``
every minute, which finds what a lost message or a dead worker left behind.
"""

from __future__ import annotations

import logging

from celery import shared_task

from accounts.webhooks import delivery

logger = logging.getLogger(__name__)


@shared_task(name="accounts.webhook_deliver")
def deliver(pk: int) -> str | None:
    result = delivery.attempt(pk)
    return result.state if result is not None else None


@shared_task(name="accounts.webhooks_retry_due")
def retry_due() -> int:
    found = delivery.due()
    for pk in found:
        delivery.attempt(pk)
    return len(found)


def queue(ids: list[int], countdown: int = 0) -> None:
    """Queue the deliveries; a broker that is down is logged (the sweep finds them later)."""
    for pk in ids:
        try:
            deliver.apply_async(args=[pk], countdown=countdown or None, retry=False)
        except Exception:
            logger.warning("Could not queue webhook delivery %s: is the broker down?", pk)
