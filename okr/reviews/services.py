"""Writes for the review board: start, add, move and close a review, record decisions and notes.

Small typed functions the pages, the API and the demo share. Time is passed
in (``now``) wherever it matters, so tests travel in time instead of patching
clocks. Closing a review freezes its snapshot (``ReviewKeyResult`` and
``ReviewTeam`` rows); later reads of a closed review come from it. The person
who acts (``user``, ``author``) is checked against ``accounts.policy`` first
(``None``: the system, such as the demo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy, webhooks
from accounts.cleaning import Refused
from accounts.fields import message
from accounts.models import Membership, Organisation, Team, User
from accounts.policy import Action
from okr import chat
from okr.lib import schedule
from okr.lib.fields import check_day
from okr.models import KeyResult, Review, ReviewEntry, ReviewKeyResult, ReviewTeam
from okr.objectives.webhooks import review_data
from okr.reviews import selectors as sel


def _check_open(review: Review) -> None:
    if review.is_closed:
        raise ValidationError(_("This review is closed: its figures and decisions are frozen."))


@transaction.atomic
def review_create(
    *, organisation: Organisation, day: date, user: User | None, moved_from: date | None = None
) -> Review:
    """Start a scheduled review, add a review on another day, or move a scheduled one.

    ``moved_from``: the scheduled day (without a row yet) this review replaces.
    """
    policy.enforce(user, Action.REVIEW_START, organisation=organisation)
    sched = sel.schedule_of(organisation)
    if sched.row_for(day) is not None:
        raise ValidationError({"date": _("There is already a review on this day.")})
    if moved_from is not None:
        if moved_from == day:
            raise ValidationError({"date": _("Choose another day to move the review to.")})
        if sched.row_for(moved_from) is not None or not sched.cadence.is_review(moved_from):
            raise ValidationError({"moved_from": _("Choose a scheduled review to move.")})
    try:
        with transaction.atomic():
            review = Review.objects.create(
                organisation=organisation, date=day, moved_from=moved_from, created_by=user
            )
            chat.announce(organisation, chat.Event.REVIEW_STARTED, review)
            return review
    except IntegrityError:
        raise ValidationError({"date": _("There is already a review on this day.")}) from None


def review_start(*, organisation: Organisation, day: date, user: User | None) -> Review:
    """The row for a review day, created on the first POST (idempotent)."""
    policy.enforce(user, Action.REVIEW_START, organisation=organisation)
    existing = Review.objects.filter(organisation=organisation, date=day).first()
    if existing is not None:
        return existing
    sched = sel.schedule_of(organisation)
    if not sched.cadence.is_review(day):
        raise ValidationError({"date": _("There is no review scheduled on this day.")})
    try:
        return review_create(organisation=organisation, day=day, user=user)
    except ValidationError:
        existing = Review.objects.filter(organisation=organisation, date=day).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def review_move(*, review: Review, day: date, user: User | None = None) -> Review:
    """Move a review to another day; the scheduled day it was first on is remembered."""
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=review.pk)
    )
    policy.enforce(user, Action.REVIEW_MOVE, locked)
    _check_open(locked)
    if day == locked.date:
        return locked
    organisation = locked.organisation
    if Review.objects.filter(organisation=organisation, date=day).exclude(pk=locked.pk).exists():
        raise ValidationError({"date": _("There is already a review on this day.")})
    if locked.moved_from is None and schedule.is_review_day(
        locked.date, organisation.review_weekday, organisation.review_every_weeks
    ):
        locked.moved_from = locked.date
    if locked.moved_from == day:
        locked.moved_from = None  # moved back to its scheduled day
    locked.date = day
    try:
        with transaction.atomic():
            locked.save(update_fields=["date", "moved_from"])
    except IntegrityError:
        raise ValidationError({"date": _("There is already a review on this day.")}) from None
    return locked


def _check_action(
    review: Review, kind: str, owner: User | None, due_date: date | None, key_result
) -> None:
    """A decision's owner is a member, its key result the organisation's, its day the calendar's."""
    errors = {}
    if kind != ReviewEntry.Kind.DECISION and (owner or due_date or key_result):
        errors["kind"] = _("Only a decision has an owner, a due date or a key result.")
    if (
        owner is not None
        and not Membership.objects.filter(
            organisation_id=review.organisation_id, user=owner
        ).exists()
    ):
        errors["owner"] = _("Choose a member of the organisation.")
    if key_result is not None and key_result.organisation_id != review.organisation_id:
        errors["key_result"] = _("Choose one of the organisation's key results.")
    if due_date is not None:
        try:
            check_day(due_date)
        except Refused as refused:
            errors["due_date"] = message(refused)
    if errors:
        raise ValidationError(errors)


