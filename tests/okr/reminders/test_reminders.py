"""Check-in reminders and team-lead summaries: who, when, in which language, exactly once.

These run the services in the test process with explicit ``now``; the tests
with a real Celery worker on Redis are in test_reminders_worker.py.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from conftest import client_for
from okr.lib import calendar
from okr.models import ReminderClaim, Review
from okr.objectives import services
from okr.reminders import selectors as reminders_sel
from okr.reminders import services as svc
from okr.reminders import tasks
from okr.reviews import services as reviews_svc
from tests.support.reviews import at, build, record
from tests.support.worker import queued_jobs

pytestmark = pytest.mark.django_db

# The review on Monday 2 March 2026; the last one was on 16 February.
REVIEW = date(2026, 3, 2)
REMINDERS_DUE = datetime(2026, 2, 28, 7, tzinfo=UTC)  # Saturday 08:00 in Stockholm
ESCALATION_DUE = datetime(2026, 3, 1, 7, tzinfo=UTC)  # Sunday 08:00 in Stockholm


def run(now):
    """One sweep and the sending of its claims, as beat plus the worker would."""
    result = svc.reminders_sweep(now=now)
    sent = svc.reminders_send(token=result.token, claim_ids=result.claim_ids, now=now)
    return result, sent


def recipients(kind="reminder"):
    return sorted(
        m.to[0]
        for m in mail.outbox
        if m.extra_headers.get("Message-ID", "").startswith(f"<okr-{kind}-")
    )


def test_nothing_before_the_reminder_time(cast):
    build(cast)
    result, sent = run(REMINDERS_DUE - timedelta(minutes=1))
    assert (result.claimed, sent.sent) == (0, 0)
    assert mail.outbox == [] and ReminderClaim.objects.count() == 0


def test_owners_without_a_check_in_since_the_last_review_get_one_reminder(cast):
    w = build(cast)
    # Checked in since the last review (16 February): Per on the website, but not on leads.
    record(w.krs["website"], w.people["per"], date(2026, 2, 20), done=True)
    record(w.krs["invoicing"], w.people["kari"], date(2026, 2, 17), value=3)
    result, sent = run(REMINDERS_DUE)
    assert sent.sent == 3
    assert recipients() == ["admin@acme.example", "member@acme.example", "per@acme.example"]
    review = Review.objects.get(organisation=cast.org, date=REVIEW)
    assert ReminderClaim.objects.filter(review=review, sent_at__isnull=False).count() == 3
    per = next(m for m in mail.outbox if m.to == ["per@acme.example"])
    assert "Generera 100 nya leads" in per.body
    assert "Lansera översatt hemsida" not in per.body  # checked in since the last review
    assert "Ett utkast" not in per.body and "Utkastets resultat" not in mail.outbox[0].body
    assert "http://testserver" not in per.body
    from django.conf import settings

    assert settings.SITE_URL + reverse("okr:my_check_ins", args=["acme"]) in per.body


def test_running_again_beat_firing_twice_or_a_retry_sends_nothing_more(cast):
    build(cast)
    run(REMINDERS_DUE)
    first = len(mail.outbox)
    assert first == 4
    for minutes in (0, 5, 60, 60 * 24):
        run(REMINDERS_DUE + timedelta(minutes=minutes))
    assert len(recipients()) == first
    # Re-sending a batch that was already sent (a retried task) sends nothing.
    claims = list(ReminderClaim.objects.values_list("claim_token", "id"))
    again = svc.reminders_send(token=claims[0][0], claim_ids=[c for _, c in claims])
    assert again.sent == 0 and len(recipients()) == first


def test_reminders_in_the_recipients_language(cast):
    build(cast)
    run(REMINDERS_DUE)
    by_person = {m.to[0]: m for m in mail.outbox}
    swedish = by_person["per@acme.example"]
    assert (
        "Checka in på dina nyckelresultat" in swedish.subject or "måndag 2 mars" in swedish.subject
    )
    assert "måndag 2 mars" in swedish.body and "vecka 10" in swedish.body
    english = by_person["member@acme.example"]
    assert english.subject == "Check in on your key results before the review on Monday 2 March"
    assert "(week 10)" in english.body
    html = english.alternatives[0][0]
    assert '<html lang="en">' in html and "Merförsäljning 1,5MSEK" in html
    assert 'lang="sv"' in swedish.alternatives[0][0]


def test_norwegian_reminder(cast):
    w = build(cast)
    record(w.krs["website"], w.people["per"], date(2026, 2, 20), done=True)
    run(REMINDERS_DUE)
    # Kari's last check-in was on 10 February, before the last review.
    kari = next(m for m in mail.outbox if m.to == ["kari@acme.example"])
    # Norwegian writes an ordinal dot after the day.
    assert "mandag 2. mars" in kari.body and "uke 10" in kari.body
    assert 'lang="nb"' in kari.alternatives[0][0]


def test_team_leads_get_one_summary_the_day_before(cast):
    w = build(cast)
    # The website, marked done on 12 February, turned out not to be (a done milestone
    # would need no check-in: test_reminder_fixes.py).
    record(w.krs["website"], w.people["per"], date(2026, 2, 13), done=False)
    run(REMINDERS_DUE)
    assert recipients("escalation") == []
    record(w.krs["leads"], w.people["per"], date(2026, 2, 28), value=40)
    run(ESCALATION_DUE)
    run(ESCALATION_DUE + timedelta(hours=1))
    assert recipients("escalation") == ["admin@acme.example", "leader@acme.example"]
    leader = next(
        m
        for m in mail.outbox
        if m.to == ["leader@acme.example"] and "escalation" in m.extra_headers["Message-ID"]
    )
    assert "Marknad" in leader.body
    assert "Lansera översatt hemsida senast 15/2 · Per Persson" in leader.body
    assert "Generera 100 nya leads" not in leader.body  # checked in yesterday
    admin = next(
        m
        for m in mail.outbox
        if m.to == ["admin@acme.example"] and "escalation" in m.extra_headers["Message-ID"]
    )
    assert "Fakturering nya kunder 4MSEK · Kari Nordmann" in admin.body


def test_turned_off_per_organisation(cast):
    build(cast)
    cast.org.reminders_enabled = False
    cast.org.save()
    run(ESCALATION_DUE)
    assert mail.outbox == [] and ReminderClaim.objects.count() == 0


def test_a_closed_or_past_review_gets_no_reminders(cast):
    build(cast)
    review = Review.objects.create(organisation=cast.org, date=REVIEW)
    reviews_svc.review_close(review=review, user=cast.leader, now=REMINDERS_DUE)
    run(REMINDERS_DUE + timedelta(hours=1))
    assert mail.outbox == []


def test_a_sender_that_died_is_taken_over_after_the_lease_and_sends_once(cast):
    build(cast)
    # A sweep claimed, then its worker died before sending anything.
    dead = svc.reminders_sweep(now=REMINDERS_DUE)
    assert len(dead.claim_ids) == 4 and mail.outbox == []
    # Within the lease nobody takes the claims over.
    result, sent = run(REMINDERS_DUE + timedelta(minutes=10))
    assert (result.retaken, sent.sent) == (0, 0)
    # After the lease, the next sweep does, and each is sent once.
    result, sent = run(REMINDERS_DUE + timedelta(minutes=16))
    assert (result.retaken, sent.sent) == (4, 4)
    assert ReminderClaim.objects.filter(attempts=2).count() == 4
    # The dead run's batch, delivered late, finds its claims taken over and sends nothing.
    late = svc.reminders_send(token=dead.token, claim_ids=dead.claim_ids)
    assert late.sent == 0 and late.not_owned == 4
    assert len(mail.outbox) == 4


def test_a_claim_whose_owner_checked_in_meanwhile_is_skipped(cast):
    w = build(cast)
    result = svc.reminders_sweep(now=REMINDERS_DUE)
    record(w.krs["upsell"], cast.member, date(2026, 2, 28), value=1, hour=9)
    sent = svc.reminders_send(token=result.token, claim_ids=result.claim_ids, now=REMINDERS_DUE)
    assert (sent.sent, sent.skipped) == (3, 1)
    assert "member@acme.example" not in recipients()
    assert ReminderClaim.objects.get(user=cast.member).outcome == "skipped"


def test_a_failed_send_is_retried_by_a_later_sweep(cast, monkeypatch):
    build(cast)
    from accounts import emails

    real_send = emails.send
    monkeypatch.setattr(emails, "send", lambda *a, **k: (_ for _ in ()).throw(OSError("SMTP down")))
    result, sent = run(REMINDERS_DUE)
    assert (sent.sent, sent.failed) == (0, 4)
    monkeypatch.setattr(emails, "send", real_send)
    result, sent = run(REMINDERS_DUE + timedelta(minutes=20))
    assert sent.sent == 4 and len(mail.outbox) == 4


def test_owners_see_when_they_were_last_reminded(cast):
    build(cast)
    client = client_for(cast.member)
    assert (
        "last reminded"
        not in client.get(reverse("okr:my_check_ins", args=["acme"])).content.decode()
    )
    run(REMINDERS_DUE)
    body = client.get(reverse("okr:my_check_ins", args=["acme"])).content.decode()
    assert "You were last reminded to check in on 28 February 2026." in body
    assert reminders_sel.last_reminded_at(cast.org, cast.leader) is None


def test_queuing_from_a_page_survives_a_broker_that_is_down(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    build(cast)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_due_reminders, "apply_async", broker_down)
    logged = []
    monkeypatch.setattr(
        tasks.logger, "warning", lambda message, *args, **kw: logged.append(message % args)
    )
    client = client_for(cast.leader)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("okr:review_new", args=["acme"]),
            {"date": "2026-03-03", "moved_from": "2026-03-02"},
        )
    assert response.status_code == 302 and len(queued_jobs(callbacks)) == 1
    assert any("Could not queue okr.send_due_reminders" in line for line in logged)
    # Nothing is lost: the next sweep (beat, or the command) finds the moved review's reminders.
    run(datetime(2026, 3, 1, 7, tzinfo=UTC))
    assert len(recipients()) == 4
    assert Review.objects.get(date=date(2026, 3, 3)).reminder_claims.count() >= 4


def test_the_web_request_queues_a_sweep_for_its_organisation(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    build(cast)
    queued = []
    monkeypatch.setattr(
        tasks.send_due_reminders, "apply_async", lambda args, **kw: queued.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.leader).post(
            reverse("okr:review_new", args=["acme"]), {"date": "2026-03-04"}
        )
    assert queued == [(cast.org.pk,)]


def due_now(cast, settings):
    """The cast's organisation with its next review tomorrow: reminders are due right now.

    Three owners (admin, leader, member) of a strategic key result each, no check-ins.
    """
    settings.OKR_REMINDER_HOUR = 0
    org = cast.org
    tomorrow = calendar.today(org) + timedelta(days=1)
    org.review_weekday, org.review_every_weeks = tomorrow.weekday(), 1
    org.save()
    year = services.cycle_for_date(organisation=org, day=tomorrow)
    objective = services.objective_create(
        organisation=org, cycle=year, level="strategic", title="Marknadstest i Norge"
    )
    for user in (cast.admin, cast.leader, cast.member):
        services.key_result_create(
            objective=objective,
            title=f"10 nya kunder ({user.name})",
            owner=user,
            start_value=0,
            target_value=10,
        )
    return tomorrow


def test_send_reminders_command_dry_run_and_for_real(cast, settings):
    tomorrow = due_now(cast, settings)
    out = StringIO()
    call_command("send_reminders", "--org", "acme", "--dry-run", stdout=out)
    assert f"acme: review {tomorrow:%Y-%m-%d}, reminder: 3 people" in out.getvalue()
    assert "Dry run" in out.getvalue() and ReminderClaim.objects.count() == 0
    out = StringIO()
    call_command("send_reminders", "--org", "acme", stdout=out)
    assert "sent 3" in out.getvalue() and len(mail.outbox) == 3
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 3
    with pytest.raises(Exception, match="No organisation"):
        call_command("send_reminders", "--org", "nope", stdout=StringIO())


def test_the_tasks_are_thin_and_idempotent(
    cast, settings, monkeypatch, django_capture_on_commit_callbacks
):
    due_now(cast, settings)
    queued = []
    monkeypatch.setattr(tasks, "_queue_batch", lambda token, ids: queued.append((token, ids)))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.run(cast.org.pk) == {"claimed": 3, "retaken": 0}
    assert tasks.send_due_reminders.run(cast.org.pk) == {"claimed": 0, "retaken": 0}
    assert tasks.send_due_reminders.run(999999) == {"claimed": 0, "retaken": 0}
    token, ids = queued[0]
    assert tasks.send_reminder_batch.run(str(token), ids)["sent"] == 3
    assert tasks.send_reminder_batch.run(str(token), ids)["sent"] == 0
    assert tasks.send_reminder_batch.run(str(uuid.uuid4()), ids)["not_owned"] == 3


def test_beat_schedule_runs_reminders_hourly_and_the_close_daily():
    from django.conf import settings

    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert str(schedule["okr.send_due_reminders"]._orig_minute) == "5"
    assert str(schedule["okr.send_due_reminders"]._orig_hour) == "*"
    assert str(schedule["okr.close_due_cycles"]._orig_hour) == "2"
    from okr.celery import app

    app.loader.import_default_modules()
    assert {"okr.send_due_reminders", "okr.send_reminder_batch", "okr.close_due_cycles"} <= set(
        app.tasks
    )


def test_the_claim_is_unique_per_person_review_and_kind(cast):
    from django.db import IntegrityError, transaction

    build(cast)
    review = Review.objects.create(organisation=cast.org, date=REVIEW)
    values = {"organisation": cast.org, "review": review, "user": cast.member, "kind": "reminder"}
    ReminderClaim.objects.create(**values, claim_token=uuid.uuid4(), claimed_at=REMINDERS_DUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderClaim.objects.create(**values, claim_token=uuid.uuid4(), claimed_at=REMINDERS_DUE)
    ReminderClaim.objects.create(
        **{**values, "kind": "escalation"}, claim_token=uuid.uuid4(), claimed_at=REMINDERS_DUE
    )


def test_settings_form_refuses_a_bad_or_half_filled_cadence(cast):
    client = client_for(cast.admin)
    data = {
        "name": "Acme AB",
        "language": "en",
        "timezone": "Europe/Stockholm",
        "country": "SE",
        "fiscal_year_start_month": "1",
        "review_every_weeks": "",
        "review_weekday": "9",
    }
    response = client.post(reverse("settings:organisation", args=["acme"]), data)
    body = response.content.decode()
    assert response.status_code == 200 and body.count('aria-invalid="true"') >= 2
    cast.org.refresh_from_db()
    assert (cast.org.review_every_weeks, cast.org.review_weekday) == (2, 0)


def test_review_rows_the_sweep_creates_keep_reading_free_of_writes(cast):
    build(cast)
    run(at(date(2026, 2, 28), 7))
    assert list(Review.objects.values_list("date", "moved_from", "state")) == [
        (REVIEW, None, "open")
    ]


def test_an_unreachable_redis_fails_fast_and_quietly(
    monkeypatch, django_capture_on_commit_callbacks
):
    import time

    from celery import current_app

    monkeypatch.setattr(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    published = []
    monkeypatch.setattr(
        tasks.send_due_reminders, "apply_async", lambda *a, **k: published.append(a)
    )
    logged = []
    monkeypatch.setattr(
        tasks.logger, "warning", lambda message, *args, **kw: logged.append(message)
    )
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(tasks.send_due_reminders, 1)
    assert time.monotonic() - started < 2
    assert published == [] and len(logged) == 1
