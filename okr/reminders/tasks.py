"""Celery tasks of the check-in reminders: thin wrappers around ``okr.reminders.services``.

Beat runs ``okr.send_due_reminders`` hourly (settings.CELERY_BEAT_SCHEDULE;
the close tasks are in ``okr.closing.tasks``). Every task is safe to run
twice, at once, or again after a worker died (``acks_late`` with
reject-on-worker-lost is set globally): the work is claimed in the database
first. ``enqueue`` queues a task after commit without failing the caller.
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlparse

from celery import current_app, shared_task
from django.db import transaction

from accounts.models import Organisation
from okr.reminders import services

logger = logging.getLogger(__name__)


def _broker_unreachable() -> bool:
    """A quick TCP check of a Redis broker (redis-py would retry for seconds before failing)."""
    url = urlparse(str(current_app.conf.broker_url or ""))
    if url.scheme not in ("redis", "rediss"):
        return False
    try:
        socket.create_connection(
            (url.hostname or "127.0.0.1", url.port or 6379), timeout=0.5
        ).close()
    except OSError:
        return True
    return False


def enqueue(task, *args) -> None:
    """Queue ``task`` once the current transaction commits, without ever failing the caller.

    A broker that is down is logged: nothing is lost, because the hourly sweep
    finds every reminder that is due (and every claim nobody sent) next time.
    """

    def send():
        try:
            if _broker_unreachable():
                raise ConnectionError("the broker does not answer")
            task.apply_async(args=args, retry=False)
        except Exception:
            logger.warning(
                "Could not queue %s%r: is the broker down?", task.name, args, exc_info=True
            )

    transaction.on_commit(send)


def _queue_batch(token, claim_ids) -> None:
    try:
        send_reminder_batch.apply_async(args=[str(token), list(claim_ids)], retry=False)
    except Exception:
        # The claims stay unsent; the next sweep takes them over after the lease.
        logger.warning(
            "Could not queue a reminder batch of %d claims", len(claim_ids), exc_info=True
        )


@shared_task(name="okr.send_due_reminders", ignore_result=True)
def send_due_reminders(organisation_id: int | None = None) -> dict:
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            return {"claimed": 0, "retaken": 0}
    result = services.reminders_sweep(organisation=organisation, enqueue=_queue_batch)
    return {"claimed": result.claimed, "retaken": result.retaken}


@shared_task(name="okr.send_reminder_batch", ignore_result=True)
def send_reminder_batch(token: str, claim_ids: list[int]) -> dict:
    result = services.reminders_send(token=token, claim_ids=claim_ids)
    return vars(result)
