"""The alignment tree in Debian's Chromium on the DPAB demo: lazy expand, the dependency flag, axe."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORWAY = "Marknadstest i Norge"
MATERIAL = "Leverera det marknadsmaterial som behövs för säljtester i Norge"
CATALOGUE = "Produktkatalog på norska till tryck senast 15/3"


def test_vilma_expands_marknad_lazily_and_sees_the_late_dependency(page, demo):  # noqa: F811
    sign_in(page, demo, "vilma@dpab.example")
    page.get_by_role("link", name=sv("Alignment"), exact=True).click()
    page.wait_for_url(f"{demo}/dpab/alignment/")
    tree_url = page.url

    norway = page.locator("li.strategic-objective").filter(
        has=page.get_by_role("heading", name=NORWAY)
    )
    toggle = norway.locator("a.toggle", has_text="Marknad")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert MATERIAL not in page.locator("main").inner_text()  # collapsed to teams

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    objective = norway.locator("li.team-objective", has_text=MATERIAL)
    expect(objective).to_be_visible()
    assert page.url == tree_url  # fetched in place, not a new page
    # Focus moves back to the toggle once htmx has settled the swap (static/js/app.js).
    for _ in range(40):
        if page.evaluate("document.activeElement.classList.contains('toggle')"):
            break
        page.wait_for_timeout(50)
    assert page.evaluate("document.activeElement.classList.contains('toggle')")

    catalogue = objective.locator("li.team-kr", has_text=CATALOGUE)
    flag = catalogue.locator(".dependency-badge.is-late")
    expect(flag).to_be_visible()
    assert "Försäljning" in flag.inner_text()
    # The link kind is written out, not only drawn.
    expect(objective.locator(".link-kind").first).to_be_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tree.png"), full_page=True)
    assert serious_violations(page) == []

    # Collapse again, with the keyboard.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(norway.locator("li.team-objective", has_text=MATERIAL)).to_have_count(0)


def test_print_view_and_dependencies_page_on_a_phone(browser, demo):  # noqa: F811
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    page = context.new_page()
    try:
        sign_in(page, demo, "fredrika@dpab.example")
        for path in ["/dpab/alignment/?expand=all", "/dpab/alignment/dependencies/"]:
            page.goto(f"{demo}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, overflow)
            assert serious_violations(page) == [], path
        page.goto(f"{demo}/dpab/alignment/?expand=all")
        assert MATERIAL in page.locator("main").inner_text()
        page.screenshot(path=str(ARTIFACTS / "tree-phone-print-view.png"), full_page=True)
    finally:
        context.close()


def test_a_large_node_shows_its_first_teams_and_the_rest_in_place_by_keyboard(page, demo):  # noqa: F811
    """The collapsed tree shows at most GROUPS_SHOWN teams under a node: "Show N more teams"
    brings the rest in place, focus moves to the first one that came, and axe is content."""
    from accounts.models import Organisation
    from alignment.render_context import GROUPS_SHOWN
    from okr.models import KeyResult
    from tests.support.factories import ObjectiveFactory, TeamFactory

    org = Organisation.objects.get(slug="dpab")
    kr = KeyResult.objects.filter(organisation=org, objective__level="strategic").first()
    for index in range(GROUPS_SHOWN + 2):
        team = TeamFactory(organisation=org, name=f"Lag {index:02}", order=100 + index)
        ObjectiveFactory(
            organisation=org,
            level="team",
            team=team,
            title=f"Lagets mål {index:02}",
            parent_key_result=kr,
            status="approved",
        )
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/alignment/")
    tree_url = page.url
    node = page.locator(f"#n-{kr.uuid}")
    groups = page.locator(f'li.team-group[id^="g-{kr.uuid}-"]')
    expect(groups).to_have_count(GROUPS_SHOWN)
    more = page.locator(f"#more-{kr.uuid} a")
    label = more.inner_text()
    assert label.startswith("Visa ") and label.endswith(" team till"), label
    hidden = int(label.split()[1])

    more.focus()
    page.keyboard.press("Enter")
    expect(groups).to_have_count(GROUPS_SHOWN + hidden)
    assert page.url == tree_url  # in place, not a new page
    # Focus moves to the first team that came (the link followed is gone with the swap).
    first_new = page.locator(f"#more-{kr.uuid} li.team-group a").first
    expect(first_new).to_be_focused()
    expect(first_new).to_have_attribute("data-focus-after-swap", "")
    assert "Lagets mål" not in node.inner_text()  # the teams came collapsed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tree-show-more.png"), full_page=True)
    assert serious_violations(page) == []
