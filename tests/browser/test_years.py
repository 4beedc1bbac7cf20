"""The year-end review and next year's drafts in Chromium on the DPAB demo: axe, keyboard, screens."""

import pytest

from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _shot(page, name):
    folder = ARTIFACTS / "years"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _this_year():
    from accounts.models import Organisation
    from okr.lib import calendar

    return calendar.current_fiscal_year(Organisation.objects.get(slug="dpab"))


def test_the_year_review_by_keyboard_on_desktop_and_phone(page, demo):  # noqa: F811
    year = _this_year()
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/strategic/")
    page.get_by_role("link", name=sv("Year-end review %(year)s") % {"year": year}).click()
    page.wait_for_url(f"**/dpab/year-review/?year={year}")
    main = page.locator("main")
    assert sv("Strategic key results") in main.inner_text()
    assert sv("Team scores by quarter") in main.inner_text()
    assert main.locator("table.year-grid tbody tr").count() >= 2  # DPAB's teams
    assert main.locator("table.year-grid .score").count() >= 1  # a closed quarter's scores
    assert serious_violations(page) == []
    _shot(page, "review-desktop")
    # By keyboard: choose another year in the picker and show it.
    page.locator("#year-review-picker").focus()
    page.keyboard.press(
        "ArrowDown" if page.locator("#year-review-picker option").count() > 1 else "Tab"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    chosen = page.locator("#year-review-picker").input_value()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dpab/year-review/?year={chosen}")
    assert page.locator("h1").inner_text().endswith(chosen)
    page.goto(f"{demo}/dpab/year-review/?year={year}")
    page.set_viewport_size(PHONE)
    assert serious_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1  # the wide table scrolls inside its wrapper, not the page
    _shot(page, "review-phone")
    page.emulate_media(media="print")
    assert page.locator(".year-links").is_hidden()
    page.emulate_media(media="screen")


def test_leadership_plans_next_year_with_the_coach_by_keyboard(page, demo):  # noqa: F811
    from okr.models import Objective

    year = _this_year()
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/year-review/?year={year}")
    page.locator(f"a[href='/dpab/next-year/?year={year}']").click()
    page.wait_for_url(f"**/dpab/next-year/?year={year}")
    assert serious_violations(page) == []
    _shot(page, "next-year-desktop")
    if not page.locator("#objective-new-title").count():  # not started yet: start it
        page.locator(".start-form button[type=submit]").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/dpab/next-year/?year={year}")
    title = page.locator("#objective-new-title")
    title.focus()
    page.keyboard.type("Öka försäljningen med 20%")
    page.locator("#objective-new-hints li").first.wait_for()  # the coach speaks up
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dpab/next-year/?year={year}#objective-*")
    draft = Objective.objects.get(title="Öka försäljningen med 20%", cycle__year=year + 1)
    assert draft.status == "draft"
    assert page.locator(f"#objective-{draft.uuid} .badge").inner_text() == sv("Draft")
    assert serious_violations(page) == []
    _shot(page, "next-year-drafted-desktop")
    page.set_viewport_size(PHONE)
    assert serious_violations(page) == []
    _shot(page, "next-year-phone")
