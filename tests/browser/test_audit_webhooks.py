"""The audit log and the webhook pages in Chromium on the DPAB demo, as Vilma (admin).

By keyboard: the log's filters, then a new webhook endpoint (its secret shown once),
its test event and the delivery log. axe on every page; screenshots at desktop and
phone width into test-artifacts/audit/.
"""

import pytest

from tests.support.browser import serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_audit_log_and_webhooks_by_keyboard(page, browser, demo):
    sign_in(page, demo, "vilma@dpab.example")
    # A change worth recording first: a role, through the members page.
    page.goto(f"{demo}/dpab/settings/webhooks/")
    assert serious_violations(page) == []
    page.get_by_label(sv("Address (URL)")).focus()
    page.keyboard.type("https://hooks.dpab.example/okr")
    page.keyboard.press("Tab")
    page.keyboard.type("Intranätet")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first event: an objective was created
    page.get_by_label(sv("A check-in was recorded")).check()
    page.get_by_role("button", name=sv("Add the webhook")).click()
    secret = page.locator("#webhook-secret").input_value()
    assert secret.startswith("whsec_")
    assert serious_violations(page) == []
    page.get_by_role("button", name=sv("Send a test event")).click()
    assert page.locator("th[scope=row]", has_text="ping").count() == 1
    assert secret not in page.content()  # shown once only
    shot(page, "audit/webhook-desktop")
    page.get_by_role("link", name=sv("All webhooks")).click()
    shot(page, "audit/webhooks-desktop")

    page.goto(f"{demo}/dpab/settings/audit/")
    assert serious_violations(page) == []
    page.get_by_label(sv("What")).focus()
    page.keyboard.press("Tab")  # who
    page.keyboard.press("Tab")  # from
    page.keyboard.type("2000-01-01")
    page.keyboard.press("Enter")
    page.wait_for_url("**/settings/audit/?*")
    assert sv("Webhook added") in page.locator("#audit-list").inner_text()
    assert serious_violations(page) == []
    shot(page, "audit/audit-log-desktop")

    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    phone_page = phone.new_page()
    try:
        sign_in(phone_page, demo, "vilma@dpab.example")
        for path, name in (
            ("settings/audit/", "audit-log-phone"),
            ("settings/webhooks/", "webhooks-phone"),
        ):
            phone_page.goto(f"{demo}/dpab/{path}")
            shot(phone_page, f"audit/{name}")
            width = phone_page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (path, width)
        phone_page.goto(f"{demo}/dpab/settings/webhooks/")
        phone_page.get_by_role("link", name="https://hooks.dpab.example/okr").click()
        shot(phone_page, "audit/webhook-phone")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
    finally:
        phone.close()
