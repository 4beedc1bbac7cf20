"""Reads for the year-end review and next year's drafts; each runs a fixed number of queries.

Numbers come from where they are kept: the strategic key results' scores from the
year close (``okr.closing.selectors.frozen_scores``) or, before it, as the close
would compute them now (``compute_scores``); the teams' quarter scores from each
closed quarter's frozen scores; an open quarter's from the progress the engine
stored on its objectives (``okr.objectives.stored``). ``okr.years.summary`` groups
them. However many teams and objectives, the review costs the same few queries:
one for the cycles, three per closed quarter (at most four) or the year, one each
for teams, open objectives, notes and carry-overs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from accounts.models import Team
from okr.closing import selectors as closing
from okr.lib import calendar
from okr.models import Cycle, Objective, RetrospectiveNote
from okr.objectives import selectors as objective_selectors
from okr.objectives import stored
from okr.years import summary


@dataclass
class QuarterColumn:
    number: int
    label: str
    start: date
    end: date
    state: str
    cycle: Cycle | None = None
    notes: list[RetrospectiveNote] = field(default_factory=list)


@dataclass
class YearReview:
    year: int
    label: str
    next_year: int
    next_label: str
    start: date
    end: date
    state: str  # summary.year_state
    cycle: Cycle | None
    strategic: list[closing.ObjectiveScore]
    strategic_frozen: bool
    quarters: list[QuarterColumn]
    teams: list[summary.TeamRow]
    year_notes: list[RetrospectiveNote]
    carried: list[tuple[str, list[summary.Carried]]]
    next_cycle: Cycle | None = None
    next_drafts: int = 0
    next_published: int = 0


def year_label(organisation, year: int) -> str:
    return calendar.fiscal_year_label(year, organisation.fiscal_year_start_month)


def quarter_label(organisation, year: int, quarter: int) -> str:
    return f"Q{quarter} {year_label(organisation, year)}"


def _cycles(organisation, years: tuple[int, ...]) -> dict[tuple[int, int | None], Cycle]:
    """The year and quarter cycles of ``years`` by (year, quarter or None) (1 query)."""
    return {
        (c.year, c.quarter): c
        for c in Cycle.objects.filter(organisation=organisation, year__in=years)
    }


def _strategic(cycle: Cycle | None) -> tuple[list[closing.ObjectiveScore], bool]:
    """The year's strategic objectives with their key results' scores: final once closed."""
    if cycle is None:
        return [], False
    if cycle.state == Cycle.State.CLOSED:
        return closing.frozen_scores(cycle), True
    return closing.compute_scores(cycle), False


def _open_values(organisation, quarters: list[QuarterColumn]) -> list[tuple[int, int, float]]:
    """(quarter, team, stored progress) of the approved team objectives of open quarters."""
    open_cycles = {q.cycle.pk: q.number for q in quarters if q.cycle and q.state != "closed"}
    if not open_cycles:
        return []
    queryset = Objective.objects.filter(
        organisation=organisation,
        cycle_id__in=open_cycles,
        level=Objective.Level.TEAM,
        status=Objective.Status.APPROVED,
    )
    rows = list(queryset.values_list("cycle_id", "team_id", "stored_progress", "numbers_on"))
    if any(numbers_on is None for *_rest, numbers_on in rows):  # loaded in bulk: store them once
        stored.refresh(
            objectives=queryset.filter(numbers_on__isnull=True).values_list("pk", flat=True)
        )
        rows = list(queryset.values_list("cycle_id", "team_id", "stored_progress", "numbers_on"))
    return [(open_cycles[cycle_id], team_id, value) for cycle_id, team_id, value, _on in rows]


def _carried(organisation, cycles: list[Cycle]) -> list[summary.Carried]:
    """Objectives carried out of this year's quarters, or on from its strategic OKRs (1 query)."""
    rows = (
        Objective.objects.filter(organisation=organisation, carried_from__cycle__in=cycles)
        .select_related("cycle", "team", "carried_from__cycle")
        .order_by("cycle__start_date", "order", "id")
    )
    return [
        summary.Carried(
            title=o.title,
            team=o.team.name if o.team else "",
            source=o.carried_from.cycle.label,
            target=o.cycle.label,
            status=o.get_status_display(),
            source_order=(o.carried_from.cycle.end_date, o.carried_from.cycle.kind),
        )
        for o in rows
    ]


