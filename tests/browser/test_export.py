"""Exporting DPAB in Chromium: Vilma (admin) finds "Export everything" in the settings by
keyboard, downloads the document, and it is the whole organisation; the download is in the
audit log. axe on the page; desktop and phone width; screenshots under test-artifacts/export/.
"""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEvent, Organisation
from okr.models import Objective
from tests.support.browser import serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_an_admin_downloads_everything_by_keyboard(page, browser, demo, tmp_path):
    sign_in(page, demo, "vilma@dpab.example")
    page.goto(f"{demo}/dpab/settings/")
    page.locator("nav.settings-nav").get_by_role("link", name=sv("Export everything")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo}/dpab/settings/export/")
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Export everything"))
    assert serious_violations(page) == []
    shot(page, "export/export-desktop")

    link = page.get_by_role("link", name=sv("Download everything (JSON)"))
    link.focus()
    with page.expect_download() as arrived:
        page.keyboard.press("Enter")
    download = arrived.value
    assert download.suggested_filename.endswith(".json"), download.suggested_filename
    path = tmp_path / "dpab.json"
    download.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    # The whole organisation, and none of its secrets.
    org = Organisation.objects.get(slug="dpab")
    assert org.name in text
    for objective in Objective.objects.filter(organisation=org)[:20]:
        assert objective.title in text
    assert "pbkdf2_" not in text and "password" not in json.dumps(list(document))
    event = AuditEvent.objects.get(organisation=org, action="export.downloaded")
    assert event.actor.email == "vilma@dpab.example"

    phone = browser.new_context(viewport=PHONE, locale="sv-SE")
    phone_page = phone.new_page()
    try:
        sign_in(phone_page, demo, "vilma@dpab.example")
        phone_page.goto(f"{demo}/dpab/settings/export/")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        assert serious_violations(phone_page) == []
        shot(phone_page, "export/export-phone")
    finally:
        phone.close()


def test_a_member_has_no_export_in_the_settings(page, demo):
    """Per is a member: the page refuses him (403 page), no download is logged."""
    sign_in(page, demo, "per@dpab.example")
    response = page.goto(f"{demo}/dpab/settings/export/")
    assert response.status == 403
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
