"""Reads for the check-in reminders: who is due a reminder or a team-lead summary, and when.

Each function runs a fixed number of queries; the sweep in
``okr.reminders.services`` claims and sends what these find.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from accounts.models import TeamMembership
from okr.lib import schedule
from okr.models import KeyResult, ReminderClaim
from okr.reviews.selectors import scope_key_results


def keys_missing_check_in(organisation, day: date, since: datetime):
    """Key results in the review of ``day`` with no check-in since ``since`` (a queryset).

    Not one that sums its children's values, nor a milestone already marked done: neither
    needs a check-in (as ``okr.reviews.selectors.expects_check_in`` says for the board).
    """
    return (
        scope_key_results(organisation, day, open_cycles_only=True)
        .exclude(rollup=KeyResult.Rollup.SUM)
        .exclude(kind=KeyResult.Kind.MILESTONE, done=True)
        .filter(Q(last_check_in_at__isnull=True) | Q(last_check_in_at__lt=since))
    )


def already_claimed(organisation, review_day: date, kind: str) -> set[int]:
    """Who has been reminded (or is being reminded) of ``kind`` for the review on ``review_day``."""
    return set(
        ReminderClaim.objects.filter(
            organisation=organisation, review__date=review_day, kind=kind
        ).values_list("user_id", flat=True)
    )


def last_reminded_at(organisation, user) -> datetime | None:
    """When this person was last sent a check-in reminder in the organisation (one query)."""
    return (
        ReminderClaim.objects.filter(
            organisation=organisation,
            user=user,
            kind=ReminderClaim.Kind.REMINDER,
            outcome=ReminderClaim.Outcome.SENT,
        )
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def reminder_settings() -> dict:
    return {
        "days_before": int(getattr(settings, "OKR_REMINDER_DAYS_BEFORE", 2)),
        "hour": int(getattr(settings, "OKR_REMINDER_HOUR", 8)),
        "lease": timedelta(minutes=int(getattr(settings, "OKR_REMINDER_LEASE_MINUTES", 15))),
    }


def due_kinds(organisation, review_day: date, now: datetime) -> list[str]:
    """The kinds due ``now`` for the review on ``review_day``: the reminder, then the escalation."""
    cfg = reminder_settings()
    tz = organisation.tz
    kinds = []
    if now >= schedule.reminder_due_at(review_day, cfg["days_before"], cfg["hour"], tz):
        kinds.append(ReminderClaim.Kind.REMINDER)
    if now >= schedule.reminder_due_at(review_day, 1, cfg["hour"], tz):
        kinds.append(ReminderClaim.Kind.ESCALATION)
    return kinds


def recipient_ids(organisation, review_day: date, since: datetime, kind: str) -> list[int]:
    """Who gets ``kind``: owners of key results without a check-in, or the leads of their teams."""
    missing = keys_missing_check_in(organisation, review_day, since)
    if kind == ReminderClaim.Kind.REMINDER:
        return list(
            missing.filter(
                owner__isnull=False,
                owner__is_active=True,
                owner__memberships__organisation=organisation,
            )
            .order_by("owner_id")
            .values_list("owner_id", flat=True)
            .distinct()
        )
    teams = missing.filter(objective__team__isnull=False).values("objective__team_id")
    return list(
        TeamMembership.objects.filter(
            team_id__in=teams,
            is_lead=True,
            user__is_active=True,
            user__memberships__organisation=organisation,
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