def year_review(organisation, year: int, today: date | None = None) -> YearReview:
    """Everything the year-end review page and the API show for fiscal year ``year``."""
    today = today or calendar.today(organisation)
    start_month = organisation.fiscal_year_start_month
    cycles = _cycles(organisation, (year, year + 1))
    year_cycle = cycles.get((year, None))
    quarters = []
    for (_fy, number), q_start, q_end in calendar.quarters_of_year(year, start_month):
        cycle = cycles.get((year, number))
        closed = cycle is not None and cycle.state == Cycle.State.CLOSED
        quarters.append(
            QuarterColumn(
                number=number,
                label=quarter_label(organisation, year, number),
                start=q_start,
                end=q_end,
                state=summary.quarter_state(q_start, q_end, closed=closed, today=today),
                cycle=cycle,
            )
        )
    values: list[tuple[int, int, float | None]] = []
    for quarter in quarters:
        if quarter.state == summary.CLOSED:
            values += [
                (quarter.number, item.objective.team_id, item.value)
                for item in closing.frozen_scores(quarter.cycle)
                if item.objective.level == Objective.Level.TEAM  # never a personal OKR
            ]
    values += _open_values(organisation, quarters)
    teams = Team.objects.filter(organisation=organisation).order_by("order", "name")
    year_cycles = [c for (y, _q), c in cycles.items() if y == year]
    notes = list(
        RetrospectiveNote.objects.filter(cycle__in=year_cycles)
        .select_related("team", "author", "cycle")
        .order_by("created_at", "id")
    )
    for quarter in quarters:
        quarter.notes = [n for n in notes if quarter.cycle and n.cycle_id == quarter.cycle.pk]
    strategic, frozen = _strategic(year_cycle)
    next_cycle = cycles.get((year + 1, None))
    start, end = calendar.fiscal_year_bounds(year, start_month)
    review = YearReview(
        year=year,
        label=year_label(organisation, year),
        next_year=year + 1,
        next_label=year_label(organisation, year + 1),
        start=start,
        end=end,
        state=summary.year_state(start, end, today=today),
        cycle=year_cycle,
        strategic=strategic,
        strategic_frozen=frozen,
        quarters=quarters,
        teams=summary.team_grid(
            teams.values_list("pk", "name"),
            {q.number: q.state for q in quarters},
            values,
        ),
        year_notes=[n for n in notes if year_cycle and n.cycle_id == year_cycle.pk],
        carried=summary.carried_by_source(_carried(organisation, year_cycles)),
        next_cycle=next_cycle,
    )
    if next_cycle is not None:
        review.next_drafts, review.next_published = next_year_counts(organisation, next_cycle)
    return review


def next_year_counts(organisation, cycle: Cycle) -> tuple[int, int]:
    """(drafts, published) strategic objectives of a year (1 query)."""
    statuses = list(
        Objective.objects.filter(
            organisation=organisation, cycle=cycle, level=Objective.Level.STRATEGIC
        )
        .exclude(status=Objective.Status.ARCHIVED)
        .values_list("status", flat=True)
    )
    drafts = sum(1 for s in statuses if s == Objective.Status.DRAFT)
    return drafts, len(statuses) - drafts


# --- Next year ---------------------------------------------------------------------------------


@dataclass
class NextYear:
    year: int  # the year being planned
    label: str
    from_year: int
    from_label: str
    cycle: Cycle | None
    last_year: list[closing.ObjectiveScore]  # last year's strategic OKRs with their scores
    last_year_frozen: bool
    objectives: list[Objective]  # next year's strategic objectives (drafts and published)
    carried_to: dict[int, Objective]  # last year's objective id -> its carried-on draft

    @property
    def drafts(self) -> list[Objective]:
        return [o for o in self.objectives if o.status == Objective.Status.DRAFT]


def next_year(organisation, from_year: int) -> NextYear:
    """Last year's strategic OKRs with their scores beside next year's (drafts and published)."""
    cycles = _cycles(organisation, (from_year, from_year + 1))
    last_cycle, cycle = cycles.get((from_year, None)), cycles.get((from_year + 1, None))
    last_year, frozen = _strategic(last_cycle)
    objectives = (
        objective_selectors.strategic_objectives(organisation, cycle) if cycle is not None else []
    )
    carried_to = {}
    if last_cycle is not None and cycle is not None:
        carried_to = {
            o.carried_from_id: o
            for o in objectives
            if o.carried_from_id is not None and o.status != Objective.Status.ARCHIVED
        }
    return NextYear(
        year=from_year + 1,
        label=year_label(organisation, from_year + 1),
        from_year=from_year,
        from_label=year_label(organisation, from_year),
        cycle=cycle,
        last_year=last_year,
        last_year_frozen=frozen,
        objectives=objectives,
        carried_to=carried_to,
    )


def draft_filter(prefix: str = "") -> Q:
    """Rows that are not a strategic draft (next year's, until leadership publishes it)."""
    return ~Q(
        **{f"{prefix}level": Objective.Level.STRATEGIC, f"{prefix}status": Objective.Status.DRAFT}
    )


def is_drafting(organisation, year: int) -> bool:
    """Is leadership drafting ``year``'s strategic OKRs (any not published yet)? (1 query)

    The strategic page then adds new objectives of that year as drafts too.
    """
    return Objective.objects.filter(
        organisation=organisation,
        cycle__kind=Cycle.Kind.YEAR,
        cycle__year=year,
        level=Objective.Level.STRATEGIC,
        status=Objective.Status.DRAFT,
    ).exists()
