"""The Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings")

app = Celery("okr")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live beside the features they run (okr/reminders, okr/closing, okr/objectives).
app.autodiscover_tasks(
    [
        "okr.reminders",
        "okr.closing",
        "okr.objectives",
        "okr.conversation",
        "okr.chat",
        "accounts.webhooks",
        "accounts.deletion",
    ]
)


@app.task(name="okr.ping")
def ping():
    """A task that proves a worker is alive (used by the smoke tests)."""
    return "pong"
