"""Deliveries through a real Celery worker process on Redis (not eager), to a real receiver.

Each delivery's task is queued twice and the sweep once as well: the receiver still gets
every event exactly once, each with a valid signature (the claim in the database decides).
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
from django.db import connection

from accounts.models import Organisation, User, WebhookDelivery
from accounts.webhooks import EventType, emit, tasks
from accounts.webhooks import services as hooks
from tests.support.receiver import Receiver

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
PREFIX = f"okr-webhook-test-{os.getpid()}-"
EVENTS = 6


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _publisher():
    from celery import Celery

    return Celery(
        "okr-webhook-test",
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
        + ["-n", f"webhook-test-{os.getpid()}@%h"],
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


def test_a_real_worker_delivers_each_event_once(worker, monkeypatch, settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: None)  # queued below instead
    receiver = Receiver()
    try:
        org = Organisation.objects.create(slug="hooks-ab", name="Hooks AB", language="en")
        admin = User.objects.create_user(email="admin@hooks.example", password=None)
        org.memberships.create(user=admin, role="admin")
        endpoint, receiver.secret = hooks.endpoint_create(
            organisation=org, url=receiver.url, events=["member.added"], author=admin
        )
        for n in range(EVENTS):
            emit(org, EventType.PING, {"n": n}, endpoints=[endpoint.pk])
        ids = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", flat=True))
        publisher = _publisher()
        for pk in ids + ids:  # every task twice
            publisher.send_task("accounts.webhook_deliver", args=[pk])
        publisher.send_task("accounts.webhooks_retry_due")
        deadline = time.monotonic() + 60
        delivered = WebhookDelivery.objects.filter(endpoint=endpoint, state="delivered")
        while delivered.count() < EVENTS and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(2)  # a duplicate, if there were one, would land now
    finally:
        receiver.close()
    assert delivered.count() == EVENTS, worker.read_text()[-3000:]
    assert sorted(post.body["data"]["n"] for post in receiver.posts) == list(range(EVENTS))
    assert all(post.verified for post in receiver.posts)
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
