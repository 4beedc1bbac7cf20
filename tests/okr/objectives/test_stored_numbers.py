"""Stored numbers (okr.objectives.stored): every write that moves a number stores the engine's answer.

Each test writes through a service and compares what is stored on the key
result and its objective with what the engine computes from scratch on the
same day (``okr.objectives.numbers``, the batch loader every page uses).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from alignment import services as alignment_services
from conftest import client_for
from okr.closing import services as closing_services
from okr.lib import calendar
from okr.lib import progress as engine
from okr.models import KeyResult, Objective, Score
from okr.objectives import numbers, selectors, services, stored
from okr.objectives.tasks import refresh_numbers
from tests.support.factories import (
    CheckInFactory,
    ObjectiveFactory,
    TeamFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def engine_numbers(objective: Objective):
    """The engine's numbers of an objective and its live key results, computed now."""
    fresh = selectors.objectives_with_key_results(objective.organisation, pk=objective.pk).get()
    numbers.annotate_objectives([fresh], calendar.today(fresh.organisation))
    return fresh.numbers, {kr.pk: kr.numbers for kr in fresh.key_results.all()}


def assert_stored_is_engine(objective: Objective) -> None:
    objective = Objective.objects.get(pk=objective.pk)
    today = calendar.today(objective.organisation)
    expected_objective, expected_krs = engine_numbers(objective)
    assert objective.numbers_on == today
    assert stored.objective_numbers(objective, today) == expected_objective
    assert objective.stored_progress == expected_objective.progress
    assert objective.stored_verdict == expected_objective.verdict
    for kr in KeyResult.objects.filter(objective=objective, archived=False):
        assert kr.numbers_on == today
        assert stored.key_result_numbers(kr, today) == expected_krs[kr.pk], kr.title
        assert kr.stored_progress == expected_krs[kr.pk].progress


@pytest.fixture
def okrs(cast):
    year, quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    kr = metric_kr(objective, title="100 nya kunder", start=0, target=100, unit="kunder")
    return year, quarter, objective, kr


def test_a_new_objective_and_key_result_are_stored(okrs):
    _year, _quarter, objective, kr = okrs
    assert_stored_is_engine(objective)
    kr.refresh_from_db()
    assert kr.stored_progress == 0.0


def test_a_check_in_stores_the_key_result_and_its_objective(okrs):
    _year, _quarter, objective, kr = okrs
    CheckInFactory(key_result=kr, value=Decimal(40))
    kr.refresh_from_db()
    objective.refresh_from_db()
    assert kr.stored_progress == pytest.approx(0.4)
    assert objective.stored_progress == pytest.approx(0.4)
    assert_stored_is_engine(objective)


def test_a_target_change_stores_the_new_progress(okrs):
    _year, _quarter, objective, kr = okrs
    CheckInFactory(key_result=kr, value=Decimal(40))
    kr.refresh_from_db()
    services.key_result_update(key_result=kr, version=kr.version, target_value=Decimal(50))
    kr.refresh_from_db()
    assert kr.stored_progress == pytest.approx(0.8)
    assert_stored_is_engine(objective)


def test_new_quarterly_steps_move_the_stored_pace(okrs):
    year, _quarter, objective, kr = okrs
    CheckInFactory(key_result=kr, value=Decimal(10))
    kr.refresh_from_db()
    before = stored.key_result_numbers(kr, calendar.today(kr.organisation))
    assert before.stepped is False
    quarters = list(year.quarters.order_by("quarter"))
    alignment_services.key_result_steps_set(
        key_result=kr,
        targets={q: Decimal(v) for q, v in zip(quarters, (5, 10, 60, 100), strict=True)},
    )
    kr.refresh_from_db()
    after = stored.key_result_numbers(kr, calendar.today(kr.organisation))
    assert after.stepped is True
    assert after.expected != before.expected
    assert_stored_is_engine(objective)


def test_a_direct_contribution_moves_the_summing_parent(cast, okrs):
    _year, quarter, strategic, _kr = okrs
    pilots = metric_kr(strategic, title="10 pilotkunder", target=10, unit="kunder", rollup="sum")
    team_objective = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=TeamFactory(organisation=cast.org),
        cycle=quarter,
        parent_key_result=pilots,
        alignment="direct",
        status="approved",
    )
    child = metric_kr(team_objective, title="Pilotkunder i Norge", target=5, unit="kunder")
    CheckInFactory(key_result=child, value=Decimal(4))
    pilots.refresh_from_db()
    assert pilots.stored_progress == pytest.approx(0.4)  # 4 of 10, the child's value summed
    assert_stored_is_engine(strategic)
    # Linked elsewhere, the objective no longer adds in: the parent falls back to its start.
    team_objective.refresh_from_db()
    services.objective_update(
        objective=team_objective,
        version=team_objective.version,
        parent_key_result=None,
        parent_objective=strategic,
    )
    pilots.refresh_from_db()
    assert pilots.stored_progress == 0.0
    assert_stored_is_engine(strategic)


def test_archiving_a_key_result_stores_the_objective_without_it(okrs):
    _year, _quarter, objective, kr = okrs
    other = metric_kr(objective, title="5 nya marknader", target=5, unit="marknader")
    CheckInFactory(key_result=kr, value=Decimal(100))
    objective.refresh_from_db()
    assert objective.stored_progress == pytest.approx(0.5)
    services.key_result_archive(key_result=other)
    objective.refresh_from_db()
    assert objective.stored_progress == pytest.approx(1.0)
    assert_stored_is_engine(objective)


