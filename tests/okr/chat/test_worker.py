"""Chat messages through a real Celery worker process on Redis (not eager), to a real receiver.

Every event is announced twice and every task queued twice, and the sweep too: the receiver
gets each message exactly once. The first post is answered 500: the message waits for its
retry, and the sweep (what beat runs every minute) posts it once it is due.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from okr.chat import Event, announce, services, tasks
from okr.models import ChatMessage
from tests.support.factories import year_and_quarter
from tests.support.receiver import Receiver

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
PREFIX = f"okr-chat-test-{os.getpid()}-"
EVENTS = 5


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _publisher():
    from celery import Celery

    return Celery(
        "okr-chat-test",
        broker=settings.REDIS_URL,
        broker_transport_options={"global_keyprefix": PREFIX, "socket_connect_timeout": 3},
    )


@pytest.fixture
def worker(tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "okr.settings_test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_BROKER_PREFIX": PREFIX,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "okr", "worker", "--pool=prefork", "-c", "2"]
        + ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        + ["-n", f"chat-test-{os.getpid()}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while "ready" not in log.read_text(errors="replace"):
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)
    yield log
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def wait_for(queryset, count, seconds=60):
    deadline = time.monotonic() + seconds
    while queryset.count() < count and time.monotonic() < deadline:
        time.sleep(0.3)


def test_a_real_worker_posts_each_event_once_and_retries_a_failure(worker, monkeypatch):
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: None)  # queued below instead
    receiver = Receiver(plan=[500])  # the first post fails
    try:
        org = Organisation.objects.create(slug="chat-ab", name="Chat AB", language="sv")
        admin = User.objects.create_user(email="admin@chat.example", password=None)
        org.memberships.create(user=admin, role="admin")
        hook = services.hook_create(organisation=org, kind="slack", url=receiver.url, author=admin)
        quarter = year_and_quarter(org)[1]
        for n in [*range(EVENTS), 0, 1]:  # two events announced twice
            with transaction.atomic():
                announce(org, Event.QUARTER_CLOSED, quarter, key=f"quarter.closed:{n}")
        rows = ChatMessage.objects.filter(hook=hook)
        ids = list(rows.values_list("pk", flat=True))
        assert len(ids) == EVENTS
        publisher = _publisher()
        for pk in ids + ids:  # every task twice
            publisher.send_task("okr.chat_deliver", args=[pk])
        publisher.send_task("okr.chat_retry_due")
        sent = rows.filter(state="sent")
        wait_for(sent, EVENTS - 1)
        time.sleep(2)  # a duplicate, if there were one, would land now
        [waiting] = rows.filter(state="pending")
        assert (waiting.attempts, waiting.last_status) == (1, 500)
        assert waiting.next_attempt_at > timezone.now()  # after the backoff
        # Time passes: the retry is due, and beat's sweep (twice) posts it once.
        rows.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
        publisher.send_task("okr.chat_retry_due")
        publisher.send_task("okr.chat_retry_due")
        wait_for(sent, EVENTS)
        time.sleep(2)
    finally:
        receiver.close()
    assert sent.count() == EVENTS, worker.read_text()[-3000:]
    assert [p.status for p in receiver.posts].count(500) == 1
    assert len(receiver.posts) == EVENTS + 1  # each once, and the failed one once more
    texts = [p.body["text"] for p in receiver.posts if p.status == 200]
    assert len(set(texts)) == 1 and "är stängt" in texts[0]  # in the organisation's language
    assert sorted(rows.values_list("attempts", flat=True)) == [1] * (EVENTS - 1) + [2]
