"""Decisions that carry out and key result weights in Chromium on the DPAB demo.

Vilma starts the next review and records a decision with an owner and a due date by
keyboard; the owner sees it on the home page and marks it done; the review's print
shows the open actions. Vilma weighs a key result in Produktion's workshop by keyboard
and every key result shows its share. Axe on every page; screenshots on desktop and
phone in test-artifacts/decisions/ and test-artifacts/weights/.
"""

from datetime import timedelta

import pytest

from tests.support.browser import ARTIFACTS, htmx_idle, serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECISION = "Pär tar fram en plan för sorteringsmaskinen"
PHONE = {"width": 375, "height": 740}


def _dirs():
    for name in ("decisions", "weights"):
        (ARTIFACTS / name).mkdir(parents=True, exist_ok=True)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_decision_with_an_owner_is_carried_out(browser, page, demo):  # noqa: F811
    from accounts.models import Organisation
    from okr.lib import calendar
    from okr.models import ReviewEntry
    from okr.reviews import selectors

    _dirs()
    page.on("dialog", lambda dialog: dialog.accept())
    org = Organisation.objects.get(slug="dpab")
    day = selectors.next_review(org).date
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/reviews/?date={day.isoformat()}")
    earlier = page.locator("section.review-actions")
    assert sv("Open actions from earlier reviews") in earlier.inner_text()
    assert serious_violations(page) == []
    page.locator("form[action$='/reviews/new/'] button[type=submit]").click()
    page.wait_for_url("**/reviews/*/")
    # The decision for Produktion, by keyboard: text, owner, due date, save.
    production = page.locator("section.review-team", has_text="Produktion").first
    form = production.locator("form.entry-form")
    form.locator("textarea[name=text]").focus()
    page.keyboard.type(DECISION)
    form.locator("select[name=owner]").focus()
    form.locator("select[name=owner]").select_option(label="Pär")
    form.locator("input[name=due_date]").focus()
    page.keyboard.type((calendar.today(org) + timedelta(days=30)).isoformat())
    form.locator("input[name=due_date]").press("Enter")
    production.locator(".review-decisions", has_text=DECISION).wait_for()
    entry = ReviewEntry.objects.get(text=DECISION)
    assert entry.owner.email == "par@dpab.example" and entry.due_date is not None
    assert serious_violations(page) == []
    shot(page, "decisions/review-recorded")
    production.locator(".review-entries").screenshot(
        path=str(ARTIFACTS / "decisions/review-recorded-entries.png")
    )
    page.locator("section.review-actions").screenshot(
        path=str(ARTIFACTS / "decisions/review-earlier-actions.png")
    )
    page.emulate_media(media="print")
    shot(page, "decisions/review-print")
    page.locator("section.review-actions").screenshot(
        path=str(ARTIFACTS / "decisions/review-print-actions.png")
    )
    production.locator(".review-entries").screenshot(
        path=str(ARTIFACTS / "decisions/review-print-entries.png")
    )
    assert production.locator(".action-done-form").first.is_hidden()  # no controls on paper
    assert page.locator("section.review-actions").is_visible()
    page.emulate_media(media="screen")

    # Pär sees it on his home page and marks it done with the keyboard.
    context = browser.new_context(locale="sv-SE")
    par = context.new_page()
    try:
        sign_in(par, demo, "par@dpab.example")
        block = par.locator("section.my-actions")
        assert DECISION in block.inner_text()
        assert serious_violations(par) == []
        shot(par, "decisions/home-actions")
        button = block.locator("li", has_text=DECISION).locator("button[type=submit]")
        button.focus()
        par.keyboard.press("Enter")
        par.locator("section.my-actions li", has_text=DECISION).wait_for(state="detached")
        par.locator(".message", has_text=sv("Marked done.")).wait_for()
        assert DECISION not in par.locator("main").inner_text()
        entry.refresh_from_db()
        assert entry.done_at is not None and entry.done_by.email == "par@dpab.example"
    finally:
        context.close()

    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    small = phone.new_page()
    try:
        sign_in(small, demo, "vilma@dpab.example")
        small.goto(f"{demo}/dpab/reviews/{entry.review.uuid}/")
        assert _no_sideways_scroll(small)
        shot(small, "decisions/review-phone")
    finally:
        phone.close()


def test_a_weight_is_edited_in_the_workshop_by_keyboard(browser, page, demo):  # noqa: F811
    from django.utils import timezone

    from accounts.models import Team
    from okr.models import Cycle, KeyResult, Objective

    _dirs()
    today = timezone.localdate()
    quarter = Cycle.objects.get(
        organisation__slug="dpab", kind="quarter", start_date__lte=today, end_date__gte=today
    )
    team = Team.objects.get(organisation__slug="dpab", name="Produktion")
    objective = (
        Objective.objects.filter(team=team, cycle=quarter, status="approved")
        .order_by("order", "id")
        .first()
    )
    krs = list(objective.key_results.filter(archived=False).order_by("order", "id"))
    light = krs[-1]
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/workshop/{team.uuid}/?quarter={quarter.uuid}")
    # The demo weighs one key result double: every key result shows its share.
    assert page.locator(f"#kr-list-{objective.uuid} .kr-weight").count() == len(krs)
    shot(page, "weights/workshop-weighted")
    edit = page.locator(f"#key-result-{light.uuid} a", has_text=sv("Edit"))
    edit.focus()
    page.keyboard.press("Enter")
    weight = page.locator(f"#key-result-{light.uuid} input[name=weight]")
    weight.wait_for()
    htmx_idle(page)  # the form's focus has moved: what is typed now stays in the weight
    weight.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3,5")
    assert serious_violations(page) == []
    shot(page, "weights/workshop-edit")
    page.keyboard.press("Enter")
    weight.wait_for(state="detached")  # the saved key result replaced the form
    page.locator(f"#key-result-{light.uuid} .kr-weight").wait_for()
    light.refresh_from_db()
    assert str(light.weight) == "3.50"
    assert "3,5" in page.locator(f"#key-result-{light.uuid} .kr-weight").inner_text()
    assert Objective.objects.get(pk=objective.pk).status == "approved"  # leadership's change
    assert serious_violations(page) == []
    shot(page, "weights/workshop-saved")
    page.locator(f"#kr-list-{objective.uuid}").screenshot(
        path=str(ARTIFACTS / "weights/workshop-saved-list.png")
    )
    page.goto(f"{demo}/dpab/key-results/{light.uuid}/")
    assert sv("Weight").lower() in page.locator("main dl.facts").first.inner_text().lower()
    shot(page, "weights/key-result")
    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    small = phone.new_page()
    try:
        sign_in(small, demo, "vilma@dpab.example")
        small.goto(f"{demo}/dpab/workshop/{team.uuid}/?quarter={quarter.uuid}")
        assert _no_sideways_scroll(small)
        shot(small, "weights/workshop-phone")
        small.goto(f"{demo}/dpab/strategic/")
        shot(small, "weights/strategic-phone")
    finally:
        phone.close()
    assert KeyResult.objects.filter(objective=objective).exclude(weight=1).exists()
