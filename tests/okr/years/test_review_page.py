"""The year-end review page: its content for a January and a May fiscal year, who sees what, queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from okr.years import selectors
from tests.support.years import STRATEGIC_TITLE, at_day, year_world

pytestmark = pytest.mark.django_db


def url(year=None, slug="acme") -> str:
    base = reverse("okr:year_review", args=[slug])
    return base if year is None else f"{base}?year={year}"


@pytest.fixture
def january(cast):
    with at_day(date(2026, 8, 15)):  # Q3 of fiscal year 2026
        yield year_world(cast.org, 2026)


@pytest.fixture
def may(cast):
    cast.org.fiscal_year_start_month = 5
    cast.org.save()
    with at_day(date(2026, 12, 6)):  # Q3 of fiscal year 2026/27 (Nov-Jan)
        yield year_world(cast.org, 2026)


def test_january_year_summary(cast, january):
    review = selectors.year_review(cast.org, 2026)
    assert review.label == "2026" and review.next_label == "2027"
    assert [q.label for q in review.quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert [q.state for q in review.quarters] == ["closed", "ended", "open", "coming"]
    assert [(q.start, q.end) for q in review.quarters][0] == (date(2026, 1, 1), date(2026, 3, 31))
    assert review.state == "current" and not review.strategic_frozen
    [strategic] = review.strategic
    assert strategic.objective.title == STRATEGIC_TITLE
    assert [kr.value for kr in strategic.key_results] == [0.6, 0.0]  # 12 of 20 MSEK; not done
    first, second = review.teams
    assert first.cells[0].frozen and first.cells[0].value == 0.5  # 5 of 10 customers, frozen
    assert second.cells[0].value == 0.6
    assert first.cells[1].state == "ended" and first.cells[1].value == pytest.approx(0.5)
    # Q3 holds only the carried draft, not approved yet: nothing to show.
    assert first.cells[2].objectives == 0 and first.cells[2].value is None
    assert [n.text for n in review.quarters[0].notes] == ["Vi lärde oss mycket."]
    [(source, carried)] = review.carried
    assert source == "Q1 2026" and carried[0].target == "Q3 2026" and carried[0].team


def test_may_fiscal_year_covers_may_to_april(cast, may):
    review = selectors.year_review(cast.org, 2026)
    assert review.label == "2026/27" and review.next_label == "2027/28"
    assert review.start == date(2026, 5, 1) and review.end == date(2027, 4, 30)
    assert [q.label for q in review.quarters] == [
        "Q1 2026/27",
        "Q2 2026/27",
        "Q3 2026/27",
        "Q4 2026/27",
    ]
    assert [(q.start, q.end) for q in review.quarters][2] == (date(2026, 11, 1), date(2027, 1, 31))
    assert [q.state for q in review.quarters] == ["closed", "ended", "open", "coming"]
    assert review.teams[0].cells[0].value == 0.5
    body = client_for(cast.member).get(url()).content.decode()  # this fiscal year by default
    assert "2026/27" in body and "Q3 2026/27" in body and "Vi lärde oss mycket." in body


def test_everyone_reads_leadership_sees_the_planning_link(cast, may):
    with at_day(date(2026, 12, 6)):
        member = client_for(cast.member).get(url(2026))
        leader = client_for(cast.leader).get(url(2026))
    assert member.status_code == 200 and leader.status_code == 200
    next_year = reverse("okr:next_year", args=["acme"])
    assert next_year not in member.content.decode()
    assert "Start 2027/28" in leader.content.decode() and next_year in leader.content.decode()
    assert STRATEGIC_TITLE in member.content.decode()


def test_outsider_and_anonymous(cast, client, january):
    assert client_for(cast.outsider).get(url(2026)).status_code == 404
    assert client.get(url(2026)).status_code == 302


@pytest.mark.parametrize(
    "raw", ["abc", "-1", "99999999999999999999", "\x00", "%00", "2026%00", "1999", "3000", ""]
)
def test_a_hostile_year_shows_this_year(cast, january, raw):
    with at_day(date(2026, 8, 15)):
        response = client_for(cast.member).get(url() + "?year=" + raw)
    assert response.status_code == 200
    assert "Year-end review" in response.content.decode()


def test_an_empty_year_reads_without_writing(cast):
    with at_day(date(2026, 8, 15)):
        response = client_for(cast.member).get(url(2031))
    assert response.status_code == 200
    assert "No published strategic objectives this year." in response.content.decode()
    assert not cast.org.cycles.filter(year=2031).exists()


def test_links_from_the_strategic_and_close_pages(cast, january):
    with at_day(date(2026, 8, 15)):
        strategic = client_for(cast.member).get(reverse("okr:strategic", args=["acme"]))
        close = client_for(cast.leader).get(reverse("okr:quarter_close", args=["acme"]))
    link = reverse("okr:year_review", args=["acme"])
    assert link in strategic.content.decode()
    assert link in close.content.decode()


def _queries(org, user, teams: int) -> int:
    with at_day(date(2026, 8, 15)):
        year_world(org, 2026, teams=teams)
        client = client_for(user)
        page = url(2026, slug=org.slug)
        assert client.get(page).status_code == 200  # warm the session and the day's numbers
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
    return len(queries)


def test_bounded_queries_whatever_the_number_of_teams(cast):
    """A small organisation (one team) and a bigger one (fifteen) cost the same queries."""
    small = _queries(cast.org, cast.member, 1)
    bigger = _queries(cast.other_org, cast.outsider, 15)
    assert small <= 25
    assert bigger == small


@pytest.mark.parametrize(
    ("language", "heading", "grid"),
    [
        ("sv", "Årsgenomgång", "Teamens poäng per kvartal"),
        ("nb", "Årsgjennomgang", "Teamenes poeng per kvartal"),
        ("en", "Year-end review", "Team scores by quarter"),
    ],
)
def test_the_page_in_each_language(cast, may, language, heading, grid):
    cast.member.language = language
    cast.member.save()
    with at_day(date(2026, 12, 6)):
        body = client_for(cast.member).get(url(2026)).content.decode()
    assert heading in body and grid in body and "Q3 2026/27" in body
