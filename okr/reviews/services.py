"""Writes for reviews, check-in reminders and the quarter close.

Small typed functions the pages, the Celery tasks and the management
commands share. Time is passed in (``now``/``today``) wherever it matters, so
tests travel in time instead of patching clocks.

Reminders: exactly once per person, review and kind
------------------------------------------------------
1. The sweep (celery beat, hourly; or ``manage.py send_reminders``) finds the
   organisations whose next review is close enough, works out who has key
   results without a check-in since the last review, and *claims* one
   ``ReminderClaim`` row per (review, person, kind) with INSERT ... ON
   CONFLICT DO NOTHING, tagged with a token of its own. A claim another run
   made already is left alone, so two sweeps at once, a retried task or beat
   firing twice claim nobody twice.
2. It also takes over claims whose sender died: ``sent_at`` empty and
   ``claimed_at`` older than the lease (``OKR_REMINDER_LEASE_MINUTES``), by
   one atomic ``UPDATE ... WHERE sent_at IS NULL AND claimed_at < now - lease``.
3. After commit, the claims the run owns are sent in batches (Celery tasks,
   or inline from the command). A sender first renews the lease of a chunk
   (only claims still carrying its token), sends each e-mail and stamps
   ``sent_at`` on that claim right away.

Trade-off: the e-mail and the database are not one transaction. In normal
operation every claim is sent once (a second run finds it claimed; a
re-delivered batch finds it stamped). After a crash, a claim that was
claimed but not sent is sent by the next sweep (at least once); a sender
killed in the instant between the SMTP server accepting a message and the
``sent_at`` stamp sends that one message twice. Both copies carry the same
Message-ID, so mail systems that de-duplicate drop the second.
"""

from __future__ import annotations

import logging
import time
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import emails
from accounts.models import Membership, Organisation, Team, TeamMembership, User
from okr.lib import schedule
from okr.models import (
    Cycle,
    KeyResult,
    Objective,
    ReminderClaim,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    ReviewTeam,
    Score,
)
from okr.objectives import services
from okr.reviews import selectors as sel

logger = logging.getLogger(__name__)

SEND_CHUNK = 20
BATCH_SIZE = 200


# --- Reviews ------------------------------------------------------------------------------


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
            return Review.objects.create(
                organisation=organisation, date=day, moved_from=moved_from, created_by=user
            )
    except IntegrityError:
        raise ValidationError({"date": _("There is already a review on this day.")}) from None


def review_start(*, organisation: Organisation, day: date, user: User | None) -> Review:
    """The row for a review day, created on the first POST (idempotent)."""
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


def review_entry_add(
    *, review: Review, team: Team | None, kind: str, text: str, author: User | None
) -> ReviewEntry:
    _check_open(review)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision or note.")})
    if kind not in ReviewEntry.Kind.values:
        raise ValidationError({"kind": _("Choose decision or note.")})
    if team is not None and team.organisation_id != review.organisation_id:
        raise ValidationError({"team": _("Choose one of the organisation's teams.")})
    return ReviewEntry.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        team=team,
        kind=kind,
        text=text,
        author=author,
    )


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
    return CloseResult(closed=True, rows=len(rows))


# --- Reminders ------------------------------------------------------------------------------


@dataclass
class Recipients:
    organisation: Organisation
    review_date: date
    kind: str
    user_ids: list[int]


@dataclass
class SweepResult:
    token: uuid_lib.UUID
    claimed: int = 0
    retaken: int = 0
    claim_ids: list[int] = field(default_factory=list)
    due: list[Recipients] = field(default_factory=list)

    def batches(self, size: int = BATCH_SIZE) -> list[list[int]]:
        return [self.claim_ids[i : i + size] for i in range(0, len(self.claim_ids), size)]


def _due_kinds(organisation, review_day: date, now: datetime) -> list[str]:
    cfg = sel.reminder_settings()
    tz = organisation.tz
    kinds = []
    if now >= schedule.reminder_due_at(review_day, cfg["days_before"], cfg["hour"], tz):
        kinds.append(ReminderClaim.Kind.REMINDER)
    if now >= schedule.reminder_due_at(review_day, 1, cfg["hour"], tz):
        kinds.append(ReminderClaim.Kind.ESCALATION)
    return kinds


def _recipient_ids(organisation, review_day: date, since: datetime, kind: str) -> list[int]:
    missing = sel.keys_missing_check_in(organisation, review_day, since)
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


def _review_row(organisation, day: date) -> Review:
    review, _created = Review.objects.get_or_create(organisation=organisation, date=day)
    return review


