"""Personal OKRs in Chromium on the DPAB demo (the pilot on): Per writes his own by keyboard.

axe-core finds no serious or critical violation on My OKRs (desktop and phone) or in the
tree with the third level open; screenshots go to test-artifacts/personal/.
"""

import pytest

from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TITLE = "Öka min försäljning med 20%"  # a number in an objective: the coach speaks up


def _shot(page, name):
    folder = ARTIFACTS / "personal"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_per_writes_a_personal_objective_by_keyboard(page, demo):  # noqa: F811
    from okr.models import Objective

    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, demo, "per@dpab.example")
    (ARTIFACTS / "personal").mkdir(parents=True, exist_ok=True)
    # From home: his personal OKRs beside his key results, and the way to My OKRs.
    assert sv("My personal OKRs") in page.locator("main").inner_text()
    page.locator("#mine-heading").locator("xpath=..").screenshot(
        path=str(ARTIFACTS / "personal" / "home-mine-desktop.png")
    )
    page.get_by_role("link", name=sv("My OKRs"), exact=True).click()
    page.wait_for_url(f"{demo}/dpab/my-okrs/")
    assert page.locator("article.personal-objective").count() == 2
    assert serious_violations(page) == []
    _shot(page, "my-okrs-desktop")

    # By keyboard: the title (the coach's advice as he types), the parent, why, submit.
    page.locator("#personal-new-title").focus()
    page.keyboard.type(TITLE)
    page.locator("#personal-new-hints li").first.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "personal-new-parent"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "personal-new-why"
    page.keyboard.type("Jag vill prova individuella OKRer.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo}/dpab/my-okrs/#objective-*")
    created = Objective.objects.get(title=TITLE)
    assert created.level == "personal" and created.owner.email == "per@dpab.example"
    assert page.locator("article.personal-objective").count() == 3

    # A key result under it, by keyboard: open "add a key result" and fill the form.
    card = page.locator(f"#objective-{created.uuid}")
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    card.locator(f"#personal-kr-{created.uuid}-title").focus()
    page.keyboard.type("20 nya kunder")
    card.locator(f"#personal-kr-{created.uuid}-start_value").fill("0")
    card.locator(f"#personal-kr-{created.uuid}-target_value").fill("20")
    card.locator("form.kr-form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert created.key_results.get().owner.email == "per@dpab.example"

    page.set_viewport_size(PHONE)
    page.goto(f"{demo}/dpab/my-okrs/")
    assert serious_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    _shot(page, "my-okrs-phone")
    assert problems == []


def test_the_tree_shows_them_as_a_third_level_collapsed(page, demo):  # noqa: F811
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/alignment/?expand=all")
    details = page.locator("details.personal-okrs")
    assert details.count() >= 1
    first = details.first
    assert first.get_attribute("open") is None  # collapsed by default
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("open") is not None
    assert first.locator("li.personal-objective").count() >= 1
    assert serious_violations(page) == []
    node = first.locator("xpath=ancestor::li[1]")  # the team objective or key result above
    node.screenshot(path=str(ARTIFACTS / "personal" / "tree-node-desktop.png"))
    _shot(page, "tree-desktop")
    page.set_viewport_size(PHONE)
    node.screenshot(path=str(ARTIFACTS / "personal" / "tree-node-phone.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
