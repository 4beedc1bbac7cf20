"""Search in Chromium on the DPAB demo: "/" from any page, live results, Enter opens one; axe."""

import re

import pytest

from tests.support.browser import ARTIFACTS, serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_RESULT = "10 nya norska kunder innan året är slut"


def test_slash_then_type_then_enter_by_keyboard(page, demo):
    sign_in(page, demo, "vilma@dpab.example")
    (ARTIFACTS / "search").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search" / "header-desktop.png"))
    # "/" from anywhere on a page (not while typing) lands in the header's field.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("norska")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo}/dpab/search/?q=norska")
    results = page.locator("#search-results")
    assert page.locator("#search-results mark").first.inner_text().lower().startswith("norsk")
    assert serious_violations(page) == []
    shot(page, "search/search-desktop")

    # On the results page "/" picks the page's own field; typing updates the results live.
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("nya norska kund innan")
    page.wait_for_url(re.compile(r".*q=nya(\+|%20)norska(\+|%20)kund(\+|%20)innan$"))
    page.wait_for_function(
        "[...document.querySelectorAll('#search-results .search-hit-title')]"
        ".every(a => a.textContent.includes('innan'))"
    )
    assert page.evaluate("document.activeElement.id") == "search-q"  # typing goes on
    assert KEY_RESULT in results.inner_text()
    first = page.locator("#search-results .search-hit-title").first
    title, href = first.inner_text(), first.get_attribute("href")
    # Tab past the button to the first result, Enter opens it.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "search-hit-title"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo}{href}")
    assert page.locator("h1").inner_text() == title


def test_nothing_found_and_the_phone(browser, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()
    try:
        sign_in(page, demo, "per@dpab.example")
        field = page.locator("#site-search-q")
        assert field.is_visible()
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # inside the screen
        # The top of the home page: the field in a row of its own under the name and menus.
        (ARTIFACTS / "search").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "search" / "header-phone.png"))
        page.goto(f"{demo}/dpab/search/?q=norska+kund")
        assert serious_violations(page) == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width} px)"
        shot(page, "search/search-phone")
        page.goto(f"{demo}/dpab/search/?q=zzzqqq")
        assert sv("Search") in page.locator("h1").inner_text()
        assert "zzzqqq" in page.locator("[role=status]").inner_text()
        assert serious_violations(page) == []
        shot(page, "search/nothing-found-phone")
    finally:
        context.close()
