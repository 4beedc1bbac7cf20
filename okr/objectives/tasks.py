"""Celery task that keeps the stored numbers current: ``okr.refresh_numbers``, hourly.

The expected pace and the verdict move with the day: each hour, every
organisation whose day has turned since its numbers were stored gets them
recomputed by the engine (``okr.objectives.stored.refresh_organisation``).
Safe to run twice or on two workers at once: the second writes the same numbers.
"""

from __future__ import annotations

from celery import shared_task

from accounts.models import Organisation
from okr.objectives import stored


@shared_task(name="okr.refresh_numbers", ignore_result=True)
def refresh_numbers() -> int:
    written = 0
    for organisation in Organisation.objects.order_by("pk"):
        if stored.stale(organisation).exists():
            written += stored.refresh_organisation(organisation)
    return written
