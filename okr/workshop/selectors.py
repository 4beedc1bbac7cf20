"""Reads for the team workshop, the approval queue and the kick-off presentation.

Each function takes the organisation first and runs a fixed number of
queries whatever the number of teams, objectives, key results, events or
parking-lot items (the page tests assert it at two sizes). The quarter a
page shows is resolved here too, without writing: a quarter whose year has
no cycle yet is a ``QuarterRef`` without a ``cycle``. The workshop's own
objectives, key results and history are read by ``okr.workshop.rows``.
"""

from __future__ import annotations

import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts import revision
from accounts.access import get_for_org
from accounts.models import Membership, Team, TeamMembership
from okr.lib import calendar
from okr.lib.paging import PageLinks
from okr.models import Cycle, KeyResult, Objective, ObjectiveEvent, ParkingLotItem
from okr.objectives import approval, selectors
from okr.workshop import rows

#: The workshop opens on the next quarter this many days before the current one ends.
PLANNING_WINDOW_DAYS = 14


# --- Access --------------------------------------------------------------------------------


def get_parking_lot_item_for_user(request, code) -> ParkingLotItem:
    """A parking-lot item inside the request's organisation; 404 for missing and not-yours alike."""
    return get_for_org(request, ParkingLotItem.objects.select_related("team", "cycle"), code)


# --- Quarters ------------------------------------------------------------------------------


@dataclass
class QuarterRef:
    """A fiscal quarter, with its cycle when the year has been created."""

    year: int
    quarter: int
    cycle: Cycle | None = None
    start_date: date | None = None

    @property
    def token(self) -> str:
        """The value of ``?quarter=``: the cycle's public id, or ``YEAR-Qn`` before it exists."""
        return str(self.cycle.uuid) if self.cycle else f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        if self.cycle is not None:
            return self.cycle.label
        return Cycle(
            kind=Cycle.Kind.QUARTER,
            year=self.year,
            quarter=self.quarter,
            start_date=self.start_date,
        ).label

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.quarter)


def _ref(organisation, year: int, quarter: int, cycles: dict) -> QuarterRef:
    start = calendar.quarter_start(year, quarter, organisation.fiscal_year_start_month)
    return QuarterRef(year, quarter, cycles.get((year, quarter)), start)


def _parse_token(raw: str) -> uuid_module.UUID | tuple[int, int] | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return uuid_module.UUID(raw)
    except ValueError:
        pass
    year, sep, quarter = raw.upper().partition("-Q")
    if sep and year.isdigit() and quarter.isdigit():
        y, q = int(year), int(quarter)
        if calendar.MIN_YEAR <= y <= calendar.MAX_YEAR and 1 <= q <= 4:
            return y, q
    return None


@dataclass
class QuarterChoice:
    selected: QuarterRef
    options: list[QuarterRef]


