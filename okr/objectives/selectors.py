"""Reads for the OKR pages: each takes the organisation first and runs a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from accounts import revision
from accounts.models import Team
from okr.lib import calendar
from okr.models import CheckIn, Cycle, KeyResult, Objective
from okr.objectives import numbers, stored


def live_key_results() -> QuerySet:
    return KeyResult.objects.filter(archived=False).select_related("owner").order_by("order", "id")


def objectives_with_key_results(organisation, **filters) -> QuerySet:
    """Objectives of the organisation with their live key results and owners (2 queries)."""
    return (
        Objective.objects.filter(organisation=organisation, **filters)
        .exclude(status=Objective.Status.ARCHIVED)
        .select_related("owner", "team", "cycle", "parent_objective", "parent_key_result")
        .prefetch_related(Prefetch("key_results", queryset=live_key_results()))
        .order_by("team__order", "team__name", "order", "id")
    )


def strategic_objectives(organisation, year_cycle: Cycle) -> list[Objective]:
    return annotate_progress(
        list(
            objectives_with_key_results(
                organisation, cycle=year_cycle, level=Objective.Level.STRATEGIC
            )
        ),
        year_cycle,
        calendar.today(organisation),
    )


def team_objectives(organisation, quarter: Cycle, statuses=None, team_ids=None) -> list[Objective]:
    filters = {"cycle": quarter, "level": Objective.Level.TEAM}
    if statuses:
        filters["status__in"] = statuses
    if team_ids is not None:
        filters["team_id__in"] = team_ids
    return annotate_progress(
        list(objectives_with_key_results(organisation, **filters)),
        quarter,
        calendar.today(organisation),
    )


def annotate_progress(objectives: list[Objective], cycle: Cycle, today: date) -> list[Objective]:
    """Set the engine's numbers on objectives and their prefetched key results (at most 4 queries).

    ``today`` is the organisation's (``okr.lib.calendar.today``). See
    ``okr.objectives.numbers`` for what is set.
    """
    numbers.annotate_objectives(objectives, today, cycle=cycle)
    return objectives


def owned_key_results(organisation, user) -> list[KeyResult]:
    """Every live key result the user owns in cycles that are not closed, with numbers (1-4 queries)."""
    return numbers.annotate_key_results(
        _owned_key_results(organisation, user), calendar.today(organisation)
    )


def _owned_key_results(organisation, user) -> list[KeyResult]:
    return list(
        KeyResult.objects.filter(organisation=organisation, owner=user, archived=False)
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .exclude(objective__cycle__state=Cycle.State.CLOSED)
        .select_related("objective__cycle", "objective__team")  # the owner is the user
        .order_by(
            "objective__cycle__start_date",
            "objective__team__name",
            "objective__order",
            "order",
            "id",
        )
    )


#: What the home page and the engine read of an objective and a key result.
OBJECTIVE_ROW = ("uuid", "organisation_id", "cycle", "level", "team", "title", "status", "order")
HOME_OBJECTIVE_FIELDS = (*OBJECTIVE_ROW, "team__uuid", "team__name", "team__order")
#: The engine's numbers stored on a row, and the day they hold for (``okr.objectives.stored``).
STORED = ("stored_numbers", "numbers_on")
HOME_KEY_RESULT_FIELDS = (
    "uuid",
    "objective_id",
    "title",
    "kind",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "due_date",
    "done",
    "steps_total",
    "steps_done",
    "commitment",
    "weight",
    "rollup",
    "confidence",
    "order",
)


def home_strategic(organisation, year: Cycle | None) -> list[Objective]:
    """The year's strategic OKRs with the engine's numbers (2 queries; 2-5 when not stored today).

    The same for every member: the home page renders them once per revision
    of the organisation (``accounts.revision``) and day.
    """
    if year is None:
        return []
    krs = KeyResult.objects.filter(archived=False).only(*HOME_KEY_RESULT_FIELDS, *STORED)
    objectives = list(
        Objective.objects.filter(
            organisation=organisation, cycle=year, level=Objective.Level.STRATEGIC
        )
        # Next year's drafts (okr.years) wait for leadership to publish them.
        .exclude(status__in=[Objective.Status.DRAFT, Objective.Status.ARCHIVED])
        .select_related("team", "cycle")
        .only(*HOME_OBJECTIVE_FIELDS, *STORED)
        .prefetch_related(Prefetch("key_results", queryset=krs.order_by("order", "id")))
        .order_by("team__order", "team__name", "order", "id")
    )
    stored.set_numbers(calendar.today(organisation), objectives=objectives)
    return objectives


def home_team_objectives(
    organisation, quarter: Cycle, team_ids, statuses
) -> dict[int, list[Objective]]:
    """This quarter's objectives of the teams by team id, with their progress and team (1 query,
    or 2-5).

    The objectives show their progress only: the engine's, stored on each row
    while it holds today (``okr.objectives.stored``), so their key results are
    not loaded; one not stored for today is computed from its key results here.
    """
    objectives = list(
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            status__in=statuses,
            team_id__in=team_ids,
        )
        .select_related("cycle", "team")
        .only(*OBJECTIVE_ROW, *STORED, "team__uuid", "team__name", "team__order")
        .order_by("order", "id")
    )
    stored.set_numbers(calendar.today(organisation), objectives=objectives)
    by_team = {team_id: [] for team_id in team_ids}
    for objective in objectives:
        by_team[objective.team_id].append(objective)
    return by_team


def my_personal_objectives(organisation, user, quarter: Cycle) -> list[Objective]:
    """My personal objectives this quarter (okr/personal), with their progress (1 query, or 2-5)."""
    objectives = list(
        Objective.objects.filter(
            organisation=organisation, cycle=quarter, level=Objective.Level.PERSONAL, owner=user
        )
        .exclude(status=Objective.Status.ARCHIVED)
        .select_related("team", "cycle")
        .only(*HOME_OBJECTIVE_FIELDS, *STORED)
        .order_by("team__order", "team__name", "order", "id")
    )
    stored.set_numbers(calendar.today(organisation), objectives=objectives)
    return objectives


def my_key_results(organisation, user) -> list[KeyResult]:
    """Every live key result I own in cycles not closed, with numbers (1 query; 2-4 when stale).

    The numbers are those stored on each row while they hold today, else the engine's now.
    """
    krs = _owned_key_results(organisation, user)
    stored.set_numbers(calendar.today(organisation), key_results=krs)
    return krs


def check_ins_of(key_result: KeyResult) -> QuerySet:
    return (
        CheckIn.objects.filter(key_result=key_result)
        .select_related("author")
        .order_by("created_at", "id")
    )


def cycles_containing(organisation, day: date) -> tuple[Cycle | None, Cycle | None]:
    """The year and the quarter that contain ``day``, if they have been created (1 query).

    Read once per revision of the organisation and day (``accounts.revision``:
    a new or changed cycle makes a new one): most pages start with it.
    """
    return revision.cached(
        organisation.pk, "cycles-containing", [day], lambda: _cycles_containing(organisation, day)
    )


def _cycles_containing(organisation, day: date) -> tuple[Cycle | None, Cycle | None]:
    found: dict[str, Cycle] = {}
    for cycle in Cycle.objects.filter(
        organisation=organisation, start_date__lte=day, end_date__gte=day
    ).select_related("parent"):
        found.setdefault(cycle.kind, cycle)
    return found.get(Cycle.Kind.YEAR), found.get(Cycle.Kind.QUARTER)


def cycle_containing(organisation, day: date, kind: str) -> Cycle | None:
    """The year or quarter that contains ``day``, if it has been created (reads only)."""
    return (
        Cycle.objects.filter(
            organisation=organisation, kind=kind, start_date__lte=day, end_date__gte=day
        )
        .select_related("parent")
        .first()
    )


def year_cycles(organisation) -> list[Cycle]:
    return list(
        Cycle.objects.filter(organisation=organisation, kind=Cycle.Kind.YEAR).order_by("start_date")
    )


def team_progress_summary(organisation, quarter: Cycle, statuses) -> list[dict]:
    """Per team: how many objectives this quarter and the mean of their progress (1 query).

    The progress is the engine's, stored on each objective whenever it moves
    (``okr.objectives.stored``); the database takes the plain mean of the
    measured ones per team, as ``progress.mean_progress`` does, so the page
    costs the same for 200 objectives or 20,000. Objectives whose numbers were
    never stored (rows loaded in bulk) get them stored first.
    """
    queryset = Objective.objects.filter(
        organisation=organisation,
        cycle=quarter,
        level=Objective.Level.TEAM,
        status__in=statuses,
    )
    rows = _team_summary_rows(queryset)
    if any(row["unstored"] for row in rows):
        stored.refresh(
            objectives=queryset.filter(numbers_on__isnull=True).values_list("pk", flat=True)
        )
        rows = _team_summary_rows(queryset)
    return [
        {
            "team": Team(pk=row["team_id"], name=row["team__name"], order=row["team__order"]),
            "objectives": row["objectives"],
            "progress": row["progress"],
        }
        for row in rows
    ]


def _team_summary_rows(queryset) -> list[dict]:
    return list(
        queryset.values("team_id", "team__name", "team__order")
        .annotate(
            objectives=Count("id"),
            progress=Avg("stored_progress"),
            unstored=Count("id", filter=Q(numbers_on__isnull=True)),
        )
        .order_by("team__order", "team__name", "team_id")
    )
