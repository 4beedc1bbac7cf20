"""Reads for the quarter (and year) close: scores computed or frozen, the cycles due, carry-overs.

Each function runs a fixed number of queries. Key results are read as they
stood at the end of the cycle through ``okr.reviews.selectors.latest_points``;
a key result that sums its direct children is scored from their sum at that
moment, through the numbers engine, as every page showed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

from okr.lib import calendar, schedule
from okr.lib import progress as maths
from okr.lib import review as rv
from okr.models import Cycle, KeyResult, Objective, Score
from okr.objectives import numbers
from okr.reviews.selectors import latest_points, state_of


def grace_days() -> int:
    return int(getattr(settings, "OKR_QUARTER_CLOSE_GRACE_DAYS", 7))


def cycle_level(cycle: Cycle) -> str:
    return Objective.Level.TEAM if cycle.kind == Cycle.Kind.QUARTER else Objective.Level.STRATEGIC


@dataclass
class KrScore:
    key_result: KeyResult
    progress: float | None
    computed: float | None
    score: Score | None = None

    @property
    def value(self) -> float | None:
        if self.score is not None:
            return self.score.value
        return self.computed

    @property
    def colour(self) -> str:
        return "" if self.value is None else maths.score_colour(self.value)

    @property
    def committed_miss(self) -> bool:
        return maths.is_committed_miss(self.key_result.commitment, self.value)

    @property
    def aspirational_success(self) -> bool:
        return maths.is_aspirational_success(self.key_result.commitment, self.value)


@dataclass
class ObjectiveScore:
    objective: Objective
    progress: float | None
    computed: float | None
    key_results: list[KrScore] = field(default_factory=list)
    score: Score | None = None

    @property
    def rollup(self) -> float | None:
        """The weighted mean of the key results' scores as they stand (overrides included)."""
        value = maths.objective_progress(
            (kr.value, float(kr.key_result.weight)) for kr in self.key_results
        )
        return None if value is None else maths.round_score(value)

    @property
    def value(self) -> float | None:
        if self.score is not None and self.score.override is not None:
            return self.score.override
        return self.rollup if self.score is not None else self.computed

    @property
    def colour(self) -> str:
        return "" if self.value is None else maths.score_colour(self.value)

    @property
    def unfinished(self) -> bool:
        return self.value is None or self.value < 1.0 - 1e-9


def cycle_objectives(cycle: Cycle) -> list[Objective]:
    """The approved objectives a close scores, with their live key results (2 queries)."""
    from django.db.models import Prefetch

    return list(
        Objective.objects.filter(
            organisation_id=cycle.organisation_id,
            cycle=cycle,
            level=cycle_level(cycle),
            status=Objective.Status.APPROVED,
        )
        .select_related("team", "owner")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.filter(archived=False)
                .select_related("owner")
                .order_by("order", "id"),
            )
        )
        .order_by("team__order", "team__name", "order", "id")
    )


def compute_scores(cycle: Cycle, objectives: list[Objective] | None = None) -> list[ObjectiveScore]:
    """Scores at the end of ``cycle``: each key result's progress from its latest check-in
    at or before the cycle's last day (in the organisation's time zone), rounded to a score;
    each objective the weighted mean of its key results' scores (3 queries, and one more
    when a key result sums its direct children: their values at the same moment).
    """
    organisation = cycle.organisation
    objectives = cycle_objectives(cycle) if objectives is None else objectives
    cutoff = schedule.start_of_day(cycle.end_date + timedelta(days=1), organisation.tz)
    points = latest_points(organisation, cutoff, inclusive=False)
    summing = [kr for o in objectives for kr in o.key_results.all() if numbers.sums(kr)]
    children = children_at([kr.pk for kr in summing], points)
    result = []
    for objective in objectives:
        kr_scores = []
        for kr in objective.key_results.all():
            if numbers.sums(kr):  # its children's sum at the end, as the pages showed
                progress = summed_progress(kr, cycle, children.get(kr.pk, ()))
            else:
                progress = state_of(kr, points.get(kr.id)).progress
            kr_scores.append(
                KrScore(
                    key_result=kr,
                    progress=progress,
                    computed=None if progress is None else maths.round_score(progress),
                )
            )
        rolled = maths.objective_progress(
            (s.computed, float(s.key_result.weight)) for s in kr_scores
        )
        result.append(
            ObjectiveScore(
                objective=objective,
                progress=maths.objective_progress(
                    (s.progress, float(s.key_result.weight)) for s in kr_scores
                ),
                computed=None if rolled is None else maths.round_score(rolled),
                key_results=kr_scores,
            )
        )
    return result


def children_at(
    parent_ids: list[int], points: dict[int, rv.Point]
) -> dict[int, list[maths.Contribution]]:
    """The direct children of summing key results with their values at ``points``' moment.

    The same children as the live pages add (``numbers.direct_children_values``),
    but each at its latest check-in before the cycle's end, not its value today
    (1 query, none without summing key results).
    """
    if not parent_ids:
        return {}
    rows = (
        KeyResult.objects.filter(
            objective__parent_key_result_id__in=parent_ids,
            objective__alignment=Objective.Alignment.DIRECT,
            archived=False,
        )
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .values_list("objective__parent_key_result_id", "id", "kind", "unit")
    )
    result: dict[int, list[maths.Contribution]] = {}
    for parent_id, kr_id, kind, unit in rows:
        point = points.get(kr_id)
        current = point.value if point is not None else None
        result.setdefault(parent_id, []).append(
            maths.Contribution(current=current, unit=unit, kind=kind)
        )
    return result


