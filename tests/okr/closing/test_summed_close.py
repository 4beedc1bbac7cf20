"""The close scores a key result that sums its direct children from their sum, as the pages did."""

from datetime import date
from decimal import Decimal as D

import pytest

from okr.closing import services as svc
from okr.models import KeyResult, Score
from tests.support.factories import KeyResultFactory, ObjectiveFactory
from tests.support.reviews import build, record


def _parent_with_children(w, cast, *, rollup, title):
    """A strategic key result 0 -> 10 with a Q2 team objective aligned directly to it (2 + 1)."""
    parent = KeyResultFactory(
        objective=w.objectives["strategic"],
        title=title,
        unit="kunder",
        kind="metric",
        start_value=D(0),
        target_value=D(10),
        rollup=rollup,
        owner=cast.admin,
    )
    team = ObjectiveFactory(
        organisation=cast.org,
        cycle=w.year.quarters.get(quarter=2),
        level="team",
        team=w.sales,
        title=f"Bidrag till {title}",
        status="approved",
        parent_key_result=parent,
        alignment="direct",
    )
    children = [
        KeyResultFactory(objective=team, title=f"{title} {n}", unit="kunder", target_value=D(5))
        for n in (1, 2)
    ]
    record(children[0], cast.admin, date(2026, 5, 4), value=2)
    record(children[1], cast.admin, date(2026, 6, 1), value=1)
    return parent, children


@pytest.mark.django_db
def test_a_summing_key_result_is_scored_from_its_childrens_sum_at_year_end(cast):
    w = build(cast)
    summed, children = _parent_with_children(w, cast, rollup="sum", title="Pilotkunder")
    listed, _ = _parent_with_children(w, cast, rollup="none", title="Referenskunder")
    record(listed, cast.admin, date(2026, 12, 1), value=8)  # its own value counts
    # After the year's end: neither the child's new value nor a stale stored sum counts.
    record(children[0], cast.admin, date(2027, 1, 3), value=9)
    KeyResult.objects.filter(pk=summed.pk).update(current_value=D(7))

    svc.close_due_cycles(today=date(2027, 1, 8), organisation=cast.org)

    frozen = Score.objects.get(key_result=summed)
    assert (frozen.progress, frozen.computed) == (pytest.approx(0.3), 0.3)  # (2 + 1) / 10
    assert Score.objects.get(key_result=listed).computed == 0.8  # not 3 / 10
    assert Score.objects.get(key_result=children[0]).computed == 0.4  # 2 of 5 at Q2's end


@pytest.mark.django_db
def test_a_summing_key_result_without_child_values_stands_at_its_start(cast):
    w = build(cast)
    summed = KeyResultFactory(
        objective=w.objectives["strategic"],
        unit="kunder",
        start_value=D(0),
        target_value=D(10),
        rollup="sum",
    )
    KeyResult.objects.filter(pk=summed.pk).update(current_value=D(7))
    svc.close_due_cycles(today=date(2027, 1, 8), organisation=cast.org)
    assert Score.objects.get(key_result=summed).computed == 0.0
