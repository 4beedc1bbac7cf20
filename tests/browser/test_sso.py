"""Single sign-on in Chromium on the DPAB demo, against the real provider process on 127.0.0.1.

Vilma sets up DPAB's provider by keyboard and tests it; Per then signs in through it
from the sign-in page: his e-mail, the provider (which approves him at once), and
back on DPAB's home page. axe on both pages; screenshots at desktop and phone width.
"""

import pytest
from playwright.sync_api import expect

from tests.support.browser import serious_violations, shot, sign_in, sv
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def oidc():
    provider = OidcProvider()
    yield provider
    provider.stop()


def test_the_admin_sets_up_sso_and_a_member_signs_in_through_it(page, browser, demo, oidc):
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/settings/sso/")
    assert page.locator("nav.settings-nav [aria-current=page]").inner_text() == sv("Single sign-on")
    assert serious_violations(page) == []
    # By keyboard: each field in turn.
    page.get_by_label(sv("Issuer URL")).focus()
    page.keyboard.type(oidc.issuer)
    page.keyboard.press("Tab")
    page.keyboard.type(CLIENT_ID)
    page.keyboard.press("Tab")
    page.keyboard.type(CLIENT_SECRET)
    page.keyboard.press("Tab")
    page.keyboard.type("dpab.example")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # single sign-on on
    assert page.get_by_label(sv("Single sign-on is on")).is_checked()
    page.get_by_role("button", name=sv("Test the provider")).click()
    assert sv("The provider test passed.") in page.locator("#sso-test-result").inner_text()
    # The test keeps the typed settings but never the secret.
    assert page.get_by_label(sv("Client secret")).input_value() == ""
    page.get_by_label(sv("Client secret")).fill(CLIENT_SECRET)
    page.get_by_role("button", name=sv("Save single sign-on")).click()
    page.wait_for_url(f"{demo}/dpab/settings/sso/")
    assert sv("The single sign-on settings were saved.") in page.content()
    assert CLIENT_SECRET not in page.content()
    assert serious_violations(page) == []
    shot(page, "sso/settings-desktop")
    phone = browser.new_context(viewport=PHONE, locale="sv-SE", storage_state=None)
    phone_page = phone.new_page()
    try:
        sign_in(phone_page, demo, "vilma@dpab.example")
        phone_page.goto(f"{demo}/dpab/settings/sso/")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width  # nothing wider than the screen
        shot(phone_page, "sso/settings-phone")
    finally:
        phone.close()

    # Per signs in through DPAB's provider.
    oidc.set(email="per@dpab.example")
    per = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    per_page = per.new_page()
    try:
        per_page.goto(f"{demo}/accounts/login/")
        shot(per_page, "sso/login-desktop")
        per_page.get_by_role("link", name=sv("Sign in with single sign-on (SSO)")).click()
        per_page.wait_for_url(f"{demo}/accounts/sso/")
        assert serious_violations(per_page) == []
        shot(per_page, "sso/sign-in-desktop")
        per_page.get_by_label(sv("Work e-mail")).fill("per@dpab.example")
        per_page.keyboard.press("Enter")
        per_page.wait_for_url(f"{demo}/dpab/")
        assert "per@dpab.example" not in per_page.url
    finally:
        per.close()


def test_the_sign_in_page_on_a_phone_and_a_clear_message(browser, demo):
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(f"{demo}/accounts/sso/")
        page.get_by_label(sv("Work e-mail")).fill("someone@nowhere.example")
        page.keyboard.press("Enter")
        message = sv(
            "Single sign-on is not set up for this e-mail address. Sign in with your "
            "password instead."
        )
        # The answer is a new page: wait for its message, not for the old page's load state.
        expect(page.locator("main")).to_contain_text(message)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert serious_violations(page) == []
        shot(page, "sso/sign-in-phone")
    finally:
        context.close()