def summed_progress(
    kr: KeyResult, cycle: Cycle, children: list[maths.Contribution] | tuple = ()
) -> float | None:
    """Progress of a key result that sums its children: the engine's, from their sum."""
    rolled = maths.combine_contributions(numbers.facts_of(kr, cycle), children)
    return maths.progress_of(rolled.facts)


def frozen_scores(cycle: Cycle) -> list[ObjectiveScore]:
    """The scores a close froze, with any overrides (3 queries)."""
    objectives = {
        o.id: o
        for o in Objective.objects.filter(cycle=cycle, scores__isnull=False)
        .select_related("team", "owner", "cycle")
        .order_by("team__order", "team__name", "order", "id")
    }
    scores = list(
        Score.objects.filter(cycle=cycle).select_related("key_result", "key_result__owner")
    )
    by_objective: dict[int, ObjectiveScore] = {}
    for oid, objective in objectives.items():
        by_objective[oid] = ObjectiveScore(objective=objective, progress=None, computed=None)
    for s in scores:
        if s.objective_id is not None and s.objective_id in by_objective:
            target = by_objective[s.objective_id]
            target.score, target.progress, target.computed = s, s.progress, s.computed
    for s in sorted(
        (s for s in scores if s.key_result_id is not None),
        key=lambda s: (s.key_result.order, s.key_result.id),
    ):
        target = by_objective.get(s.key_result.objective_id)
        if target is not None:
            target.key_results.append(
                KrScore(key_result=s.key_result, progress=s.progress, computed=s.computed, score=s)
            )
    return list(by_objective.values())


def carried(cycle: Cycle) -> dict[int, Objective]:
    """Original objective id -> the draft it was carried to (one query)."""
    return {
        o.carried_from_id: o
        for o in Objective.objects.filter(carried_from__cycle=cycle).select_related("cycle")
    }


# --- Carry-over: into which quarter --------------------------------------------------------

#: How many quarters after the first one a carried objective may be planned into.
CARRY_QUARTERS_AHEAD = 4


@dataclass(frozen=True)
class CarryTarget:
    """A quarter an unfinished objective may be carried into (its year may not exist yet)."""

    quarter: calendar.FiscalQuarter
    label: str
    default: bool = False

    @property
    def token(self) -> str:
        """The form's value: ``YEAR-Qn``."""
        return f"{self.quarter.year}-Q{self.quarter.quarter}"


def parse_carry_token(raw: str | None) -> calendar.FiscalQuarter | None:
    """``"2027-Q1"`` -> (2027, 1); anything else None."""
    year, _sep, quarter = (raw or "").strip().upper().partition("-Q")
    if not (year.isdigit() and len(year) == 4 and quarter in {"1", "2", "3", "4"}):
        return None
    return calendar.FiscalQuarter(int(year), int(quarter))


def carry_targets(cycle: Cycle, today: date) -> list[CarryTarget]:
    """The open or coming quarters a closed quarter's objectives may be carried into (1 query).

    Never a quarter that has ended or is closed, never the closed quarter or one
    before it. The first (and default) is the quarter after ``cycle``, or the
    current one when that lies in the past: carrying Q1 out in December lands in Q4.
    """
    start_month = cycle.organisation.fiscal_year_start_month
    after = calendar.next_quarter(cycle.year, cycle.quarter)
    current = calendar.quarter_of(today, start_month)
    quarters = [max(after, current)]
    for _step in range(CARRY_QUARTERS_AHEAD):
        quarters.append(calendar.next_quarter(*quarters[-1]))
    closed = set(
        Cycle.objects.filter(
            organisation_id=cycle.organisation_id,
            kind=Cycle.Kind.QUARTER,
            year__in={q.year for q in quarters},
            state=Cycle.State.CLOSED,
        ).values_list("year", "quarter")
    )
    targets = []
    for fq in quarters:
        if tuple(fq) in closed:
            continue
        label = Cycle(
            kind=Cycle.Kind.QUARTER,
            year=fq.year,
            quarter=fq.quarter,
            start_date=calendar.quarter_start(fq.year, fq.quarter, start_month),
        ).label
        targets.append(CarryTarget(fq, label, default=not targets))
    return targets


def closable_cycles(organisation, today: date) -> list[Cycle]:
    """Quarters and years that have ended, newest first (one query)."""
    return list(
        Cycle.objects.filter(organisation=organisation, end_date__lt=today).order_by(
            "-end_date", "kind"
        )
    )


def default_close_cycle(organisation, today: date) -> Cycle | None:
    """The quarter the close page opens on: the latest ended quarter with approved objectives."""
    ended = closable_cycles(organisation, today)
    scored = set(
        Objective.objects.filter(
            organisation=organisation, cycle__in=ended, status=Objective.Status.APPROVED
        )
        .values_list("cycle_id", flat=True)
        .distinct()
    )
    quarters = [c for c in ended if c.kind == Cycle.Kind.QUARTER]
    return (
        next((c for c in quarters if c.id in scored), None)
        or next(iter(quarters), None)
        or next(iter(ended), None)
    )


def cycles_due(*, today: date | None = None, organisation=None) -> list[Cycle]:
    """Cycles not yet closed whose last day plus the grace period has passed (one query).

    ``today`` defaults to each organisation's own local date (time zones differ);
    pass one to travel in time.
    """
    grace = grace_days()
    qs = Cycle.objects.exclude(state=Cycle.State.CLOSED).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    # Narrow in the database (a day ahead of UTC covers every time zone), decide per organisation.
    now = calendar.clock()
    horizon = today or (calendar.today(None, now) + timedelta(days=1))
    qs = qs.filter(end_date__lt=horizon - timedelta(days=grace))
    due = []
    for cycle in qs.order_by("end_date", "kind", "id"):
        day = today or calendar.today(cycle.organisation, now)
        if day > cycle.end_date + timedelta(days=grace):
            due.append(cycle)
    return due
