"""The year's grouping without a database: quarter states, team scores per quarter, carry-overs."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from okr.lib import progress
from okr.years import summary

Q_START, Q_END = date(2026, 5, 1), date(2026, 7, 31)


def test_quarter_states():
    assert summary.quarter_state(Q_START, Q_END, closed=True, today=date(2026, 6, 1)) == "closed"
    assert summary.quarter_state(Q_START, Q_END, closed=False, today=date(2026, 8, 1)) == "ended"
    assert summary.quarter_state(Q_START, Q_END, closed=False, today=Q_START) == "open"
    assert summary.quarter_state(Q_START, Q_END, closed=False, today=Q_END) == "open"
    assert summary.quarter_state(Q_START, Q_END, closed=False, today=date(2026, 4, 30)) == "coming"


def test_year_states():
    start, end = date(2026, 5, 1), date(2027, 4, 30)
    assert summary.year_state(start, end, today=date(2027, 5, 1)) == "over"
    assert summary.year_state(start, end, today=date(2026, 12, 6)) == "current"
    assert summary.year_state(start, end, today=date(2026, 4, 30)) == "coming"


def test_team_grid_means_each_quarter_and_leaves_out_teams_without_objectives():
    states = {1: "closed", 2: "closed", 3: "open", 4: "coming"}
    rows = summary.team_grid(
        [(1, "Sälj"), (2, "Marknad"), (3, "Tom")],
        states,
        [(1, 1, 0.7), (1, 1, 0.4), (2, 1, 1.0), (3, 1, 0.35), (2, 2, None), (9, 99, 1.0)],
    )
    assert [r.name for r in rows] == ["Sälj", "Marknad"]
    sales = rows[0]
    assert [c.state for c in sales.cells] == ["closed", "closed", "open", "coming"]
    assert sales.cells[0].value == 0.6  # round_score((0.7 + 0.4) / 2) = 0.55 -> 0.6
    assert sales.cells[0].objectives == 2
    assert sales.cells[2].value == 0.35 and not sales.cells[2].frozen  # progress so far
    assert sales.year_score == 0.8  # frozen quarters only: mean(0.6, 1.0)
    marknad = rows[1]
    assert marknad.cells[1].value is None and marknad.cells[1].objectives == 1  # unmeasured
    assert marknad.year_score is None
    assert marknad.cells[0].colour == ""


def test_carried_groups_by_source_in_the_years_order():
    """Ordered by where they came from: the quarters, then the year (its end is the latest)."""
    items = [
        summary.Carried(
            "B", "Sälj", "Q2 2026/27", "Q3 2026/27", "Draft", (date(2026, 10, 31), "q")
        ),
        summary.Carried("A", "Sälj", "Q1 2026/27", "Q2 2026/27", "Draft", (date(2026, 7, 31), "q")),
        summary.Carried("C", "", "2026/27", "2027/28", "Draft", (date(2027, 4, 30), "year")),
    ]
    groups = summary.carried_by_source(items)
    assert [source for source, _items in groups] == ["Q1 2026/27", "Q2 2026/27", "2026/27"]


scores = st.one_of(st.none(), st.floats(min_value=0, max_value=1))


@settings(deadline=None)  # pure and fast, but the CI cores are shared
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 5), scores),
        max_size=40,
    )
)
def test_every_cell_is_the_engines_mean_of_its_values(values):
    teams = [(t, f"Team {t}") for t in range(1, 6)]
    states = {1: "closed", 2: "closed", 3: "open", 4: "coming"}
    rows = summary.team_grid(teams, states, values)
    assert {row.team_id for row in rows} == {team for _q, team, _v in values}
    for row in rows:
        assert len(row.cells) == 4
        for cell in row.cells:
            found = [v for q, t, v in values if t == row.team_id and q == cell.quarter]
            mean = progress.mean_progress(found)
            assert cell.objectives == len(found)
            if mean is not None and cell.frozen:
                mean = progress.round_score(mean)
            assert cell.value == mean
            if cell.value is not None:
                assert 0.0 <= cell.value <= 1.0