def test_the_quarter_close_stores_the_frozen_scores(cast):
    day = calendar.today(cast.org)
    year, quarter = year_and_quarter(cast.org, day - timedelta(days=200))
    objective = ObjectiveFactory(
        organisation=cast.org, level="team", cycle=quarter, status="approved"
    )
    kr = metric_kr(objective, target=10, unit="kunder")
    within = datetime.combine(quarter.start_date + timedelta(days=20), time(12), tzinfo=UTC)
    CheckInFactory(key_result=kr, value=Decimal(7), at=within)
    closing_services.cycle_close(cycle=quarter, force=True)
    objective = Objective.objects.select_related("cycle").get(pk=objective.pk)
    # Stored before the close: not read (the reader asks the engine) until the hourly job.
    assert objective.stored_verdict != engine.SCORED
    assert stored.objective_numbers(objective, day) is None
    assert stored.stale(cast.org).filter(pk=objective.pk).exists()
    refresh_numbers()
    objective = Objective.objects.select_related("cycle").get(pk=objective.pk)
    kr.refresh_from_db()
    assert objective.stored_verdict == kr.stored_verdict == engine.SCORED
    assert not stored.stale(cast.org).exists()
    assert stored.key_result_numbers(kr, day).score == pytest.approx(0.7)
    score = Score.objects.get(key_result=kr)
    closing_services.score_override(score=score, value="0.9", reason="Avtalet kom in", user=None)
    kr.refresh_from_db()
    assert stored.key_result_numbers(kr, day).score == pytest.approx(0.9)
    # Frozen: still read the next day.
    assert stored.objective_numbers(objective, day + timedelta(days=1)) is not None
    assert_stored_is_engine(objective)


def test_yesterdays_numbers_are_not_read_and_the_hourly_job_renews_them(okrs):
    _year, _quarter, objective, kr = okrs
    today = calendar.today(objective.organisation)
    Objective.objects.filter(pk=objective.pk).update(numbers_on=today - timedelta(days=1))
    KeyResult.objects.filter(pk=kr.pk).update(numbers_on=today - timedelta(days=1))
    objective.refresh_from_db()
    kr.refresh_from_db()
    assert stored.objective_numbers(objective, today) is None
    assert stored.key_result_numbers(kr, today) is None
    assert stored.stale(objective.organisation).filter(pk=objective.pk).exists()
    assert refresh_numbers() >= 1
    assert not stored.stale(objective.organisation).exists()
    assert_stored_is_engine(objective)


def test_the_command_fills_rows_loaded_in_bulk(cast, okrs):
    _year, quarter, _objective, _kr = okrs
    team = TeamFactory(organisation=cast.org)
    loaded = Objective.objects.create(
        organisation=cast.org, cycle=quarter, level="team", team=team, title="Importerat mål"
    )
    KeyResult.objects.create(
        organisation=cast.org,
        objective=loaded,
        title="Importerat resultat",
        start_value=Decimal(0),
        target_value=Decimal(4),
        current_value=Decimal(1),
    )
    assert loaded.numbers_on is None
    out = io.StringIO()
    call_command("store_numbers", org=cast.org.slug, stale=True, stdout=out)
    assert f"{cast.org.slug}: numbers stored on" in out.getvalue()
    loaded.refresh_from_db()
    assert loaded.stored_progress == pytest.approx(0.25)
    assert_stored_is_engine(loaded)


def test_the_home_summary_is_the_mean_of_the_engines_numbers(cast, okrs):
    _year, quarter, _objective, _kr = okrs
    team = TeamFactory(organisation=cast.org, name="Försäljning")
    values = [Decimal(2), Decimal(9), None]
    for i, value in enumerate(values):
        objective = ObjectiveFactory(
            organisation=cast.org, level="team", team=team, cycle=quarter, status="approved"
        )
        kr = metric_kr(objective, title=f"{i} leads", target=10, unit="leads")
        if value is not None:
            CheckInFactory(key_result=kr, value=value)
    ObjectiveFactory(  # no key results: counted, not measured
        organisation=cast.org, level="team", team=team, cycle=quarter, status="approved"
    )
    summary = selectors.team_progress_summary(cast.org, quarter, ["approved", "proposed"])
    (row,) = [r for r in summary if r["team"].name == "Försäljning"]
    computed = []
    for objective in Objective.objects.filter(team=team):
        objective_numbers, _krs = engine_numbers(objective)
        computed.append(objective_numbers.progress)
    assert row["objectives"] == 4
    assert row["progress"] == pytest.approx(engine.mean_progress(computed))
    body = client_for(cast.member).get(reverse("okr:home", args=["acme"])).content.decode()
    assert "Försäljning" in body


def summary_row(body: str, team: str) -> str:
    row = body[body.index(f'<th scope="row">{team}</th>') :]
    return row[: row.index("</tr>")]


def test_the_home_summary_is_rendered_once_and_follows_every_check_in(
    cast, okrs, django_assert_max_num_queries
):
    _year, quarter, _objective, _kr = okrs
    cache.clear()
    team = TeamFactory(organisation=cast.org, name="Försäljning")
    objective = ObjectiveFactory(
        organisation=cast.org, level="team", team=team, cycle=quarter, status="approved"
    )
    kr = metric_kr(objective, title="10 leads", target=10, unit="leads")
    client = client_for(cast.member)
    url = reverse("okr:home", args=["acme"])
    first = client.get(url).content.decode()
    assert 'value="0"' in summary_row(first, "Försäljning")
    with django_assert_max_num_queries(9):  # the summary's aggregate is not run again
        again = client.get(url).content.decode()
    assert summary_row(again, "Försäljning") == summary_row(first, "Försäljning")
    CheckInFactory(key_result=kr, value=Decimal(3))
    after = client.get(url).content.decode()
    assert 'value="30"' in summary_row(after, "Försäljning")
