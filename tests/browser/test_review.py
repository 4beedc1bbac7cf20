"""The review page in Chromium on the DPAB demo: meeting mode with the keyboard, print, axe."""

import pytest

from tests.support.browser import ARTIFACTS, serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reviews():
    from okr.models import Review

    return list(Review.objects.filter(organisation__slug="dpab").order_by("date"))


def test_meeting_mode_next_and_previous_with_the_keyboard(page, demo):  # noqa: F811
    from okr.models import Review, ReviewEntry

    last = _reviews()[-1]
    decided = ReviewEntry.objects.filter(review=last).first().text  # whatever the day's review
    sign_in(page, demo, "vilma@dpab.example")
    page.get_by_role("link", name=sv("Review"), exact=True).first.click()
    page.wait_for_url(f"{demo}/dpab/reviews/")
    assert serious_violations(page) == []
    shot(page, "reviews-list")
    page.locator(f"a[href='/dpab/reviews/{last.uuid}/']").first.click()
    page.wait_for_url(f"{demo}/dpab/reviews/{last.uuid}/")
    main = page.locator("main")
    assert decided in main.inner_text()
    # The at-risk list comes before the teams.
    assert main.inner_text().index(sv("At risk")) < main.inner_text().index(sv("Progress per team"))
    assert serious_violations(page) == []
    shot(page, "review-closed")

    page.get_by_role("link", name=sv("Meeting mode"), exact=True).click()
    page.wait_for_url("**?team=*")
    first_url = page.url
    assert page.locator(".site-header").is_hidden()  # one team per screen, nothing else
    heading_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )
    assert heading_size >= 32  # readable on a wall screen
    assert serious_violations(page) == []
    shot(page, "review-meeting-1")
    first_team = page.locator("h1").inner_text()

    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: url != first_url)
    second_url = page.url
    assert page.locator("h1").inner_text() != first_team
    page.keyboard.press("PageDown")
    page.wait_for_url(lambda url: url != second_url)
    third_url = page.url
    shot(page, "review-meeting-3")
    page.keyboard.press("PageUp")
    page.wait_for_url(second_url)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(first_url)
    assert page.locator("h1").inner_text() == first_team
    # On the first team there is no previous: the key does nothing.
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(400)
    assert page.url == first_url
    assert third_url not in (first_url, second_url)
    assert Review.objects.filter(pk=last.pk, state="closed").exists()


def test_keys_typed_into_a_decision_stay_in_the_field(page, demo):  # noqa: F811
    from okr.models import ReviewEntry

    sign_in(page, demo, "vilma@dpab.example")
    # Start the next scheduled review and record a decision in meeting mode.
    page.goto(f"{demo}/dpab/reviews/")
    page.locator("table.review-list tbody tr th a").first.click()
    page.get_by_role("button", name=sv("Start review")).click()
    page.wait_for_url("**/dpab/reviews/*/")
    page.get_by_role("link", name=sv("Meeting mode"), exact=True).click()
    page.wait_for_url("**?team=*")
    url = page.url
    field = page.locator("textarea[name=text]")
    field.fill("Vi flyttar mässan")
    field.press("ArrowLeft")
    field.press("PageDown")
    page.wait_for_timeout(400)
    assert page.url == url
    page.locator(".entry-form button[type=submit]").click()
    page.locator(".review-entries .message-success").wait_for()
    assert ReviewEntry.objects.filter(text="Vi flyttar mässan").exists()
    assert "Vi flyttar mässan" in page.locator(".review-entries").inner_text()
    assert page.url == url  # saved in place
    assert serious_violations(page) == []


def test_meeting_links_work_without_javascript(browser, demo):  # noqa: F811
    last = _reviews()[-1]
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        sign_in(page, demo, "mats@dpab.example")
        page.goto(f"{demo}/dpab/reviews/{last.uuid}/")
        page.get_by_role("link", name=sv("Meeting mode"), exact=True).click()
        page.wait_for_url("**?team=*")
        first = page.url
        page.locator("a[rel=next]").click()
        page.wait_for_url(lambda url: url != first)
        page.locator("a[rel=prev]").click()
        page.wait_for_url(first)
    finally:
        context.close()


def test_print_layout_fits_a4_and_the_page_fits_a_phone(browser, demo):  # noqa: F811
    last = _reviews()[-1]
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, locale="sv-SE"
    )
    page = context.new_page()
    try:
        sign_in(page, demo, "vilma@dpab.example")
        for path in [f"/dpab/reviews/{last.uuid}/", "/dpab/reviews/", "/dpab/quarter-close/"]:
            page.goto(f"{demo}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, overflow)
        shot(page, "phone-quarter-close")
        # A4 portrait less 12 mm margins is about 700 CSS pixels wide.
        page.set_viewport_size({"width": 700, "height": 990})
        page.goto(f"{demo}/dpab/reviews/{last.uuid}/")
        page.emulate_media(media="print")
        assert page.locator(".entry-form, .site-header, .review-header .actions").first.is_hidden()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "review-print.pdf"), format="A4", print_background=True)
        assert pdf[:4] == b"%PDF"
    finally:
        context.close()


def test_quarter_close_and_scheduled_review_pages_have_no_serious_violations(page, demo):  # noqa: F811
    from okr.models import Cycle

    # The last quarter the demo closed (in Q1 that is last year's Q4: okr/demo/story.py).
    closed = (
        Cycle.objects.filter(organisation__slug="dpab", kind="quarter", state="closed")
        .exclude(objectives=None)
        .latest("end_date")
    )
    sign_in(page, demo, "vilma@dpab.example")
    page.get_by_role("link", name=sv("Quarter close")).first.click()
    page.goto(f"{demo}/dpab/quarter-close/?cycle={closed.uuid}")
    assert "Felfri hantering" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    shot(page, "quarter-close-q1")
    page.goto(f"{demo}/dpab/reviews/")
    page.locator("table.review-list tbody tr th a").first.click()
    page.wait_for_url("**/dpab/reviews/**")
    assert serious_violations(page) == []
    shot(page, "review-upcoming")
    page.goto(f"{demo}/dpab/check-ins/")
    assert serious_violations(page) == []
