"""Writes for the quarter (and year) close: freeze scores, override them with a reason,
record retrospectives and carry unfinished objectives over.

Small typed functions the close page, the API, the Celery tasks and
``manage.py close_quarter`` share. Time is passed in (``now``/``today``), so
tests travel in time instead of patching clocks. Closing is idempotent: the
cycle row is locked and scores are unique per key result and objective. The
person who acts (``author``, ``user``) is checked against ``accounts.policy``
first; ``None`` is the system (the nightly task, ``manage.py close_quarter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, policy, webhooks
from accounts.models import Membership, Organisation, Team, User
from accounts.policy import Action
from okr import chat
from okr.closing import selectors as sel
from okr.lib import calendar
from okr.models import Cycle, Objective, RetrospectiveNote, Score
from okr.objectives import services, stored
from okr.objectives import webhooks as webhook_data


@dataclass
class CycleCloseResult:
    cycle: Cycle
    closed: bool
    scores: int = 0


def cycle_close(
    *,
    cycle: Cycle,
    now: datetime | None = None,
    today: date | None = None,
    force: bool = False,
    author: User | None = None,
) -> CycleCloseResult:
    """Freeze the scores of a cycle that has ended and close it. Re-running changes nothing.

    The cycle row is locked (SELECT ... FOR UPDATE), so two closes at once run
    one after the other and the second finds it closed; scores are unique per
    key result and objective as well.
    """
    policy.enforce(author, Action.QUARTER_CLOSE, cycle)
    now = now or calendar.clock()
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=cycle.pk)
        )
        if locked.state == Cycle.State.CLOSED:
            return CycleCloseResult(cycle=locked, closed=False)
        today = today or calendar.today(locked.organisation, now)
        if today <= locked.end_date and not force:
            raise ValidationError(
                _("%(cycle)s has not ended yet: it can be closed from %(date)s.")
                % {"cycle": locked.label, "date": locked.end_date + timedelta(days=1)}
            )
        results = sel.compute_scores(locked)
        rows = []
        for objective in results:
            rows.append(_score_row(locked, now, objective, objective=objective.objective))
            rows.extend(
                _score_row(locked, now, kr, key_result=kr.key_result)
                for kr in objective.key_results
            )
        Score.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        locked.state = Cycle.State.CLOSED
        locked.closed_at = now
        # The stored numbers follow with the hourly okr.refresh_numbers: until then every
        # reader sees the cycle closed and asks the engine (okr.objectives.stored.stale).
        locked.save(update_fields=["state", "closed_at"])
        audit.record(
            locked.organisation,
            author,
            audit.Kind.QUARTER_CLOSED,
            locked,
            details={"kind": locked.kind, "scores": len(rows), "forced": force},
        )
        if locked.kind == Cycle.Kind.QUARTER:
            data = webhook_data.cycle_data(locked) | {"scores": len(rows)}
            webhooks.emit(locked.organisation, webhooks.EventType.QUARTER_CLOSED, data)
            chat.announce(
                locked.organisation, chat.Event.QUARTER_CLOSED, locked, facts={"scores": len(rows)}
            )
    return CycleCloseResult(cycle=locked, closed=True, scores=len(rows))


def _score_row(cycle: Cycle, now, result, **scored) -> Score:
    """The frozen score of one computed ``result``; ``scored``: the objective or key result."""
    return Score(
        organisation_id=cycle.organisation_id,
        cycle=cycle,
        progress=result.progress,
        computed=result.computed,
        computed_at=now,
        **scored,
    )


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
    policy.enforce(user, Action.SCORE_OVERRIDE, score)
    locked = Score.objects.select_for_update().get(pk=score.pk)
    old = locked.override
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
    stored.refresh(objectives=[locked.objective_id], key_results=[locked.key_result_id])
    scored = locked.objective or locked.key_result
    details = {
        "computed": locked.computed,
        "old": old,
        "new": locked.override,
        "reason": locked.override_reason,
        "cycle": locked.cycle.label,
    }
    audit.record(locked.organisation_id, user, audit.Kind.SCORE_OVERRIDDEN, scored, details=details)
    return locked


def retrospective_add(
    *, cycle: Cycle, team: Team | None, text: str, author: User | None
) -> RetrospectiveNote:
    policy.enforce(author, Action.RETROSPECTIVE_ADD, cycle)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the team learnt.")})
    if team is not None and team.organisation_id != cycle.organisation_id:
        raise ValidationError({"team": _("Choose one of the organisation's teams.")})
    return RetrospectiveNote.objects.create(
        organisation_id=cycle.organisation_id, cycle=cycle, team=team, text=text, author=author
    )


def _carry_target(source: Cycle, into: Cycle | calendar.FiscalQuarter | None, today: date) -> Cycle:
    """The quarter to carry into: one of ``carry_targets`` (created with its year when needed)."""
    targets = sel.carry_targets(source, today)
    refused = ValidationError(
        _("Choose an open or coming quarter to carry the objective into."), code="carry_target"
    )
    if isinstance(into, Cycle):
        if into.organisation_id != source.organisation_id or into.kind != Cycle.Kind.QUARTER:
            raise refused
        into = calendar.FiscalQuarter(into.year, into.quarter)
    chosen = next((t for t in targets if into is None or t.quarter == tuple(into)), None)
    if chosen is None:
        raise refused
    year, quarter = chosen.quarter
    year_cycle = services.cycle_year_get_or_create(organisation=source.organisation, year=year)
    return year_cycle.quarters.get(quarter=quarter)


@transaction.atomic
def objective_carry(
    *,
    objective: Objective,
    user: User | None = None,
    into: Cycle | calendar.FiscalQuarter | None = None,
    today: date | None = None,
) -> Objective:
    """Carry an unfinished team objective of a closed quarter into an open or coming one, as a draft.

    ``into`` is the quarter the person chose (``closing.selectors.carry_targets``:
    never one that has ended or is closed); by default the next quarter, or the
    current one when the closed quarter lies further back. Its unfinished key
    results come along (same start and target, to be reworked in the workshop);
    the draft points at the original (``carried_from``).
    """
    policy.enforce(user, Action.CARRY_OVER, objective)
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
    target = _carry_target(locked.cycle, into, today or calendar.today(locked.organisation))
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
