"""Reminders exactly once with a real Celery worker process on Redis (not eager mode).

Each test starts ``celery -A okr worker --pool=prefork -c 2`` as a subprocess
on the pytest-django test database (committed data: transactional tests) and
the test Redis, with e-mails written to files that are counted per person:
- the sweep task queued twice, one after the other;
- the sweep task queued twice at once (two pool processes);
- the worker's pool processes killed in the middle of a batch (the batch is
  re-delivered: acks_late + reject-on-worker-lost).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Membership, Organisation, User
from okr.lib import calendar, schedule
from okr.models import Objective, ReminderClaim
from okr.objectives import services
from okr.reviews import selectors as sel

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
OWNERS = 8


def _organisation() -> Organisation:
    """An organisation whose next review is tomorrow, so its reminders are due now."""
    from django.utils import timezone

    org = Organisation.objects.create(slug="worker-ab", name="Worker AB", language="en")
    today = calendar.today(org)
    tomorrow = today + timedelta(days=1)
    org.review_weekday = tomorrow.weekday()
    org.review_every_weeks = 1
    org.save()
    year = services.cycle_for_date(organisation=org, day=tomorrow)
    objective = services.objective_create(
        organisation=org, cycle=year, level=Objective.Level.STRATEGIC, title="Vårt starkaste år"
    )
    for i in range(OWNERS):
        user = User.objects.create_user(email=f"owner{i}@worker.example", name=f"Ägare {i}")
        Membership.objects.create(organisation=org, user=user)
        services.key_result_create(
            objective=objective,
            title=f"{i + 1}0 nya kunder",
            owner=user,
            start_value=0,
            target_value=10,
        )
    assert sel.next_review(org, today).date == tomorrow
    assert timezone.now() >= schedule.reminder_due_at(tomorrow, 2, 0, org.tz)
    return org


PREFIX = f"okr-review-test-{os.getpid()}-"


def _publisher():
    """A Celery app that sends to this test's own queues (the worker uses the same key prefix)."""
    from celery import Celery

    return Celery(
        "okr-review-test",
        broker=settings.REDIS_URL,
        broker_transport_options={"global_keyprefix": PREFIX, "socket_connect_timeout": 3},
    )


def _queue_sweep(org) -> None:
    _publisher().send_task("okr.send_due_reminders", args=[org.pk])


def _purge_queue() -> None:
    with _publisher().connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


class Worker:
    def __init__(self, mail_dir: Path, delay: float = 0.0):
        self.mail_dir = mail_dir
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "okr.settings_test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_MAIL_DIR": str(mail_dir),
            "TEST_BROKER_PREFIX": PREFIX,
            "OKR_REMINDER_SEND_DELAY": str(delay),
            # Reminders from midnight, so "due" does not depend on the hour the test runs.
            "OKR_REMINDER_HOUR": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.log = mail_dir.parent / "worker.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "okr",
                "worker",
                "--pool=prefork",
                "-c",
                "2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"review-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_for("ready", 60)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait_for(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"worker did not get {text!r}:\n{self.output()[-3000:]}")
            time.sleep(0.2)

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def recipients(mail_dir: Path) -> Counter:
    found = Counter()
    for path in mail_dir.glob("*"):
        text = path.read_text(errors="replace")
        for chunk in text.split("-" * 79):
            if "To:" in chunk:
                message = message_from_string(chunk.strip())
                if message["To"]:
                    found[message["To"]] += 1
    return found


def _wait_until_sent(org, mail_dir: Path, expected: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent = ReminderClaim.objects.filter(organisation=org, sent_at__isnull=False).count()
        if sent >= expected and sum(recipients(mail_dir).values()) >= expected:
            break
        time.sleep(0.3)
    # Give a duplicate, if there were one, time to land.
    time.sleep(3)


@pytest.fixture
def worker_env(tmp_path):
    _purge_queue()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers = []

    def start(delay: float = 0.0) -> Worker:
        worker = Worker(mail_dir, delay)
        workers.append(worker)
        return worker

    yield mail_dir, start
    for worker in workers:
        worker.stop()
    _forget_queues()


def _forget_queues() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{PREFIX}*"):
        client.delete(key)


def _assert_each_owner_once(org, mail_dir, worker):
    counts = recipients(mail_dir)
    expected = {f"owner{i}@worker.example": 1 for i in range(OWNERS)}
    assert dict(counts) == expected, worker.output()[-3000:]
    claims = ReminderClaim.objects.filter(organisation=org)
    assert claims.count() == OWNERS
    assert not claims.filter(sent_at__isnull=True).exists()


def test_the_sweep_run_twice_sends_each_reminder_once(worker_env):
    mail_dir, start = worker_env
    org = _organisation()
    worker = start()
    _queue_sweep(org)
    _wait_until_sent(org, mail_dir, OWNERS)
    _queue_sweep(org)  # beat fires again, or a retry
    time.sleep(4)
    _assert_each_owner_once(org, mail_dir, worker)
    assert "okr.send_reminder_batch" in worker.output()


def test_two_sweeps_at_once_send_each_reminder_once(worker_env):
    mail_dir, start = worker_env
    org = _organisation()
    worker = start()
    for _ in range(3):
        _queue_sweep(org)
    _wait_until_sent(org, mail_dir, OWNERS)
    _assert_each_owner_once(org, mail_dir, worker)


def test_a_worker_killed_mid_batch_still_sends_each_reminder_once(worker_env):
    mail_dir, start = worker_env
    org = _organisation()
    worker = start(delay=0.7)
    _queue_sweep(org)
    deadline = time.monotonic() + 60
    stamped = ReminderClaim.objects.filter(organisation=org, sent_at__isnull=False)
    # Two claims stamped (not two mails written: a mail is written just before its stamp,
    # and a kill in that instant is the documented at-least-once case, not this test's).
    while stamped.count() < 2:
        assert time.monotonic() < deadline, worker.output()[-3000:]
        time.sleep(0.1)
    # Kill the pool processes (one of them is in the middle of the batch, in the pause
    # before its next e-mail).
    for pid in worker.pool_children():
        os.kill(pid, signal.SIGKILL)
    killed_at = sum(recipients(mail_dir).values())
    assert killed_at < OWNERS
    _wait_until_sent(org, mail_dir, OWNERS)
    assert "WorkerLostError" in worker.output() or "signal 9" in worker.output()
    _assert_each_owner_once(org, mail_dir, worker)
