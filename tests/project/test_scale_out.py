"""Scale out on the engines the app already uses: two of everything on one PostgreSQL and one Redis.

Two gunicorn processes (two workers each), two Celery workers and two Celery
beats run as subprocesses on this run's test database and Redis, with the
settings of ``tests/project/scale_out_settings.py`` (the cache in Redis, as
in production; both beats fire the reminder sweep and the quarter close every
second). The rules still hold:

- each key-result owner gets exactly one reminder, however many sweeps run;
- each quarter (and year) that is due is closed exactly once, with one score per row;
- a write through either web process is seen at once through the other: the
  cached tree (``accounts.revision``) never outlives a write.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from accounts import tokens
from accounts.models import Membership, Organisation, User
from okr.closing import selectors as closing_selectors
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, ReminderClaim, Score
from okr.objectives import services
from okr.reviews import selectors as review_selectors
from tests.okr.reminders.test_worker import _database_url, recipients
from tests.project.processes import free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
OWNERS = 6
SLUG = "scale-ab"


# --- The organisation -----------------------------------------------------------------------


def _organisation():
    """Reminders due now (the review is tomorrow), quarters long over, and an admin."""
    org = Organisation.objects.create(slug=SLUG, name="Scale AB", language="en")
    tomorrow = calendar.today(org) + timedelta(days=1)
    org.review_weekday, org.review_every_weeks = tomorrow.weekday(), 1
    org.save()
    year = services.cycle_for_date(organisation=org, day=tomorrow)
    strategic = services.objective_create(
        organisation=org, cycle=year, level=Objective.Level.STRATEGIC, title="Vårt bästa år"
    )
    admin = User.objects.create_user(email="admin@scale.example", name="Ada", password="x" * 12)
    Membership.objects.create(organisation=org, user=admin, role=Membership.Role.ADMIN)
    for i in range(OWNERS):
        owner = User.objects.create_user(email=f"owner{i}@scale.example", name=f"Ägare {i}")
        Membership.objects.create(organisation=org, user=owner)
        services.key_result_create(
            objective=strategic,
            title=f"{i + 1}0 nya kunder",
            owner=owner,
            start_value=0,
            target_value=10,
        )
    # Checked in on through both web processes, by the admin (no reminder is due for it).
    partners = services.key_result_create(
        objective=strategic, title="10 partner", start_value=0, target_value=10
    )
    assert review_selectors.next_review(org).date == tomorrow
    # Last year: its quarters and the year itself are due to be closed, with scores.
    last = services.cycle_year_get_or_create(
        organisation=org, year=calendar.current_fiscal_year(org) - 1
    )
    for quarter in last.quarters.all():
        objective = services.objective_create(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team=_team(org),
            title=f"Kvartalsmål {quarter.quarter}",
            status=Objective.Status.APPROVED,
        )
        kr = services.key_result_create(
            objective=objective, title="Resultat", start_value=0, target_value=10
        )
        at = datetime.combine(quarter.start_date + timedelta(days=10), clock(12), tzinfo=UTC)
        services.check_in_record(
            key_result=kr, author=None, confidence="on_track", value=Decimal(7), at=at
        )
    return org, admin, partners


def _team(org):
    from accounts.models import Team

    return Team.objects.get_or_create(organisation=org, name="Marknad")[0]


# --- The processes -------------------------------------------------------------------------------


class Processes:
    """Every process the test starts, with its log; all stopped at the end."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.prefix = f"okr-scale-{uuid.uuid4().hex[:8]}-"
        self.mail = tmp / "mail"
        self.mail.mkdir()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.project.scale_out_settings",
            "SCALE_OUT_PREFIX": self.prefix,
            "TEST_BROKER_PREFIX": f"{self.prefix}broker-",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_MAIL_DIR": str(self.mail),
            "OKR_REMINDER_HOUR": "0",  # due whatever the hour the test runs
            "PYTHONUNBUFFERED": "1",
        }
        self.running: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, *args: str) -> Path:
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append((process, log))
        return log

    def web(self, name: str) -> str:
        port = free_port()
        log = self.start(
            name, "gunicorn", "okr.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{base}/accounts/login/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return base
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)

    def worker(self, name: str) -> Path:
        return self.start(
            name,
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
            f"{name}-{os.getpid()}@%h",
        )

    def beat(self, name: str) -> Path:
        schedule = self.tmp / f"{name}-schedule"
        return self.start(
            name, "celery", "-A", "okr", "beat", "--loglevel=INFO", "--schedule", str(schedule)
        )

    def logs(self, prefix: str) -> str:
        return "".join(
            log.read_text(errors="replace")
            for _p, log in self.running
            if log.name.startswith(prefix)
        )

    def stop(self) -> None:
        for process, _log in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _log in self.running:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(f"*{self.prefix}*"):
            client.delete(key)


