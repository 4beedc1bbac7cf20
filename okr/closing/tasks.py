"""Celery tasks of the quarter close: thin wrappers around ``okr.closing.services``.

Beat runs ``okr.close_due_cycles`` daily (settings.CELERY_BEAT_SCHEDULE).
Closing is idempotent: the cycle row is locked and a closed cycle is left
alone, so a task run twice or retried after a worker died changes nothing.
"""

from __future__ import annotations

from celery import shared_task

from okr.closing import services
from okr.models import Cycle


@shared_task(name="okr.close_due_cycles", ignore_result=True)
def close_due_cycles() -> list:
    return [(r.cycle.pk, r.closed, r.scores) for r in services.close_due_cycles()]


@shared_task(name="okr.close_cycle", ignore_result=True)
def close_cycle(cycle_id: int) -> dict:
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return {"closed": False}
    result = services.cycle_close(cycle=cycle)
    return {"closed": result.closed, "scores": result.scores}
