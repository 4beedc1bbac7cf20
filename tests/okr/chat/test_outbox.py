"""The outbox: one message per (hook, event key), claimed atomically, posted to a real local
receiver, retried with backoff after a failing answer, given up at last; the URL encrypted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from okr.chat import Event, announce, delivery, tasks
from okr.models import ChatHook, ChatMessage
from tests.support.factories import year_and_quarter

pytestmark = pytest.mark.django_db
State = ChatMessage.State


@pytest.fixture
def quarter(cast):
    return year_and_quarter(cast.org)[1]


def close_announced(cast, quarter, captured):
    with captured(execute=True), transaction.atomic():
        return announce(cast.org, Event.QUARTER_CLOSED, quarter, facts={"scores": 3})


def test_no_hook_costs_one_query_and_writes_nothing(cast, quarter, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert announce(cast.org, Event.QUARTER_CLOSED, quarter) == []
    assert ChatMessage.objects.count() == 0


def test_the_url_is_stored_encrypted_and_shown_masked(cast, make_hook):
    url = "https://hooks.slack.com/services/T000/B000/secretXYZ1"
    hook = make_hook(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT url_encrypted, url_hint FROM okr_chathook WHERE id = %s", [hook.pk])
        stored, hint = cursor.fetchone()
    assert "secret" not in stored and "hooks.slack.com" not in stored
    assert hint == "https://hooks.slack.com/…XYZ1" and "secret" not in str(hook)


def test_one_message_per_hook_and_event_however_often_announced(
    cast, quarter, make_hook, queued, django_capture_on_commit_callbacks
):
    make_hook()
    make_hook("https://example.webhook.office.com/webhookb2/x", kind="teams")
    first = close_announced(cast, quarter, django_capture_on_commit_callbacks)
    again = close_announced(cast, quarter, django_capture_on_commit_callbacks)
    assert len(first) == 2 and sorted(again) == sorted(first)
    assert ChatMessage.objects.count() == 2
    assert sorted(queued) == sorted(first + first)  # queued twice: the claim decides
    hook = ChatHook.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChatMessage.objects.create(
            organisation=cast.org,
            hook=hook,
            event=Event.QUARTER_CLOSED,
            key=ChatMessage.objects.get(hook=hook).key,
            title="x",
            payload={},
            next_attempt_at=timezone.now(),
        )


def test_slack_and_teams_bodies(cast, quarter, make_hook, receiver, queued, settings):
    settings.CHAT_BACKOFF_SECONDS = [60]
    make_hook(receiver.url)
    make_hook(receiver.url, kind="teams")
    with transaction.atomic():
        ids = announce(cast.org, Event.QUARTER_CLOSED, quarter)
    for pk in ids:
        assert delivery.attempt(pk).state == State.SENT
    slack = next(p.body for p in receiver.posts if "text" in p.body and "@type" not in p.body)
    teams = next(p.body for p in receiver.posts if p.body.get("@type") == "MessageCard")
    link = f"{settings.SITE_URL}/acme/quarter-close/"
    assert slack["text"].startswith(f"*{quarter.label} is closed*\n")
    assert f"<{link}|Open in OKR>" in slack["text"]
    assert teams["title"] == f"{quarter.label} is closed"
    assert teams["potentialAction"][0]["targets"][0]["uri"] == link
    assert all(p.headers["content-type"].startswith("application/json") for p in receiver.posts)


def test_claimed_once_a_second_attempt_finds_nothing(cast, quarter, make_hook, receiver):
    make_hook(receiver.url)
    with transaction.atomic():
        [pk] = announce(cast.org, Event.QUARTER_CLOSED, quarter)
    now = timezone.now()
    assert delivery.claim(pk, now) is True
    assert delivery.claim(pk, now) is False  # held by the first worker's lease
    assert delivery.attempt(pk) is None
    later = now + timedelta(minutes=5)  # the lease ran out: the worker died
    assert delivery.due(later) == [pk]
    assert delivery.attempt(pk, now=later).state == State.SENT
    assert delivery.attempt(pk, now=later + timedelta(hours=1)) is None  # sent: never again
    assert len(receiver.posts) == 1


def test_a_failing_answer_is_retried_after_the_backoff_then_sent(
    cast, quarter, make_hook, receiver, queued, settings, django_capture_on_commit_callbacks
):
    settings.CHAT_BACKOFF_SECONDS = [60, 300]
    receiver.plan = [500, 503]
    make_hook(receiver.url)
    [pk] = close_announced(cast, quarter, django_capture_on_commit_callbacks)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        failed = delivery.attempt(pk, now=now)
    assert (failed.state, failed.attempts, failed.last_status) == (State.PENDING, 1, 500)
    assert failed.next_attempt_at == now + timedelta(seconds=60)
    assert queued == [pk, pk]  # queued again with the countdown
    assert delivery.attempt(pk, now=now + timedelta(seconds=30)) is None  # not due yet
    assert tasks.retry_due() == 0
    second = delivery.attempt(pk, now=now + timedelta(seconds=61))
    assert (second.state, second.attempts, second.last_status) == (State.PENDING, 2, 503)
    third = delivery.attempt(pk, now=now + timedelta(seconds=400))
    assert (third.state, third.attempts, third.last_error) == (State.SENT, 3, "")
    assert [p.status for p in receiver.posts] == [500, 503, 200]


def test_given_up_after_the_last_wait(cast, quarter, make_hook, receiver, settings):
    settings.CHAT_BACKOFF_SECONDS = [1]
    receiver.plan = [500, 500]
    make_hook(receiver.url)
    with transaction.atomic():
        [pk] = announce(cast.org, Event.QUARTER_CLOSED, quarter)
    now = timezone.now()
    delivery.attempt(pk, now=now)
    final = delivery.attempt(pk, now=now + timedelta(seconds=2))
    assert (final.state, final.attempts) == (State.FAILED, 2)
    assert delivery.due(now + timedelta(days=1)) == []


def test_a_hook_turned_off_meanwhile_gets_nothing(cast, quarter, make_hook, receiver):
    hook = make_hook(receiver.url)
    with transaction.atomic():
        [pk] = announce(cast.org, Event.QUARTER_CLOSED, quarter)
    ChatHook.objects.filter(pk=hook.pk).update(active=False)
    assert delivery.attempt(pk).state == State.FAILED
    assert receiver.posts == []
    with transaction.atomic():
        assert announce(cast.org, Event.REVIEW_STARTED, quarter) == []  # off: not asked


def test_the_sweep_posts_what_a_lost_task_left(cast, quarter, make_hook, receiver):
    make_hook(receiver.url)
    with transaction.atomic():
        announce(cast.org, Event.QUARTER_CLOSED, quarter)
    assert tasks.retry_due() == 1
    assert tasks.retry_due() == 0
    assert len(receiver.posts) == 1


def test_a_refused_address_is_an_error_not_a_crash(cast, quarter, make_hook, settings):
    make_hook("https://hooks.example/okr")
    settings.OUTBOUND_ALLOW_HTTP = False
    hook = ChatHook.objects.get()
    from accounts.sso import secrets

    ChatHook.objects.filter(pk=hook.pk).update(url_encrypted=secrets.encrypt("ftp://x.example/"))
    with transaction.atomic():
        [pk] = announce(cast.org, Event.QUARTER_CLOSED, quarter)
    result = delivery.attempt(pk)
    assert result.state == State.PENDING and "https" in result.last_error
