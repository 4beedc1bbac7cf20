"""Settings of the processes tests/project/test_scale_out.py starts (web, workers, beats).

The test suite's settings on the run's database, with what production shares
between machines: the cache in Redis (sessions, the revision-keyed pages), and
both beats firing the reminder sweep and the quarter close every second so
that the test sees many duplicate runs in a few seconds. Keys carry the test's
own prefix (``SCALE_OUT_PREFIX``), so no other run shares them.
"""

import os
from datetime import timedelta

from okr.settings_test import *  # noqa: F403
from okr.settings_test import REDIS_URL

PREFIX = os.environ["SCALE_OUT_PREFIX"]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{PREFIX}cache",
    }
}
CELERY_BEAT_SCHEDULE = {
    "okr-send-due-reminders": {
        "task": "okr.send_due_reminders",
        "schedule": timedelta(seconds=1),
    },
    "okr-close-due-cycles": {"task": "okr.close_due_cycles", "schedule": timedelta(seconds=1)},
}
