"""Chat messages through a real Celery worker process on Redis (not eager), to a real receiver.

Every event is announced twice and every task queued twice, and the sweep too: the receiver
gets each message exactly once. The first post is answered 500: the message waits for its
retry, and the sweep (what beat runs every minute) posts it once it is due.
"""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from okr.chat import Event, announce, services, tasks
from okr.models import ChatMessage
from tests.support.factories import year_and_quarter
from tests.support.receiver import Receiver
from tests.support.worker import publisher as broker_publisher
from tests.support.worker import running_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

EVENTS = 5


@pytest.fixture
def worker(tmp_path):
    with running_worker(tmp_path, "chat") as log:
        yield log


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
        publisher = broker_publisher("chat")
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
