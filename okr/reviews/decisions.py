"""Reads for decisions that carry out: the open actions of a person and of earlier reviews.

An action is a review decision with an owner (``ReviewEntry``). It stays open until
its owner or leadership marks it done (``okr.reviews.services.action_mark_done``);
open actions show on the owner's home page and on every later review until then.
Each function runs one query whatever the number of actions (a bounded list).
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet

from accounts.access import get_for_org
from okr.lib import calendar
from okr.models import Review, ReviewEntry

#: The most actions one list shows (the home page, a review page).
LIMIT = 100


def actions_of_any(organisation) -> QuerySet[ReviewEntry]:
    """Every decision and note of the organisation, with what a list or the API shows."""
    return ReviewEntry.objects.filter(organisation=organisation).select_related(
        "review", "owner", "done_by", "team", "key_result", "author"
    )


def actions_of(organisation) -> QuerySet[ReviewEntry]:
    """Every action of the organisation (decisions with an owner), the earliest due first."""
    return (
        actions_of_any(organisation)
        .filter(kind=ReviewEntry.Kind.DECISION, owner__isnull=False)
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "id")
    )


def _mark(entries: list[ReviewEntry], organisation) -> list[ReviewEntry]:
    today = calendar.today(organisation)
    for entry in entries:
        due = entry.due_date
        entry.overdue = entry.done_at is None and due is not None and due < today
    return entries


def open_actions_of(organisation, user, *, limit: int = LIMIT) -> list[ReviewEntry]:
    """A person's open actions, the earliest due first (the home page; one query)."""
    entries = list(actions_of(organisation).filter(owner=user, done_at__isnull=True)[:limit])
    return _mark(entries, organisation)


def earlier_actions(
    organisation, day: date, review: Review | None = None, *, limit: int = LIMIT
) -> list[ReviewEntry]:
    """The actions decided in reviews before ``day`` that are still open (one query).

    The review of ``day`` may have no row yet (a scheduled review). A closed
    review keeps what was open when it was closed: an action done later still
    shows there (``done_since``), so its print reads as the meeting saw it.
    """
    still_open = Q(done_at__isnull=True)
    if review is not None and review.is_closed:
        still_open |= Q(done_at__gt=review.closed_at)
    entries = list(actions_of(organisation).filter(still_open, review__date__lt=day)[:limit])
    for entry in entries:
        entry.done_since = entry.done_at is not None
    return _mark(entries, organisation)


def get_review_entry_for_user(request, code) -> ReviewEntry:
    """A decision or note of the request's organisation by its public id (404 otherwise)."""
    queryset = ReviewEntry.objects.select_related("review", "owner", "key_result", "team")
    return get_for_org(request, queryset, code)
