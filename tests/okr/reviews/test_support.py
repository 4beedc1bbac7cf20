"""The review builders (tests/support/reviews.py) build the world their docstring describes."""

from datetime import date

import pytest

from tests.support.reviews import build


@pytest.mark.django_db
def test_the_world_is_as_the_docstring_says(cast):
    from okr.reviews import selectors as sel

    w = build(cast)
    cadence = sel.schedule_of(cast.org).cadence
    assert cadence.between(w.q1.start_date, w.q1.end_date) == [
        date(2026, 1, 5),
        date(2026, 1, 19),
        date(2026, 2, 2),
        date(2026, 2, 16),
        date(2026, 3, 2),
        date(2026, 3, 16),
        date(2026, 3, 30),
    ]
    assert {o.status for o in w.objectives.values()} == {"approved", "draft"}