@pytest.fixture
def processes(tmp_path):
    running = Processes(tmp_path)
    yield running
    running.stop()


# --- Talking to the web processes ------------------------------------------------------------------


def _session(user) -> str:
    """A signed-in session every web process reads (from the database, then its cache)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _progress_shown(base: str, session_key: str, kr: KeyResult) -> set[str]:
    request = Request(  # noqa: S310 - the test's own server
        f"{base}/{SLUG}/alignment/?expand=all", headers={"Cookie": f"sessionid={session_key}"}
    )
    with urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own server
        assert response.status == 200 and response.url.endswith("?expand=all"), response.url
        html = response.read().decode()
    return set(re.findall(rf'data-numbers-for="{kr.uuid}"[^>]*?data-progress="(\d+)"', html))


def _check_in(base: str, token: str, kr: KeyResult, value: int) -> None:
    body = f'{{"key_result": "{kr.uuid}", "value": "{value}", "confidence": "on_track"}}'
    request = Request(  # noqa: S310 - the test's own server
        f"{base}/api/v1/{SLUG}/check-ins/",
        data=body.encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own server
        assert response.status == 201


def _wait(condition, seconds: float, what: str, processes: Processes) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}:\n{processes.logs('worker')[-4000:]}")
        time.sleep(0.5)


# --- The test ------------------------------------------------------------------------------------


def test_two_of_everything_keep_every_rule(processes):
    org, admin, partners = _organisation()
    due = list(closing_selectors.cycles_due(organisation=org))
    assert len(due) >= 5  # last year's four quarters and the year itself
    web_a, web_b = processes.web("web-a"), processes.web("web-b")
    for name in ("worker-1", "worker-2"):
        processes.worker(name)
    for name in ("beat-1", "beat-2"):
        processes.beat(name)

    def all_sent():
        sent = ReminderClaim.objects.filter(organisation=org, sent_at__isnull=False).count()
        return sent >= OWNERS and sum(recipients(processes.mail).values()) >= OWNERS

    def all_closed():
        return not Cycle.objects.filter(pk__in=[c.pk for c in due], closed_at__isnull=True).exists()

    _wait(all_sent, 120, "the reminders were not all sent", processes)
    _wait(all_closed, 120, "the due cycles were not all closed", processes)
    time.sleep(5)  # many more sweeps and closes fire meanwhile: a duplicate would land now

    # Reminders: each owner exactly once.
    counts = recipients(processes.mail)
    assert {k: v for k, v in counts.items() if k.startswith("owner")} == {
        f"owner{i}@scale.example": 1 for i in range(OWNERS)
    }, processes.logs("worker")[-4000:]
    assert processes.logs("beat").count("(okr.send_due_reminders)") > 4  # both beats, often

    # The quarter close: each due cycle closed by exactly one run, one score per row.
    closes = processes.logs("worker")
    for cycle in due:
        assert len(re.findall(rf"\({cycle.pk}, True, \d+\)", closes)) == 1, cycle.label
    objectives = Objective.objects.filter(cycle__in=due)
    krs = KeyResult.objects.filter(objective__cycle__in=due)
    assert Score.objects.filter(cycle__in=due).count() == objectives.count() + krs.count()

    # The cached tree: a write through either web process is seen through the other at once.
    session, (_row, token) = (
        _session(admin),
        tokens.token_create(user=admin, organisation=org, name="scale-out"),
    )
    assert _progress_shown(web_a, session, partners) == {"0"}
    assert _progress_shown(web_b, session, partners) == {"0"}  # now cached in both
    _check_in(web_b, token, partners, 4)
    assert _progress_shown(web_a, session, partners) == {"40"}
    assert _progress_shown(web_b, session, partners) == {"40"}
    _check_in(web_a, token, partners, 7)
    assert _progress_shown(web_b, session, partners) == {"70"}
    assert _progress_shown(web_a, session, partners) == {"70"}