def reminders_sweep(
    *,
    now: datetime | None = None,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    enqueue: Callable[[uuid_lib.UUID, list[int]], None] | None = None,
) -> SweepResult:
    """Claim every reminder and escalation that is due (see the module docstring).

    ``enqueue(token, claim_ids)`` is called after commit for each batch of
    claims this run owns; without it the caller sends them (``reminders_send``).
    ``dry_run`` only works out who would get what (no rows written).
    """
    now = now or timezone.now()
    result = SweepResult(token=uuid_lib.uuid4())
    organisations = Organisation.objects.filter(reminders_enabled=True)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    for org in organisations:
        today = sel.local_today(org, now)
        sched = sel.schedule_of(org)
        day = sched.cadence.next_on_or_after(today)
        row = sched.row_for(day)
        if row is not None and row.is_closed:
            continue
        kinds = _due_kinds(org, day, now)
        if not kinds:
            continue
        period = sel.period_of(sched, day)
        for kind in kinds:
            user_ids = _recipient_ids(org, day, period.since, kind)
            result.due.append(Recipients(org, day, kind, user_ids))
            if dry_run or not user_ids:
                continue
            with transaction.atomic():
                review = _review_row(org, day)
                if review.is_closed:
                    continue
                ReminderClaim.objects.bulk_create(
                    [
                        ReminderClaim(
                            organisation=org,
                            review=review,
                            user_id=user_id,
                            kind=kind,
                            claim_token=result.token,
                            claimed_at=now,
                        )
                        for user_id in user_ids
                    ],
                    ignore_conflicts=True,
                    batch_size=2000,
                )
    if dry_run:
        return result
    lease = sel.reminder_settings()["lease"]
    stale = ReminderClaim.objects.filter(
        sent_at__isnull=True, claimed_at__lt=now - lease, review__state=Review.State.OPEN
    ).exclude(claim_token=result.token)
    if organisation is not None:
        stale = stale.filter(organisation=organisation)
    result.retaken = stale.update(
        claim_token=result.token, claimed_at=now, attempts=F("attempts") + 1
    )
    result.claim_ids = list(
        ReminderClaim.objects.filter(claim_token=result.token, sent_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    result.claimed = len(result.claim_ids) - result.retaken
    if enqueue is not None:
        for batch in result.batches():
            transaction.on_commit(lambda batch=batch: enqueue(result.token, batch), robust=True)
    return result


def _site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _send_delay() -> float:
    """A pause before each e-mail (tests set it to kill a worker mid-batch); 0 in production."""
    return float(getattr(settings, "OKR_REMINDER_SEND_DELAY", 0) or 0)


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    not_owned: int = 0


def _contents(claims: list[ReminderClaim], now: datetime) -> dict[int, dict]:
    """Claim id -> the e-mail's context, or {} when there is nothing to remind of.

    Queries per review in the chunk (usually one), not per person.
    """
    out: dict[int, dict] = {}
    by_review: dict[int, list[ReminderClaim]] = {}
    for claim in claims:
        by_review.setdefault(claim.review_id, []).append(claim)
    for group in by_review.values():
        review = group[0].review
        organisation = group[0].organisation
        if review.is_closed or sel.local_today(organisation, now) > review.date:
            for claim in group:
                out[claim.id] = {}
            continue
        sched = sel.schedule_of(organisation)
        period = sel.period_of(sched, review.date)
        missing = sel.keys_missing_check_in(organisation, review.date, period.since)
        base = {
            "organisation": organisation,
            "review_date": review.date,
            "week": schedule.iso_week(review.date),
            "since_date": period.previous_date,
            "check_ins_url": settings.SITE_URL
            + reverse("okr:my_check_ins", args=[organisation.slug]),
            "review_url": settings.SITE_URL
            + reverse("okr:review", args=[organisation.slug, review.uuid]),
        }
        reminders = [c for c in group if c.kind == ReminderClaim.Kind.REMINDER]
        escalations = [c for c in group if c.kind == ReminderClaim.Kind.ESCALATION]
        if reminders:
            owned: dict[int, list[KeyResult]] = {}
            for kr in (
                missing.filter(owner_id__in=[c.user_id for c in reminders])
                .select_related("objective", "objective__team")
                .order_by("objective__team__name", "objective__order", "order", "id")
            ):
                owned.setdefault(kr.owner_id, []).append(kr)
            for claim in reminders:
                krs = owned.get(claim.user_id, [])
                out[claim.id] = {**base, "user": claim.user, "key_results": krs} if krs else {}
        if escalations:
            lead_teams: dict[int, list[int]] = {}
            for user_id, team_id in TeamMembership.objects.filter(
                user_id__in=[c.user_id for c in escalations],
                is_lead=True,
                team__organisation=organisation,
            ).values_list("user_id", "team_id"):
                lead_teams.setdefault(user_id, []).append(team_id)
            team_ids = {t for ts in lead_teams.values() for t in ts}
            per_team: dict[int, list[KeyResult]] = {}
            teams: dict[int, Team] = {}
            for kr in (
                missing.filter(objective__team_id__in=team_ids)
                .select_related("objective", "objective__team", "owner")
                .order_by("objective__team__name", "objective__order", "order", "id")
            ):
                per_team.setdefault(kr.objective.team_id, []).append(kr)
                teams[kr.objective.team_id] = kr.objective.team
            for claim in escalations:
                sections = [
                    {"team": teams[t], "key_results": per_team[t]}
                    for t in sorted(
                        lead_teams.get(claim.user_id, []), key=lambda t: str(teams.get(t, ""))
                    )
                    if per_team.get(t)
                ]
                out[claim.id] = {**base, "user": claim.user, "teams": sections} if sections else {}
    return out


def reminders_send(
    *, token: uuid_lib.UUID | str, claim_ids: Iterable[int], now: datetime | None = None
) -> SendResult:
    """Send the claims of a batch this run still owns; stamp each right after it is sent."""
    result = SendResult()
    token = uuid_lib.UUID(str(token))
    ids = list(claim_ids)
    for start in range(0, len(ids), SEND_CHUNK):
        chunk = ids[start : start + SEND_CHUNK]
        moment = now or timezone.now()
        mine = ReminderClaim.objects.filter(id__in=chunk, claim_token=token, sent_at__isnull=True)
        # Renew the lease first: nobody takes these over while this chunk is being sent.
        renewed = mine.update(claimed_at=moment)
        result.not_owned += len(chunk) - renewed
        if not renewed:
            continue
        claims = list(mine.select_related("user", "review", "organisation").order_by("id"))
        contents = _contents(claims, moment)
        for claim in claims:
            context = contents.get(claim.id) or {}
            outcome = ReminderClaim.Outcome.SENT if context else ReminderClaim.Outcome.SKIPPED
            if context:
                delay = _send_delay()
                if delay:
                    time.sleep(delay)
                try:
                    emails.send(
                        claim.kind,
                        claim.user.email,
                        context,
                        emails.recipient_language(claim.user, claim.organisation),
                        headers={
                            "Message-ID": f"<okr-{claim.kind}-{claim.uuid}@{_site_domain()}>",
                            "Auto-Submitted": "auto-generated",
                        },
                    )
                except Exception:
                    # Left unstamped: the next sweep takes it over once the lease has run out.
                    logger.exception("Could not send %s claim %s", claim.kind, claim.pk)
                    result.failed += 1
                    continue
            stamped = ReminderClaim.objects.filter(
                pk=claim.pk, claim_token=token, sent_at__isnull=True
            ).update(sent_at=now or timezone.now(), outcome=outcome)
            if stamped and context:
                result.sent += 1
            elif stamped:
                result.skipped += 1
    return result


# --- Quarter close ----------------------------------------------------------------------------


@dataclass
class CycleCloseResult:
    cycle: Cycle
    closed: bool
    scores: int = 0


def cycle_close(
    *, cycle: Cycle, now: datetime | None = None, today: date | None = None, force: bool = False
) -> CycleCloseResult:
    """Freeze the scores of a cycle that has ended and close it. Re-running changes nothing.

    The cycle row is locked (SELECT ... FOR UPDATE), so two closes at once run
    one after the other and the second finds it closed; scores are unique per
    key result and objective as well.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=cycle.pk)
        )
        if locked.state == Cycle.State.CLOSED:
            return CycleCloseResult(cycle=locked, closed=False)
        today = today or sel.local_today(locked.organisation, now)
        if today <= locked.end_date and not force:
            raise ValidationError(
                _("%(cycle)s has not ended yet: it can be closed from %(date)s.")
                % {"cycle": locked.label, "date": locked.end_date + timedelta(days=1)}
            )
        results = sel.compute_scores(locked)
        rows = []
        for objective in results:
            rows.append(
                Score(
                    organisation_id=locked.organisation_id,
                    cycle=locked,
                    objective=objective.objective,
                    progress=objective.progress,
                    computed=objective.computed,
                    computed_at=now,
                )
            )
            rows.extend(
                Score(
                    organisation_id=locked.organisation_id,
                    cycle=locked,
                    key_result=kr.key_result,
                    progress=kr.progress,
                    computed=kr.computed,
                    computed_at=now,
                )
                for kr in objective.key_results
            )
        Score.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        locked.state = Cycle.State.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["state", "closed_at"])
    return CycleCloseResult(cycle=locked, closed=True, scores=len(rows))


def close_due_cycles(
    *,
    today: date | None = None,
    now: datetime | None = None,
    organisation: Organisation | None = None,
    dry_run: bool = False,
) -> list[CycleCloseResult]:
    """Close every quarter and year that ended more than the grace period ago."""
    results = []
    for cycle in sel.cycles_due(today=today, organisation=organisation):
        if dry_run:
            results.append(CycleCloseResult(cycle=cycle, closed=False))
            continue
        results.append(cycle_close(cycle=cycle, now=now, today=today))
    return results


def _score_value(raw) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(str(raw).replace(",", "."))
    except ValueError:
        raise ValidationError({"value": _("Enter a score from 0.0 to 1.0.")}) from None
    if not 0.0 <= value <= 1.0 or value != value:
        raise ValidationError({"value": _("Enter a score from 0.0 to 1.0.")})
    return round(value, 1)


@transaction.atomic
def score_override(
    *, score: Score, value, reason: str, user: User | None, now: datetime | None = None
) -> Score:
    """Set (or, with an empty value, remove) leadership's score; the computed one is kept."""
    locked = Score.objects.select_for_update().get(pk=score.pk)
    parsed = _score_value(value)
    reason = (reason or "").strip()
    if parsed is None:
        locked.override, locked.override_reason = None, ""
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why the score is overridden.")})
        locked.override, locked.override_reason = parsed, reason
    locked.overridden_by = user
    locked.overridden_at = now or timezone.now()
    locked.save(update_fields=["override", "override_reason", "overridden_by", "overridden_at"])
    return locked


def retrospective_add(
    *, cycle: Cycle, team: Team | None, text: str, author: User | None
) -> RetrospectiveNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the team learnt.")})
    if team is not None and team.organisation_id != cycle.organisation_id:
        raise ValidationError({"team": _("Choose one of the organisation's teams.")})
    return RetrospectiveNote.objects.create(
        organisation_id=cycle.organisation_id, cycle=cycle, team=team, text=text, author=author
    )


def next_quarter(cycle: Cycle) -> Cycle:
    """The quarter after ``cycle`` (created with its year when needed)."""
    organisation = cycle.organisation
    year, quarter = (cycle.year, cycle.quarter + 1) if cycle.quarter < 4 else (cycle.year + 1, 1)
    year_cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
    return year_cycle.quarters.get(quarter=quarter)


@transaction.atomic
def objective_carry(*, objective: Objective, user: User | None = None) -> Objective:
    """Carry an unfinished team objective of a closed quarter to the next one, as a draft.

    Its unfinished key results come along (same start and target, to be reworked
    in the workshop); the draft points at the original (``carried_from``).
    """
    locked = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle", "organisation", "team")
        .get(pk=objective.pk)
    )
    if locked.level != Objective.Level.TEAM or locked.cycle.kind != Cycle.Kind.QUARTER:
        raise ValidationError(_("Only a team's quarterly objective can be carried over."))
    if locked.cycle.state != Cycle.State.CLOSED:
        raise ValidationError(_("Close the quarter first: carrying over needs its scores."))
    if Objective.objects.filter(carried_from=locked).exists():
        raise ValidationError(_("This objective has already been carried to the next quarter."))
    scores = {
        s.key_result_id: s.value
        for s in Score.objects.filter(cycle=locked.cycle, key_result__objective=locked)
    }
    objective_score = Score.objects.filter(objective=locked).first()
    if (
        objective_score is not None
        and objective_score.value is not None
        and objective_score.value >= 1.0 - 1e-9
    ):
        raise ValidationError(_("This objective was reached: there is nothing to carry over."))
    target = next_quarter(locked.cycle)
    parent_objective = locked.parent_objective
    parent_key_result = locked.parent_key_result
    # The parent stays only if it is a strategic OKR of the new quarter's year.
    if parent_objective is not None and parent_objective.cycle_id != target.parent_id:
        parent_objective = None
    if parent_key_result is not None and parent_key_result.objective.cycle_id != target.parent_id:
        parent_key_result = None
    members = set(
        Membership.objects.filter(organisation_id=locked.organisation_id).values_list(
            "user_id", flat=True
        )
    )
    draft = services.objective_create(
        organisation=locked.organisation,
        cycle=target,
        level=Objective.Level.TEAM,
        team=locked.team,
        title=locked.title,
        why=locked.why,
        owner=locked.owner if locked.owner_id in members else None,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
        alignment=locked.alignment,
        status=Objective.Status.DRAFT,
    )
    draft.carried_from = locked
    draft.save(update_fields=["carried_from"])
    for kr in locked.key_results.filter(archived=False).order_by("order", "id"):
        value = scores.get(kr.id)
        if value is not None and value >= 1.0 - 1e-9:
            continue
        services.key_result_create(
            objective=draft,
            title=kr.title,
            owner=kr.owner if kr.owner_id in members else None,
            kind=kr.kind,
            unit=kr.unit,
            direction=kr.direction,
            start_value=kr.start_value,
            target_value=kr.target_value,
            steps_total=kr.steps_total,
            commitment=kr.commitment,
            weight=kr.weight,
        )
    return draft
