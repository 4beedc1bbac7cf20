"""Celery task of the deletion: thin; beat runs it, the claim is in the database (``services``).

Run twice at once, or again after a crash, it deletes each organisation once: each one is
claimed by a conditional UPDATE inside the transaction that deletes it.
"""

from __future__ import annotations

from celery import shared_task

from accounts.deletion import services


@shared_task(name="accounts.delete_due_organisations")
def delete_due_organisations() -> int:
    return len(services.organisation_delete_due())
