"""Settings for the test suite: production settings on real PostgreSQL and Redis.

``make test`` (scripts/services.py) finds or starts both servers and sets
DATABASE_URL and REDIS_URL before pytest starts.
"""

import os
import uuid

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from okr.settings import *  # noqa: E402,F403
from okr.settings import DATABASES  # noqa: E402

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL: use `make test`, which finds or starts one, "
        "or set DATABASE_URL=postgres://... yourself."
    )

# Each run gets its own test database (and its Celery workers their own key prefix), so two
# runs on one machine never collide. Set once in the environment, so that processes a test
# starts (a Celery worker, a server) share the run's name.
TEST_RUN_ID = os.environ.setdefault("OKR_TEST_RUN_ID", uuid.uuid4().hex[:10])
DATABASES["default"]["TEST"] = {"NAME": f"test_okr_{TEST_RUN_ID}"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
if os.environ.get("TEST_MAIL_DIR"):
    # A Celery worker started by a test writes its e-mails here, one file each, to be counted.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["TEST_MAIL_DIR"]},
        }
    }
# Celery's keys in the shared test Redis carry the run's prefix: a task queued after a
# test's commit stays in this run's queue, never in another run's (scripts/services.py
# deletes the run's keys afterwards). A worker started by a test passes its own prefix.
if os.environ.get("REDIS_URL"):
    BROKER_PREFIX = os.environ.get("TEST_BROKER_PREFIX") or f"okr-test-{TEST_RUN_ID}-"
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **globals().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "global_keyprefix": BROKER_PREFIX,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": BROKER_PREFIX}
else:
    # Never the embedded default's folder queue under data/: a `make run` worker would take
    # the test's tasks. An in-process queue keeps them inside this run.
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
    CELERY_RESULT_BACKEND = "cache+memory://"
# A pause before each reminder e-mail, so a test can kill a worker in the middle of a batch.
OKR_REMINDER_SEND_DELAY = float(os.environ.get("OKR_REMINDER_SEND_DELAY", "0"))
# The whole suite sends its wrong tokens from one address (127.0.0.1) into one process's
# cache: only the tests of the limit itself (tests/accounts/test_token_limits.py) set a low one.
API_TOKEN_FAILURE_RATE = (100_000, 600)
SECURE_HSTS_SECONDS = 0
# The tests' identity provider and webhook receivers listen on http://127.0.0.1; the
# guard's own tests (tests/accounts/test_outbound.py) turn these off with override_settings.
OUTBOUND_ALLOW_PRIVATE = True
OUTBOUND_ALLOW_HTTP = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Serve static files straight from the apps' folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests are written against the English source strings; the organisations
# they create are English unless a test says otherwise (DPAB stays Swedish).
LANGUAGE_CODE = "en"
