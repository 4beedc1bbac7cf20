"""Reminders that asked too much: a milestone already done, and people already reminded.

* The reminder listed a milestone already marked done: a done milestone needs no
  check-in (nor is it "without a check-in" on the review page).
* `send_reminders --dry-run` counted a person who was already reminded: the dry run
  (and the real run's report) count only who would get one now, and say how many
  already had theirs.
"""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from okr.models import ReminderClaim
from okr.reminders import selectors as reminders_sel
from okr.reminders import services as svc
from okr.reviews import selectors as sel
from tests.support.factories import KeyResultFactory, MembershipFactory, UserFactory
from tests.support.reviews import build, record

pytestmark = pytest.mark.django_db

REVIEW = date(2026, 3, 2)  # the last scheduled review was on 16 February (none held)
REMINDERS_DUE = datetime(2026, 2, 28, 7, tzinfo=UTC)  # Saturday 08:00 in Stockholm


def run(now):
    result = svc.reminders_sweep(now=now)
    svc.reminders_send(token=result.token, claim_ids=result.claim_ids, now=now)
    return result


def test_a_milestone_marked_done_is_not_asked_for_a_check_in(cast):
    w = build(cast)  # the website was marked done on 12 February, before the last review
    website, leads = w.krs["website"], w.krs["leads"]
    website.refresh_from_db()
    assert website.done
    since = sel.period_of(sel.schedule_of(cast.org), REVIEW).since
    missing = set(reminders_sel.keys_missing_check_in(cast.org, REVIEW, since))
    assert leads in missing and website not in missing
    run(REMINDERS_DUE)
    per = next(m for m in mail.outbox if m.to == ["per@acme.example"])
    assert "Generera 100 nya leads" in per.body
    assert "Lansera översatt hemsida" not in per.body
    # The review page does not count it "without a check-in" either.
    board = sel.review_board(cast.org, REVIEW, charts=False)
    row = next(r for r in board.rows if r.title == website.title)
    assert not row.missing_check_in
    assert next(r for r in board.rows if r.title == leads.title).missing_check_in


def test_a_milestone_not_done_is_still_asked_for(cast):
    w = build(cast, check_ins=False)
    record(w.krs["website"], w.people["per"], date(2026, 2, 12), done=False)
    run(REMINDERS_DUE)
    per = next(m for m in mail.outbox if m.to == ["per@acme.example"])
    assert "Lansera översatt hemsida" in per.body


def test_the_dry_run_counts_only_who_was_not_reminded_yet(cast):
    w = build(cast)
    before = svc.reminders_sweep(now=REMINDERS_DUE, organisation=cast.org, dry_run=True)
    (due,) = before.due
    assert (len(due.user_ids), due.already_reminded) == (4, 0)
    assert ReminderClaim.objects.count() == 0
    run(REMINDERS_DUE)
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 4
    later = REMINDERS_DUE + timedelta(hours=2)
    (due,) = svc.reminders_sweep(now=later, organisation=cast.org, dry_run=True).due
    assert (due.user_ids, due.already_reminded) == ([], 4)
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("send_reminders", "--org", "acme", "--dry-run", stdout=out)
    assert (
        "acme: review 2026-03-02, reminder: 0 people without a check-in since the last review "
        "(4 already reminded)" in out.getvalue()
    )
    # A new owner without a check-in is the one person a run would remind now.
    newcomer = UserFactory(email="ny@acme.example")
    MembershipFactory(organisation=cast.org, user=newcomer)
    KeyResultFactory(objective=w.objectives["selling"], owner=newcomer, title="Ny")
    (due,) = svc.reminders_sweep(now=later, organisation=cast.org, dry_run=True).due
    assert (due.user_ids, due.already_reminded) == ([newcomer.pk], 4)
    sent_before = len(mail.outbox)
    run(later)
    assert [m.to for m in mail.outbox[sent_before:]] == [["ny@acme.example"]]
