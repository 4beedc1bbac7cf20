"""Reads for the OKR pages: each takes the organisation first and runs a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from okr.lib import calendar
from okr.lib import progress as maths
from okr.models import CheckIn, Cycle, KeyResult, Objective
from okr.objectives import numbers


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
    today = calendar.today(organisation)
    krs = list(
        KeyResult.objects.filter(organisation=organisation, owner=user, archived=False)
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .exclude(objective__cycle__state=Cycle.State.CLOSED)
        .select_related("objective__cycle", "objective__team", "owner")
        .order_by(
            "objective__cycle__start_date",
            "objective__team__name",
            "objective__order",
            "order",
            "id",
        )
    )
    return numbers.annotate_key_results(krs, today)


def check_ins_of(key_result: KeyResult) -> QuerySet:
    return (
        CheckIn.objects.filter(key_result=key_result)
        .select_related("author")
        .order_by("created_at", "id")
    )


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
    """Per team: how many objectives and their mean progress this quarter.

    Reads plain values (2 queries) instead of model instances, so the home page
    stays fast for an organisation with thousands of team objectives.
    """
    from accounts.models import Team

    objectives = list(
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            status__in=statuses,
        ).values_list("id", "team_id")
    )
    team_of = dict(objectives)
    rows = KeyResult.objects.filter(objective_id__in=team_of.keys(), archived=False).values_list(
        "objective_id",
        "kind",
        "start_value",
        "target_value",
        "current_value",
        "done",
        "steps_done",
        "steps_total",
        "weight",
        "commitment",
    )
    today = calendar.today(organisation)
    by_objective: dict[int, list[maths.KeyResultNumbers]] = {}
    for (
        objective_id,
        kind,
        start,
        target,
        current,
        done,
        steps_done,
        steps_total,
        weight,
        commitment,
    ) in rows:
        facts = maths.KeyResultFacts(
            period_start=quarter.start_date,
            period_end=quarter.end_date,
            kind=kind,
            start=start,
            target=target,
            current=current,
            done=done,
            steps_done=steps_done,
            steps_total=steps_total,
            weight=weight,
            commitment=commitment,
        )
        by_objective.setdefault(objective_id, []).append(maths.key_result_status(facts, on=today))
    per_team: dict[int, list] = {}
    for objective_id, team_id in objectives:
        per_team.setdefault(team_id, []).append(
            maths.objective_numbers(by_objective.get(objective_id, [])).progress
        )
    teams = Team.objects.filter(pk__in=per_team.keys()).order_by("order", "name")
    return [
        {
            "team": team,
            "objectives": len(per_team[team.pk]),
            "progress": maths.mean_progress(per_team[team.pk]),
        }
        for team in teams
    ]
