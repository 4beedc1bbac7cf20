"""DPAB's year in the demo: a meaningful year-end review, and next year's objectives carried on."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from okr.years import selectors
from tests.support.years import at_day

pytestmark = pytest.mark.django_db


def test_the_demo_in_the_fourth_quarter_shows_a_year_and_what_carries_on():
    call_command("load_demo", "--today", "2026-11-23", stdout=StringIO())
    org = Organisation.objects.get(slug="dpab")
    review = selectors.year_review(org, 2026, today=date(2026, 11, 23))
    assert [q.state for q in review.quarters] == ["closed", "closed", "closed", "open"]
    assert len(review.strategic) == 3 and review.teams  # strategic scores, team grid
    assert all(row.cells[0].frozen for row in review.teams)
    assert any(q.notes for q in review.quarters)  # the retrospectives
    sources = dict(review.carried)
    # Leadership keeps the same three strategic objectives for 2027: carried on.
    assert sorted(c.title for c in sources["2026"]) == sorted(
        s.objective.title for s in review.strategic
    )
    assert {c.target for c in sources["2026"]} == {"2027"}
    call_command("load_demo", "--today", "2026-11-23", stdout=StringIO())  # idempotent
    with at_day(date(2026, 11, 23)):
        assert len(dict(selectors.year_review(org, 2026).carried)["2026"]) == 3
