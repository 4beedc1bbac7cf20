"""Chat notifications in Chromium on the DPAB demo, as Vilma (admin): a Slack channel added by
keyboard (kind, URL, events), shown masked, a test message, turned off. axe on every state;
screenshots at desktop and phone width into test-artifacts/chat/.
"""

import pytest
from playwright.sync_api import expect

from tests.support.browser import serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
URL = "https://hooks.slack.com/services/T0DPAB/B0OKR/hemlighemlig42"


def test_chat_notifications_by_keyboard(page, browser, demo):
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/settings/chat/")
    assert serious_violations(page) == []
    page.get_by_label(sv("Incoming-webhook URL")).focus()
    page.keyboard.type(URL)
    page.keyboard.press("Tab")  # whose events: the whole organisation
    page.keyboard.press("Tab")  # the first event
    page.keyboard.press("Space")  # check-in reminders off
    page.get_by_role("button", name=sv("Add the channel")).focus()
    page.keyboard.press("Enter")
    # The answer is the same address: wait for what it shows, not for the URL.
    table = page.locator("table.settings-table")
    expect(table).to_contain_text("…ig42")
    assert "hemlighemlig" not in page.content()
    assert serious_violations(page) == []
    page.get_by_role("button", name=sv("Send a test message")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message").first).to_be_visible()
    shot(page, "chat/chat-desktop")
    assert serious_violations(page) == []

    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    phone_page = phone.new_page()
    try:
        sign_in(phone_page, demo, "vilma@dpab.example")
        phone_page.goto(f"{demo}/dpab/settings/chat/")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1
        assert serious_violations(phone_page) == []
        shot(phone_page, "chat/chat-phone")
    finally:
        phone.close()

    from okr.models import ChatHook

    hook = ChatHook.objects.get(organisation__slug="dpab")
    assert "check_in.reminder" not in hook.events and hook.team is None
