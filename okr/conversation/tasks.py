"""Celery tasks of the conversation: thin wrappers around ``digest`` and ``notify``.

Beat runs ``okr.send_digests`` hourly (each organisation's digest waits for its
morning; at most one a day per person) and ``okr.notify_actions_due`` daily
(settings.CELERY_BEAT_SCHEDULE). Both claim their work in the database first, so
running twice, or at once, sends and tells nobody twice.
"""

from __future__ import annotations

from celery import shared_task

from accounts.models import Organisation
from okr.conversation import digest, notify


@shared_task(name="okr.send_digests", ignore_result=True)
def send_digests() -> dict:
    return vars(digest.digests_sweep())


@shared_task(name="okr.notify_actions_due", ignore_result=True)
def notify_actions_due() -> dict:
    told = 0
    for organisation in Organisation.objects.order_by("id"):
        told += notify.actions_due(organisation)
    return {"told": told}
