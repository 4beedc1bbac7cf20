"""Home's team summary in Debian's Chromium: the first teams, then the rest in place by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_rest_of_the_teams_come_in_place_and_take_the_focus(page, demo):  # noqa: F811
    from accounts.models import Organisation
    from okr.lib import calendar
    from okr.models import Cycle
    from okr.objectives import services
    from okr.objectives.views_home import SUMMARY_SHOWN
    from tests.support.factories import TeamFactory

    org = Organisation.objects.get(slug="dpab")
    today = calendar.today(org)
    quarter = Cycle.objects.get(
        organisation=org, kind="quarter", start_date__lte=today, end_date__gte=today
    )
    for index in range(SUMMARY_SHOWN + 3):
        services.objective_create(
            organisation=org,
            cycle=quarter,
            level="team",
            team=TeamFactory(organisation=org, name=f"Lag {index:02}", order=100 + index),
            title=f"Lagets mål {index:02}",
            status="approved",
        )
    sign_in(page, demo, "vilma@dpab.example")
    rows = page.locator("#team-summary tbody tr")
    expect(rows).to_have_count(SUMMARY_SHOWN)
    more = page.locator("#team-summary .more-rows a")
    hidden = int(more.inner_text().split()[1])
    assert more.inner_text() == f"Visa {hidden} team till"

    more.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(SUMMARY_SHOWN + hidden)
    assert page.url.endswith("/dpab/")  # in place
    expect(page.locator("#team-summary .more-rows")).to_have_count(0)
    expect(rows.nth(SUMMARY_SHOWN).locator("th")).to_be_focused()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-all-teams.png"), full_page=True)
    assert serious_violations(page) == []
