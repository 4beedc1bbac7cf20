"""Deliveries through a real Celery worker process on Redis (not eager), to a real receiver.

Each delivery's task is queued twice and the sweep once as well: the receiver still gets
every event exactly once, each with a valid signature (the claim in the database decides).
"""

from __future__ import annotations

import time

import pytest

from accounts.models import Organisation, User, WebhookDelivery
from accounts.webhooks import EventType, emit, tasks
from accounts.webhooks import services as hooks
from tests.support.receiver import Receiver
from tests.support.worker import publisher as broker_publisher
from tests.support.worker import running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

EVENTS = 6


@pytest.fixture
def worker(tmp_path):
    with running_worker(tmp_path, "webhook") as log:
        yield log


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
        publisher = broker_publisher("webhook")
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
