"""The conversation's jobs through a real Celery worker process on Redis (not eager mode).

One worker (``celery -A okr worker --pool=prefork -c 2``) on the test database
(committed data: a transactional test) and the test Redis, under this test's own
key prefix, writes its e-mails to files that are read back here:
- the actions-due job, queued twice at once, tells the owner of a due action once;
- the digest job, queued twice at once, sends each person one digest, in their
  language (their own, else the organisation's), and nothing to whoever turned
  the digest off; queued again after a new mention the same day, it sends nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from email import message_from_string
from email import policy as email_policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Membership, Organisation, User
from okr.conversation import digest, services
from okr.lib import calendar
from okr.models import DigestClaim, Notification, Objective, Review, ReviewEntry
from okr.objectives import services as objectives
from tests.support.worker import publisher as broker_publisher
from tests.support.worker import running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ZONES = ("Europe/Stockholm", "Asia/Tokyo", "America/New_York", "Pacific/Auckland", "UTC")


def _zone_past_the_digest_hour() -> str:
    """A time zone where it is now between the digest's hour and late evening (no midnight)."""
    now = calendar.clock()
    for name in ZONES:
        if digest.DIGEST_HOUR <= now.astimezone(ZoneInfo(name)).hour <= 22:
            return name
    raise AssertionError(f"No zone in {ZONES} is past {digest.DIGEST_HOUR}:00 at {now}")


@pytest.fixture
def worker(tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    with running_worker(tmp_path, "conversation", TEST_MAIL_DIR=str(mail)) as log:
        yield mail, log


def mails(mail_dir: Path) -> list:
    """Every message the worker wrote (Django's file backend: separator lines between)."""
    found = []
    for path in sorted(mail_dir.glob("*")):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if "To:" in chunk:
                found.append(message_from_string(chunk.strip(), policy=email_policy.default))
    return found


def _finished(log: Path, task: str) -> int:
    text = log.read_text(errors="replace")
    return sum(1 for line in text.splitlines() if f"Task {task}[" in line and "succeeded" in line)


def _wait(condition, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        time.sleep(0.2)


def _world():
    org = Organisation.objects.create(
        slug="samtal-ab", name="Samtal AB", language="sv", timezone=_zone_past_the_digest_hour()
    )
    people = {}
    for key, name, language, wants in (
        ("author", "Ada Author", "", True),
        ("svea", "Svea Svensson", "", True),  # the organisation's language: Swedish
        ("nora", "Nora Nordmann", "nb", True),
        ("erik", "Erik English", "en", True),
        ("olof", "Olof Off", "sv", False),  # turned the digest off
    ):
        user = User.objects.create_user(email=f"{key}@samtal.example", name=name, password=None)
        user.language, user.email_digest = language, wants
        user.save(update_fields=["language", "email_digest"])
        Membership.objects.create(organisation=org, user=user, role=Membership.Role.MEMBER)
        people[key] = user
    today = calendar.today(org)
    year = objectives.cycle_for_date(organisation=org, day=today)
    objective = objectives.objective_create(
        organisation=org, cycle=year, level=Objective.Level.STRATEGIC, title="Växa i Norge"
    )
    services.comment_create(
        target=objective, author=people["author"], text="@svea @nora @erik @olof titta här"
    )
    review = Review.objects.create(organisation=org, date=today)
    ReviewEntry.objects.create(
        organisation=org,
        review=review,
        kind=ReviewEntry.Kind.DECISION,
        text="Anställ en till i produktionen",
        author=people["author"],
        owner=people["svea"],
        due_date=today,
    )
    return org, people, objective


def test_a_real_worker_tells_once_and_sends_one_digest_a_day(worker):
    mail_dir, log = worker
    org, people, objective = _world()
    publisher = broker_publisher("conversation")
    started = datetime.now()
    due = Notification.objects.filter(organisation=org, kind=Notification.Kind.ACTION_DUE)

    # The actions-due job twice at once (two pool processes): the owner is told once.
    for _ in range(2):
        publisher.send_task("okr.notify_actions_due")
    _wait(lambda: _finished(log, "okr.notify_actions_due") >= 2, log)
    assert list(due.values_list("recipient__email", flat=True)) == ["svea@samtal.example"]

    # The digest job twice at once: one digest each, none for Olof.
    for _ in range(2):
        publisher.send_task("okr.send_digests")
    _wait(lambda: _finished(log, "okr.send_digests") >= 2, log)
    sent = mails(mail_dir)
    assert Counter(m["To"] for m in sent) == {
        "svea@samtal.example": 1,
        "nora@samtal.example": 1,
        "erik@samtal.example": 1,
    }, log.read_text(errors="replace")[-3000:]
    subjects = {m["To"]: m["Subject"] for m in sent}
    assert subjects["svea@samtal.example"] == "Samtal AB: 2 olästa aviseringar"  # mention + due
    assert subjects["nora@samtal.example"] == "Samtal AB: 1 ulest varsel"
    assert subjects["erik@samtal.example"] == "Samtal AB: 1 unread notification"
    body = {m["To"]: m.get_body(("plain",)).get_content() for m in sent}
    assert "Växa i Norge" in body["nora@samtal.example"]
    assert not DigestClaim.objects.filter(user=people["olof"]).exists()
    assert Notification.objects.filter(recipient=people["olof"], read_at=None).count() == 1

    # Later the same day: a new mention, both jobs again. Nobody gets a second digest,
    # and the action is not told twice.
    services.comment_create(target=objective, author=people["author"], text="@svea en till")
    publisher.send_task("okr.send_digests")
    publisher.send_task("okr.notify_actions_due")
    _wait(lambda: _finished(log, "okr.send_digests") >= 3, log)
    _wait(lambda: _finished(log, "okr.notify_actions_due") >= 3, log)
    assert len(mails(mail_dir)) == 3
    assert due.count() == 1
    assert DigestClaim.objects.filter(organisation=org, sent_at__isnull=False).count() == 3
    assert (datetime.now() - started).total_seconds() < 30  # seconds, not minutes
