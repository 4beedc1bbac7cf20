"""Home's team summary shows the first ``SUMMARY_SHOWN`` teams in the organisation's order;
"Show N more teams" brings the rest in place (htmx) or as the page with every team, so home
does not grow with the organisation."""

import re

import pytest
from django.urls import reverse

from okr.objectives.views_home import SUMMARY_SHOWN
from tests.okr.objectives.test_home_cache import team_objective
from tests.support.factories import TeamFactory, year_and_quarter

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EXTRA = 5


@pytest.fixture
def teams(cast):
    _, quarter = year_and_quarter(cast.org)
    made = []
    for index in range(SUMMARY_SHOWN + EXTRA):
        team = TeamFactory(organisation=cast.org, name=f"Lag {index:02}", order=index + 1)
        team_objective(cast, quarter, team, f"Mål {index:02}")
        made.append(team)
    return made


def rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"(?: data-focus-after-swap)?>(Lag \d\d)</th>', page)


def url(**params) -> str:
    base = reverse("okr:home", args=["acme"])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_home_shows_the_first_teams_and_a_way_to_the_rest(teams, member_client):
    page = member_client.get(url()).content.decode()
    assert rows(page) == [f"Lag {i:02}" for i in range(SUMMARY_SHOWN)]
    link = re.search(r'<p class="more-rows no-print"><a ([^>]+)>([^<]+)</a>', page)
    assert link.group(2) == f"Show {EXTRA} more teams"
    assert 'href="/acme/?teams=all#team-summary"' in link.group(1)
    assert 'hx-get="/acme/?teams=all"' in link.group(1)
    assert 'hx-target="#team-summary" hx-swap="outerHTML"' in link.group(1)


def test_every_team_as_a_page_and_in_place(teams, member_client, django_assert_max_num_queries):
    page = member_client.get(url(teams="all")).content.decode()
    assert len(rows(page)) == SUMMARY_SHOWN + EXTRA and "more teams" not in page
    with django_assert_max_num_queries(6):  # only the summary: not mine, nor the strategic OKRs
        response = member_client.get(url(teams="all"), **HTMX)
    fragment = response.content.decode()
    assert fragment.startswith('<div id="team-summary">') and "<html" not in fragment
    assert len(rows(fragment)) == SUMMARY_SHOWN + EXTRA
    # Focus goes to the first team that was not shown, where the link was.
    assert f'<th scope="row" data-focus-after-swap>Lag {SUMMARY_SHOWN:02}</th>' in fragment


def test_a_new_team_shows_in_the_count_at_once(teams, member_client, cast):
    assert "Show 5 more teams" in member_client.get(url()).content.decode()
    _, quarter = year_and_quarter(cast.org)
    team_objective(
        cast, quarter, TeamFactory(organisation=cast.org, name="Lag 99", order=99), "Nytt"
    )
    assert "Show 6 more teams" in member_client.get(url()).content.decode()


def test_few_teams_need_no_link(cast, member_client):
    _, quarter = year_and_quarter(cast.org)
    team_objective(cast, quarter, cast.team, "Ett")
    page = member_client.get(url()).content.decode()
    assert rows(page) == [] and ">Growth</th>" in page and 'class="more-rows' not in page


def test_the_label_is_translated(teams, member_client, cast):
    cast.member.language = "nb"
    cast.member.save(update_fields=["language"])
    assert "Vis 5 team til" in member_client.get(url()).content.decode()


def test_outsiders_and_strangers_get_nothing(teams, outsider_client, client):
    assert outsider_client.get(url(teams="all"), **HTMX).status_code == 404
    assert outsider_client.get(url(teams="all")).status_code == 404
    assert client.get(url(teams="all"), **HTMX).status_code == 302