def review_entry_add(
    *,
    review: Review,
    team: Team | None,
    kind: str,
    text: str,
    author: User | None,
    owner: User | None = None,
    due_date: date | None = None,
    key_result: KeyResult | None = None,
) -> ReviewEntry:
    """A decision or a note; a decision with an ``owner`` is an action carried out later."""
    policy.enforce(author, Action.REVIEW_NOTE, review)
    _check_open(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision or note.")})
    if kind not in ReviewEntry.Kind.values:
        raise ValidationError({"kind": _("Choose decision or note.")})
    if team is not None and team.organisation_id != review.organisation_id:
        raise ValidationError({"team": _("Choose one of the organisation's teams.")})
    _check_action(review, kind, owner, due_date, key_result)
    return ReviewEntry.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        team=team,
        kind=kind,
        text=text,
        author=author,
        owner=owner,
        due_date=due_date,
        key_result=key_result,
    )


@transaction.atomic
def action_mark_done(
    *, entry: ReviewEntry, done: bool, user: User | None, now: datetime | None = None
) -> ReviewEntry:
    """Mark a decision carried out (or not yet): its owner or leadership, at any time.

    Idempotent: marking a done action done keeps the first moment and person.
    """
    locked = ReviewEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    policy.enforce(user, Action.REVIEW_ACTION_DONE, locked)
    if locked.kind != ReviewEntry.Kind.DECISION or locked.owner_id is None:
        raise ValidationError({"done": _("Only a decision with an owner is marked done.")})
    if done and locked.done_at is None:
        locked.done_at, locked.done_by = now or timezone.now(), user
    elif not done:
        locked.done_at = locked.done_by = None
    locked.save(update_fields=["done_at", "done_by"])
    return locked


@dataclass
class CloseResult:
    closed: bool
    rows: int = 0


@transaction.atomic
def review_close(*, review: Review, user: User | None, now: datetime | None = None) -> CloseResult:
    """Freeze the review: every key result and team as they stand ``now``. Idempotent."""
    now = now or timezone.now()
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=review.pk)
    )
    policy.enforce(user, Action.REVIEW_CLOSE, locked)
    if locked.is_closed:
        return CloseResult(closed=False)
    organisation = locked.organisation
    board = sel.review_board(organisation, locked.date, review=locked, as_of=now, charts=False)
    rows = []
    for order, row in enumerate(board.rows):
        kr: KeyResult = row.payload
        rows.append(
            ReviewKeyResult(
                organisation=organisation,
                review=locked,
                key_result=kr,
                objective_id=kr.objective_id,
                team_id=kr.objective.team_id,
                owner_id=kr.owner_id,
                title=kr.title,
                objective_title=kr.objective.title,
                kind=kr.kind,
                unit=kr.unit,
                commitment=kr.commitment,
                weight=kr.weight,
                order=order,
                progress=row.now.progress,
                value=row.now.value,
                done=row.now.done if kr.kind == KeyResult.Kind.MILESTONE else None,
                confidence=row.now.confidence,
                last_check_in_at=row.now.last_check_in_at,
                previous_progress=row.before.progress if row.before else None,
                previous_confidence=row.before.confidence if row.before else "",
            )
        )
    ReviewKeyResult.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    ReviewTeam.objects.bulk_create(
        [
            ReviewTeam(
                organisation=organisation,
                review=locked,
                team=team.team,
                name=team.team.name if team.team else "",
                order=order,
                progress=team.progress,
                previous_progress=team.previous_progress,
                key_results=len(team.rows),
                at_risk=team.at_risk,
                off_track=team.off_track,
                without_check_in=team.without_check_in,
            )
            for order, team in enumerate(board.teams)
            if team.rows
        ],
        ignore_conflicts=True,
    )
    locked.state = Review.State.CLOSED
    locked.closed_at = now
    locked.closed_by = user
    locked.since = board.period.since
    locked.previous_date = board.period.previous_date
    locked.save(update_fields=["state", "closed_at", "closed_by", "since", "previous_date"])
    webhooks.emit(organisation, webhooks.EventType.REVIEW_CLOSED, review_data(locked, len(rows)))
    return CloseResult(closed=True, rows=len(rows))
