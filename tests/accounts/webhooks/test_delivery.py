"""Deliveries to a real receiver on localhost that checks every signature: delivered once,
retried with backoff after a 500 or a timeout, given up, and an endpoint that keeps failing
turned off with its admins told (e-mail in their language, audit log).

Queued tasks are captured (``queued``), and each test runs the delivery itself with
``delivery.attempt``, travelling in time past the backoff.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, Membership, WebhookDelivery, WebhookEndpoint
from accounts.webhooks import EventType, delivery, emit, signing, tasks
from accounts.webhooks import services as hooks
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State


@pytest.fixture(autouse=True)
def local(settings):
    settings.WEBHOOK_ALLOW_LOCAL_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids queued after commit (and their countdowns), instead of the broker."""
    found = []
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: found.extend(ids))
    return found


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def endpoint_for(cast, receiver, events=("member.removed",)):
    endpoint, secret = hooks.endpoint_create(
        organisation=cast.org, url=receiver.url, events=list(events), author=cast.admin
    )
    receiver.secret = secret
    return endpoint


def remove_member(cast, django_capture_on_commit_callbacks):
    membership = Membership.objects.get(organisation=cast.org, user=cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_remove(membership=membership, author=cast.admin)


def test_delivered_signed_and_verified(cast, receiver, queued, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(cast, receiver)
    remove_member(cast, django_capture_on_commit_callbacks)
    assert len(queued) == 1
    done = delivery.attempt(queued[0])
    assert done.state == State.DELIVERED and done.attempts == 1 and done.last_status == 200
    assert done.duration_ms is not None
    [post] = receiver.posts
    assert post.verified
    assert post.headers[signing.EVENT_HEADER.lower()] == "member.removed"
    assert post.headers[signing.DELIVERY_HEADER.lower()] == str(done.uuid)
    assert post.body["type"] == "member.removed" and post.body["organisation"] == "acme"
    assert post.body["data"]["user"]["email"] == "member@acme.example"
    assert delivery.attempt(queued[0]) is None  # a rerun sends nothing
    assert len(receiver.posts) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(
    cast, receiver, queued, django_capture_on_commit_callbacks
):
    endpoint_for(cast, receiver)
    remove_member(cast, django_capture_on_commit_callbacks)
    assert delivery._claim(queued[0], timezone.now())  # another worker holds it
    assert delivery.attempt(queued[0]) is None
    assert receiver.posts == []
    # Its lease runs out (the worker died): taken over and sent once.
    later = timezone.now() + timedelta(minutes=5)
    assert delivery.attempt(queued[0], now=later).state == State.DELIVERED
    assert len(receiver.posts) == 1


def test_retries_after_500_and_timeout_with_backoff(
    cast, receiver, queued, django_capture_on_commit_callbacks
):
    endpoint_for(cast, receiver)
    receiver.plan = [500, 503]
    remove_member(cast, django_capture_on_commit_callbacks)
    pk, now = queued[0], timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = delivery.attempt(pk, now=now)
    assert queued == [pk, pk]  # queued after the commit, then again after the failure
    assert (first.state, first.attempts, first.last_status) == (State.PENDING, 1, 500)
    assert first.next_attempt_at == now + timedelta(minutes=1)
    assert delivery.attempt(pk, now=now + timedelta(seconds=30)) is None  # not due yet
    second = delivery.attempt(pk, now=now + timedelta(seconds=61))
    assert second.next_attempt_at == now + timedelta(seconds=61 + 300)
    receiver.delay = 1.0  # longer than the client waits
    third = delivery.attempt(pk, now=now + timedelta(seconds=400))
    assert third.state == State.PENDING and "timed out" in third.last_error.lower()
    assert third.next_attempt_at == now + timedelta(seconds=400 + 1800)
    receiver.delay = 0
    fourth = delivery.attempt(pk, now=now + timedelta(seconds=2300))
    assert (fourth.state, fourth.attempts) == (State.DELIVERED, 4)
    assert all(post.verified for post in receiver.posts)
    assert {post.headers[signing.DELIVERY_HEADER.lower()] for post in receiver.posts} == {
        str(fourth.uuid)
    }


def test_given_up_after_the_last_backoff(
    cast, receiver, queued, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_BACKOFF_SECONDS = [1, 1]
    endpoint_for(cast, receiver)
    receiver.plan = [500, 500, 500, 500]
    remove_member(cast, django_capture_on_commit_callbacks)
    now = timezone.now()
    for step in range(3):
        result = delivery.attempt(queued[0], now=now + timedelta(seconds=5 * step))
    assert (result.state, result.attempts) == (State.FAILED, 3)
    assert delivery.attempt(queued[0], now=now + timedelta(days=1)) is None
    assert len(receiver.posts) == 3


def test_disabled_after_repeated_failures_and_the_admins_are_told(
    cast, receiver, queued, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    cast.admin.language = "sv"
    cast.admin.save()
    endpoint = endpoint_for(cast, receiver, events=["objective.created", "member.removed"])
    receiver.plan = [500] * 10
    from tests.support.factories import ObjectiveFactory, year_and_quarter

    year, _quarter = year_and_quarter(cast.org)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            ObjectiveFactory(organisation=cast.org, cycle=year, title=f"Mål {n}")
    with django_capture_on_commit_callbacks(execute=True):
        for pk in list(queued):
            delivery.attempt(pk)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    [mail] = mailoutbox
    assert mail.to == ["admin@acme.example"]
    assert mail.subject == "En webhook för Acme AB stängdes av"  # in the admin's language
    assert receiver.url in mail.body
    disabled = AuditEvent.objects.get(action=AuditEvent.Kind.WEBHOOK_DISABLED)
    assert disabled.actor is None and disabled.target_id == str(endpoint.uuid)
    # Turned off: new events are not even recorded for it; the pending retries give up.
    queued.clear()
    remove_member(cast, django_capture_on_commit_callbacks)
    assert queued == []
    later = timezone.now() + timedelta(hours=1)
    retried = [delivery.attempt(pk, now=later) for pk in delivery.due(later)]
    assert {r.state for r in retried} == {State.FAILED}
    assert len(receiver.posts) == 3
    # Turned on again by an admin: the failures start from zero.
    hooks.endpoint_update(
        endpoint=endpoint, url=endpoint.url, events=endpoint.events, active=True, author=cast.admin
    )
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_a_rotated_secret_signs_from_then_on(
    cast, receiver, queued, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(cast, receiver, events=["member.removed", "member.added"])
    old = receiver.secret
    new = hooks.endpoint_rotate_secret(endpoint=endpoint, author=cast.admin)
    assert new != old and new.startswith("whsec_")
    remove_member(cast, django_capture_on_commit_callbacks)
    delivery.attempt(queued[0])
    assert not receiver.posts[0].verified  # the receiver still has the old secret
    receiver.secret = new
    with django_capture_on_commit_callbacks(execute=True):
        hooks.endpoint_send_test(endpoint=endpoint, author=cast.admin)
    delivery.attempt(queued[1])
    assert receiver.posts[1].verified and receiver.posts[1].body["type"] == "ping"
    assert AuditEvent.objects.filter(action=AuditEvent.Kind.WEBHOOK_SECRET_ROTATED).count() == 1


def test_nothing_is_written_without_a_subscribed_endpoint(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert emit(cast.org, EventType.MEMBER_REMOVED, {"x": 1}) is None
    WebhookEndpoint.objects.create(
        organisation=cast.org, url="https://a.example", events=["ping"], secret="s"
    )
    WebhookEndpoint.objects.create(
        organisation=cast.other_org, url="https://b.example", events=["member.removed"], secret="s"
    )
    assert emit(cast.org, EventType.MEMBER_REMOVED, {"x": 1}) is None
    assert not WebhookDelivery.objects.exists()


def test_one_delivery_per_event_and_endpoint(cast, queued):
    endpoint = WebhookEndpoint.objects.create(
        organisation=cast.org, url="https://a.example", events=["ping"], secret="s"
    )
    event = emit(cast.org, EventType.PING, {}, endpoints=[endpoint.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(
            organisation=cast.org, event=event, endpoint=endpoint, next_attempt_at=timezone.now()
        )
    assert WebhookDelivery.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("header", "body", "ok"),
    [
        ("good", b'{"a":1}', True),
        ("good", b'{"a":2}', False),
        ("old", b'{"a":1}', False),
        ("t=x,v1=y", b'{"a":1}', False),
        ("", b'{"a":1}', False),
    ],
)
def test_signature_checks(header, body, ok):
    secret, now = "whsec_test", 1_800_000_000
    good = signing.signature(secret, b'{"a":1}', timestamp=now)
    headers = {"good": good, "old": signing.signature(secret, b'{"a":1}', timestamp=now - 600)}
    assert signing.verify(secret, headers.get(header, header), body, now=now) is ok