def choose_quarter(organisation, raw: str | None, today: date | None = None) -> QuarterChoice:
    """The quarter the workshop shows, and the quarters to pick from (reads only; 1 query,
    none while the organisation's revision has not moved).

    ``raw`` is a quarter cycle's public id (404 when it is not one of the
    organisation's) or ``YEAR-Qn``; anything else means the default: the
    quarter that contains today, or the next one when planning for it has
    started (a team objective exists in it) or the current one ends within
    two weeks. The options are the quarters of the current and next fiscal year.
    """
    today = today or calendar.today(organisation)
    start_month = organisation.fiscal_year_start_month
    current = calendar.quarter_of(today, start_month)
    following = calendar.next_quarter(*current)
    parsed = _parse_token(raw)
    years = {current[0], current[0] + 1}
    if isinstance(parsed, tuple):
        years.add(parsed[0])
    wanted = Q(year__in=years)
    if isinstance(parsed, uuid_module.UUID):
        wanted |= Q(uuid=parsed)  # the chosen quarter comes in the same query
    # Read on every workshop page, changed by a write to a cycle or an objective: kept
    # per revision of the organisation (accounts.revision).
    quarters = revision.cached(
        organisation.pk,
        "workshop-quarters",
        [sorted(years), parsed if isinstance(parsed, uuid_module.UUID) else None],
        lambda: list(
            Cycle.objects.filter(wanted, organisation=organisation, kind=Cycle.Kind.QUARTER)
            .select_related("parent")
            .annotate(team_objectives=Count("objectives"))
        ),
    )
    chosen_cycle = None
    if isinstance(parsed, uuid_module.UUID):
        chosen_cycle = next((c for c in quarters if c.uuid == parsed), None)
        if chosen_cycle is None:
            raise Http404
    cycles = {(c.year, c.quarter): c for c in quarters}
    if chosen_cycle is not None:
        selected = QuarterRef(
            chosen_cycle.year, chosen_cycle.quarter, chosen_cycle, chosen_cycle.start_date
        )
    elif isinstance(parsed, tuple):
        selected = _ref(organisation, *parsed, cycles)
    else:
        planning = getattr(cycles.get(following), "team_objectives", 0) > 0
        ends_soon = calendar.quarter_start(*following, start_month) - today <= timedelta(
            days=PLANNING_WINDOW_DAYS
        )
        selected = _ref(organisation, *(following if planning or ends_soon else current), cycles)
    keys = sorted(
        {(y, q) for y in (current[0], current[0] + 1) for q in range(1, 5)} | {selected.key}
    )
    options = [selected if k == selected.key else _ref(organisation, *k, cycles) for k in keys]
    return QuarterChoice(selected=selected, options=options)


# --- The workshop ------------------------------------------------------------------------------


def events_prefetch() -> Prefetch:
    return Prefetch(
        "events",
        queryset=ObjectiveEvent.objects.select_related("author").order_by("created_at", "id"),
    )


def workshop_objectives(organisation, team: Team, cycle: Cycle | None) -> list[Objective]:
    """The team's objectives of the quarter with key results, initiatives and status history
    (``okr.workshop.rows``: 4 queries, none while the organisation's revision has not moved)."""
    return rows.workshop_and_strategic(organisation, team, cycle)[0]


def strategic_of_year(organisation, year_cycle: Cycle | None) -> list[Objective]:
    """The year's strategic objectives with their key results (2 queries)."""
    if year_cycle is None:
        return []
    return list(
        selectors.objectives_with_key_results(
            organisation, cycle=year_cycle, level=Objective.Level.STRATEGIC
        ).exclude(status=Objective.Status.DRAFT)  # next year's drafts (okr.years)
    )


def parking_lot(team: Team, cycle: Cycle | None) -> list[ParkingLotItem]:
    if cycle is None:
        return []
    return list(
        ParkingLotItem.objects.filter(team=team, cycle=cycle)
        .select_related("author")
        .order_by("created_at", "id")
    )


