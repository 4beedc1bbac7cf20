"""A real Celery worker process for a test: on Redis under its own key prefix, on the test
database, started with the project's own `celery -A okr worker` and stopped afterwards.

`running_worker(tmp_path, name)` yields the worker's log (its "ready" line has been seen);
`publisher(name)` is a Celery app that queues onto the same prefixed broker, for a test that
queues tasks itself (the same task twice, say) instead of through the app's own hooks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def prefix(name: str) -> str:
    """The broker key prefix of this test process's ``name`` worker (none other reads it)."""
    return f"okr-{name}-test-{os.getpid()}-"


def database_url() -> str:
    """The test database, as the worker's DATABASE_URL."""
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def publisher(name: str):
    from celery import Celery

    return Celery(
        f"okr-{name}-test",
        broker=settings.REDIS_URL,
        broker_transport_options={"global_keyprefix": prefix(name), "socket_connect_timeout": 3},
    )


@contextlib.contextmanager
def running_worker(tmp_path: Path, name: str, **env_extra: str):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "okr.settings_test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_BROKER_PREFIX": prefix(name),
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "okr", "worker", "--pool=prefork", "-c", "2"]
        + ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        + ["-n", f"{name}-test-{os.getpid()}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while "ready" not in log.read_text(errors="replace"):
            alive = process.poll() is None and time.monotonic() < deadline
            assert alive, log.read_text()[-3000:]
            time.sleep(0.2)
        yield log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def wait_for(queryset, count, seconds=60):
    """Until ``queryset`` has ``count`` rows, or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while queryset.count() < count and time.monotonic() < deadline:
        time.sleep(0.3)


def queued_jobs(callbacks) -> list:
    """The on-commit callbacks that queue work, without the organisation's revision bumps.

    Every write also moves the organisation's revision once it commits
    (``accounts.revision``); a test that counts what a request queued counts the rest.
    """
    from accounts import revision

    return [c for c in callbacks if getattr(c, "func", None) is not revision._bump_now]
