"""The kitchen board in Chromium on the DPAB demo: it turns by itself, reads from afar, passes axe.

Screenshots at 1920x1080 and 1280x720 go to test-artifacts/kiosk/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, demo, serious_violations, sign_in, sv  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"1920x1080": {"width": 1920, "height": 1080}, "1280x720": {"width": 1280, "height": 720}}
FOLDER = ARTIFACTS / "kiosk"


def _secret() -> str:
    from accounts.models import Organisation, User
    from okr.kiosk import services

    org = Organisation.objects.get(slug="dpab")
    admin = User.objects.get(email="vilma@dpab.example")
    return services.board_link_create(organisation=org, author=admin, label="Köket")[1]


def _current(page) -> str:
    return page.locator("[data-kiosk]").get_attribute("data-current") or ""


def _shot(page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"{name}.png"))


def _faded_in(page):
    """Wait until the current screen's fade-in has finished (axe reads colours mid-fade)."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.animationName !== 'kb-fade'"
        " || a.playState === 'finished')",
        timeout=5000,
    )


@pytest.mark.parametrize("size", list(SCREENS))
def test_the_board_turns_by_itself_and_reads_from_across_the_kitchen(browser, demo, size):  # noqa: F811
    secret = _secret()
    context = browser.new_context(viewport=SCREENS[size], locale="en-GB")  # the organisation's
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{demo}/board/{secret}/?seconds=4")
    assert page.locator("html").get_attribute("lang") == "sv"
    board = page.locator("[data-kiosk]")
    assert "Nästa avstämning" in board.text_content()
    # One screen at a time, filling the window: nothing to scroll, nothing to click.
    visible = page.locator("[data-screen]:visible")
    assert visible.count() == 1
    assert page.evaluate("document.documentElement.scrollHeight") <= SCREENS[size]["height"] + 1
    assert page.locator("a, button, input, select, textarea, [tabindex]").count() == 0
    _faded_in(page)
    assert serious_violations(page) == []
    _shot(page, f"{size}-1-vision")
    keys = page.eval_on_selector_all("[data-screen]", "els => els.map(e => e.dataset.screen)")
    assert len(keys) >= 3  # the vision, the strategic OKRs, the teams
    seen = [_current(page)]
    for step in range(1, min(len(keys), 4)):
        page.wait_for_function(
            "previous => document.querySelector('[data-kiosk]').dataset.current !== previous",
            arg=seen[-1],
            timeout=8000,
        )
        seen.append(_current(page))
        _faded_in(page)
        assert page.locator("[data-screen]:visible").count() == 1
        kind = "strategic" if seen[-1].startswith("strategic") else "team"
        _shot(page, f"{size}-{step + 1}-{kind}")
        assert serious_violations(page) == []
        # Large type: the screen's title is readable from a few metres away.
        title = page.locator("[data-screen]:visible h1")
        size_px = page.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)", title.element_handle()
        )
        assert size_px >= (40 if size == "1280x720" else 60)
    assert seen == keys[: len(seen)]  # in order, from the vision on
    # Nothing on the page leads into the app or names a person.
    text = page.locator("body").inner_text()
    assert "vilma" not in text.lower()
    context.close()