def teams_for_index(organisation, membership: Membership, quarter: QuarterRef) -> list[Team]:
    """Every team, the member's own first, with status counts in ``quarter`` (2 queries)."""
    mine = set(
        TeamMembership.objects.filter(
            user_id=membership.user_id, team__organisation=organisation
        ).values_list("team_id", flat=True)
    )
    teams = list(Team.objects.filter(organisation=organisation).order_by("order", "name"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if quarter.cycle is not None:
        rows = (
            Objective.objects.filter(
                organisation=organisation, cycle=quarter.cycle, level=Objective.Level.TEAM
            )
            .exclude(status=Objective.Status.ARCHIVED)
            .values_list("team_id", "status")
            .annotate(n=Count("id"))
        )
        for team_id, status, n in rows:
            counts[team_id][status] = n
    for team in teams:
        team.is_mine = team.pk in mine
        team.status_counts = [
            (label, counts[team.pk][value])
            for value, label in Objective.Status.choices
            if counts[team.pk].get(value)
        ]
    teams.sort(key=lambda t: not t.is_mine)  # stable: the own teams first, in team order
    return teams


# --- The approval queue ---------------------------------------------------------------------


@dataclass
class Support:
    """A strategic objective or key result and whether a team objective supports it."""

    kind: str  # "objective" | "key_result"
    item: Objective | KeyResult
    objective_title: str | None = None


@dataclass
class TeamSet:
    team: Team
    proposed: list[Objective] = field(default_factory=list)
    approved_count: int = 0
    other_count: int = 0


@dataclass
class QueueQuarter:
    cycle: Cycle
    teams: list[TeamSet] = field(default_factory=list)
    uncovered: list[Support] = field(default_factory=list)
    orphans: int = 0


def coverage(
    strategic: list[Objective], links: list[tuple[int | None, int | None]]
) -> list[Support]:
    """Strategic objectives and key results that no team objective supports.

    ``links`` are ``(parent_objective_id, parent_key_result_id)`` of the
    supporting team objectives. A strategic objective counts as supported when
    a team objective links to it or to one of its key results; a key result
    only when one links to it.
    """
    objective_ids = {o for o, _k in links if o}
    kr_ids = {k for _o, k in links if k}
    uncovered = []
    for objective in strategic:
        krs = list(objective.key_results.all())
        if objective.pk not in objective_ids and not any(kr.pk in kr_ids for kr in krs):
            uncovered.append(Support("objective", objective))
        for kr in krs:
            if kr.pk not in kr_ids:
                uncovered.append(Support("key_result", kr, objective.title))
    return uncovered


#: Proposed objectives on one page of the approval queue: whole team sets (a team's
#: proposals in one quarter) up to this many, or one larger set alone.
QUEUE_OBJECTIVES_PER_PAGE = 10


@dataclass
class QueuePage(PageLinks):
    """One page of the approval queue: whole team sets, by quarter, and where it is in the queue."""

    quarters: list[QueueQuarter]
    number: int = 1
    pages: int = 1
    team_sets: int = 0

    @property
    def team_ids(self) -> list[int]:
        """The teams this page shows."""
        return [team_set.team.pk for quarter in self.quarters for team_set in quarter.teams]

    @property
    def num_pages(self) -> int:
        return self.pages


def approval_queue(organisation) -> list[QueueQuarter]:
    """Every proposed team objective, by quarter and team, with coverage flags (on one page)."""
    return approval_queue_page(organisation, per_page=None).quarters


def _page_number(raw, pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), pages)


def _pages(sizes: list[int], per_page: int | None) -> list[int]:
    """The page (0-based) of each team set: whole sets, at most ``per_page`` objectives a page."""
    pages, page, filled = [], 0, 0
    for size in sizes:
        if per_page is not None and filled and filled + size > per_page:
            page, filled = page + 1, 0
        pages.append(page)
        filled += size
    return pages


def _siblings(status: str | None = None):
    """How many objectives of the row's team and quarter are in ``status`` (default: still in
    the workshop: draft or changes requested), as a subquery (``objective_team_cycle_idx``)."""
    statuses = (
        [status]
        if status is not None
        else [Objective.Status.DRAFT, Objective.Status.CHANGES_REQUESTED]
    )
    rows = (
        Objective.objects.filter(
            team_id=OuterRef("team_id"),
            cycle_id=OuterRef("cycle_id"),
            level=Objective.Level.TEAM,
            status__in=statuses,
        )
        .order_by()
        .values("team_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


def approval_queue_page(
    organisation,
    page=1,
    *,
    per_page: int | None = -1,
    containing: Objective | None = None,
) -> QueuePage:
    """One page of the queue: whole team sets, about ``per_page`` objectives (8 queries).

    ``per_page`` defaults to ``QUEUE_OBJECTIVES_PER_PAGE``; ``None``: everything on one page.

    The counts per team, the orphans of each quarter and the coverage flags
    are about whole quarters, whatever the page; only the objectives shown
    are loaded as instances. ``containing``: the page that shows this
    proposed objective (a refused comment re-renders its page). A page number
    out of range is the nearest page. Coverage counts the team objectives that
    are proposed or approved in the same quarter; the strategic objectives are
    those of the quarter's year.
    """
    # Per quarter and team, the proposed objectives and how many of them have no parent: only
    # proposed rows are read (in a large organisation a quarter has tens of thousands).
    groups = (
        Objective.objects.filter(
            organisation=organisation, level=Objective.Level.TEAM, status=Objective.Status.PROPOSED
        )
        .values_list("cycle_id", "cycle__start_date", "team_id", "team__order", "team__name")
        .annotate(
            proposed=Count("id"),
            orphans=Count("id", filter=Q(parent_objective=None, parent_key_result=None)),
        )
        .order_by("cycle__start_date", "team__order", "team__name", "team_id")
    )
    sets, sizes, orphans = [], [], defaultdict(int)
    for cycle_id, _start, team_id, _order, _name, proposed, no_parent in groups:
        orphans[cycle_id] += no_parent
        sets.append((cycle_id, team_id))
        sizes.append(proposed)
    if not sets:
        return QueuePage([])
    page_of = _pages(sizes, QUEUE_OBJECTIVES_PER_PAGE if per_page == -1 else per_page)
    pages = page_of[-1] + 1
    if containing is not None and (containing.cycle_id, containing.team_id) in sets:
        number = page_of[sets.index((containing.cycle_id, containing.team_id))] + 1
    else:
        number = _page_number(page, pages)
    shown = [key for key, on in zip(sets, page_of, strict=True) if on == number - 1]
    condition = Q(pk__in=[])
    for cycle_id, team_id in shown:
        condition |= Q(cycle_id=cycle_id, team_id=team_id)
    proposed = list(
        selectors.objectives_with_key_results(
            organisation, level=Objective.Level.TEAM, status=Objective.Status.PROPOSED
        )
        .filter(condition)
        # The rest of each shown team's quarter, counted beside each of its proposed objectives.
        .annotate(
            approved_in_set=_siblings(Objective.Status.APPROVED),
            others_in_set=_siblings(),
        )
        .select_related("cycle__parent", "parent_key_result__objective")
        .prefetch_related(events_prefetch())
        .order_by("cycle__start_date", "team__order", "team__name", "team_id", "order", "id")
    )
    quarter_ids = {cycle_id for cycle_id, _team_id in shown}
    year_ids = {o.cycle.parent_id for o in proposed}
    strategic_by_year = defaultdict(list)
    for objective in selectors.objectives_with_key_results(
        organisation, level=Objective.Level.STRATEGIC, cycle_id__in=year_ids
    ).order_by("order", "id"):
        strategic_by_year[objective.cycle_id].append(objective)
    links = defaultdict(list)
    for cycle_id, parent_objective_id, parent_key_result_id in (
        Objective.objects.filter(
            organisation=organisation,
            level=Objective.Level.TEAM,
            cycle_id__in=quarter_ids,
            status__in=[Objective.Status.PROPOSED, Objective.Status.APPROVED],
        )
        .values_list("cycle_id", "parent_objective_id", "parent_key_result_id")
        .distinct()
        .order_by()
    ):
        links[cycle_id].append((parent_objective_id, parent_key_result_id))
    quarters: dict[int, QueueQuarter] = {}
    for objective in proposed:
        quarter = quarters.get(objective.cycle_id)
        if quarter is None:
            quarter = quarters[objective.cycle_id] = QueueQuarter(objective.cycle)
            quarter.uncovered = coverage(
                strategic_by_year[objective.cycle.parent_id], links[objective.cycle_id]
            )
            quarter.orphans = orphans[objective.cycle_id]
        if not quarter.teams or quarter.teams[-1].team.pk != objective.team_id:
            quarter.teams.append(
                TeamSet(
                    objective.team,
                    approved_count=objective.approved_in_set,
                    other_count=objective.others_in_set,
                )
            )
        approval.attach_events(objective, list(objective.events.all()))
        objective.is_orphan = objective.parent is None
        quarter.teams[-1].proposed.append(objective)
    return QueuePage(
        list(quarters.values()),
        number=number,
        pages=pages,
        team_sets=len(sets),
    )


# --- The kick-off presentation -----------------------------------------------------------------


def year_cycle_of(organisation, year: int) -> Cycle | None:
    return Cycle.objects.filter(organisation=organisation, kind=Cycle.Kind.YEAR, year=year).first()
