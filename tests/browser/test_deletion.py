"""Deleting DPAB in Chromium: Vilma types the name by keyboard (a wrong one first), the banner
on every page (Per sees it without the undo button), then Vilma undoes it from the banner.
axe on each page; desktop and phone width; screenshots under test-artifacts/deletion/.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.support.browser import serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NAME = "Digital Posthantering AB"


def test_delete_by_typing_the_name_see_the_banner_and_undo(page, browser, demo):
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/settings/")
    page.locator("nav.settings-nav").get_by_role("link", name=sv("Delete organisation")).click()
    page.wait_for_url(f"{demo}/dpab/settings/delete/")
    assert serious_violations(page) == []
    field = page.get_by_label(sv("The organisation's name"))
    # A wrong name: the message, and the typed text kept.
    field.focus()
    page.keyboard.type("Digital posthantering")
    page.keyboard.press("Enter")
    error = sv("Type the organisation's name exactly as it is written: %(name)s") % {"name": NAME}
    expect(page.locator(".errorlist")).to_contain_text(error)
    assert page.get_by_label(sv("The organisation's name")).input_value() == "Digital posthantering"
    assert serious_violations(page) == []
    shot(page, "deletion/wrong-name-desktop")
    # The right one, by keyboard.
    field = page.get_by_label(sv("The organisation's name"))
    field.fill("")
    field.focus()
    page.keyboard.type(NAME)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the delete button
    expect(page.locator("#deletion-pending")).to_be_visible()
    org = Organisation.objects.get(slug="dpab")
    assert org.deletion_pending
    banner = page.locator("#deletion-banner")
    expect(banner).to_contain_text(sv("Until then it works as usual."))
    assert serious_violations(page) == []
    shot(page, "deletion/requested-desktop")
    page.goto(f"{demo}/dpab/")
    expect(page.locator("#deletion-banner")).to_be_visible()
    assert serious_violations(page) == []
    shot(page, "deletion/home-banner-desktop")

    # Per, a member, sees the banner on his pages, on a phone, without the undo button.
    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    per = phone.new_page()
    try:
        sign_in(per, demo, "per@dpab.example")
        expect(per.locator("#deletion-banner")).to_be_visible()
        assert per.locator("#deletion-banner button").count() == 0
        width = per.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert serious_violations(per) == []
        shot(per, "deletion/home-banner-phone")
    finally:
        phone.close()

    # Vilma undoes it from the banner on the home page.
    page.locator("#deletion-banner").get_by_role("button", name=sv("Undo the deletion")).click()
    page.wait_for_url(f"{demo}/dpab/settings/delete/")
    expect(page.locator("main")).to_contain_text(
        sv("The deletion is undone: the organisation stays.")
    )
    assert page.locator("#deletion-banner").count() == 0
    assert not Organisation.objects.get(slug="dpab").deletion_pending
    shot(page, "deletion/undone-desktop")