def test_the_board_refreshes_its_data_and_a_revoked_link_stops(browser, demo):  # noqa: F811
    from okr.models import BoardLink

    secret = _secret()
    context = browser.new_context(viewport=SCREENS["1280x720"], reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{demo}/board/{secret}/?seconds=30")
    # Less motion: no fading, no running line; the screen is still there.
    assert page.locator(".kb-timer").is_hidden()
    animation = page.evaluate(
        "getComputedStyle(document.querySelector('[data-screen]:not([hidden])')).animationName"
    )
    assert animation == "none"
    # The screen's poll (htmx), as every minute: the same screen stays.
    before = page.locator("[data-kiosk]").get_attribute("data-current")
    with page.expect_response(lambda r: "/board/" in r.url and r.status == 200):
        page.evaluate("htmx.trigger(document.querySelector('[data-kiosk]'), 'every')")
        page.evaluate(
            "htmx.ajax('GET', location.pathname + location.search, "
            "{target: '#kiosk-board', swap: 'innerHTML'})"
        )
    page.wait_for_timeout(300)
    assert page.locator("[data-screen]:visible").count() == 1
    assert page.locator("[data-kiosk]").get_attribute("data-current") == before
    # Revoked: the next poll gets 404 and the screen shows the not-found page.
    BoardLink.objects.filter(organisation__slug="dpab").update(revoked_at="2026-01-01T00:00Z")
    with page.expect_navigation():
        page.evaluate(
            "htmx.ajax('GET', location.pathname + location.search, "
            "{target: '#kiosk-board', swap: 'innerHTML'})"
        )
    assert page.locator("[data-kiosk]").count() == 0
    context.close()


def _crowded_team():
    """A team with more to say than the demo's: three objectives of five long key results."""
    from accounts.models import Organisation
    from okr.models import Cycle, Objective
    from tests.support.factories import ObjectiveFactory, TeamFactory, metric_kr

    org = Organisation.objects.get(slug="dpab")
    quarter = Cycle.objects.filter(organisation=org, kind="quarter").order_by("-start_date")
    quarter = next(q for q in quarter if q.start_date <= _today(org) <= q.end_date)
    team = TeamFactory(organisation=org, name="Kundtjänst och leverans i Norden")
    for o in range(3):
        objective = ObjectiveFactory(
            organisation=org,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team=team,
            title=f"Varje kund får svar samma dag, i alla kanaler och på sitt språk ({o + 1})",
            status=Objective.Status.APPROVED,
        )
        for k in range(5):
            metric_kr(
                objective,
                title=f"Svarstiden i chatten under två minuter för {k + 1}0 % av ärendena",
                target=100,
                unit="%",
            )
    return team


def _today(org):
    from okr.lib import calendar

    return calendar.today(org)


def test_a_crowded_team_still_fits_its_screen(browser, demo):  # noqa: F811
    team = _crowded_team()
    secret = _secret()
    context = browser.new_context(viewport=SCREENS["1280x720"])
    page = context.new_page()
    page.goto(f"{demo}/board/{secret}/?seconds=3")
    page.wait_for_function(
        "key => document.querySelector('[data-kiosk]').dataset.current === key",
        arg=f"{team.uuid}:1",
        timeout=40000,
    )
    page.wait_for_timeout(700)
    fits = page.evaluate(
        "() => { const g = document.querySelector('[data-screen]:not([hidden]) .kb-objectives');"
        " return g.scrollHeight <= g.clientHeight + 1; }"
    )
    _shot(page, "1280x720-crowded-team")
    assert fits
    assert serious_violations(page) == []
    context.close()


def test_an_admin_makes_and_revokes_a_link_by_keyboard(page, demo):  # noqa: F811
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/settings/")
    page.get_by_role("link", name=sv("Kitchen board"), exact=True).click()
    page.wait_for_url(f"{demo}/dpab/settings/kitchen-board/")
    assert serious_violations(page) == []
    field = page.locator("#id_label")
    field.focus()
    page.keyboard.type("Lunchrummet")
    page.keyboard.press("Enter")  # htmx: the new link in place, focus on its heading
    link = page.locator("#new-link")
    link.wait_for()
    url = link.input_value()
    assert "/board/" in url
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'link-new-title'"
    )
    assert serious_violations(page) == []
    _shot(page, "links-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "links-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    # Revoke it (the confirmation accepted): the link stops working.
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.locator("tr", has_text="Lunchrummet")
    row.get_by_role("button", name=sv("Revoke")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo}/dpab/settings/kitchen-board/")
    # The same address before and after: wait for the page that came back, not the URL.
    expect(page.locator("tr", has_text="Lunchrummet").get_by_role("button")).to_have_count(0)
    board = page.context.new_page()
    assert board.goto(url).status == 404
