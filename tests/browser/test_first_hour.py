"""The first hour in Chromium: languages that stick, dates and date inputs, a new organisation.

Screenshots in test-artifacts/ (first-hour-*) show each step in Swedish, Norwegian
bokmål and English.
"""

import re

import pytest
from django.core import mail
from django.utils import translation

from accounts.demo import DEMO_PASSWORD
from tests.support.browser import ARTIFACTS, serious_violations, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def english_browser(browser, **extra):
    return browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", **extra
    ).new_page()


def test_english_chosen_on_the_sign_in_page_sticks(browser, demo):
    from accounts.models import User

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE").new_page()
    page.goto(f"{demo}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label(t("sv", "Language")).select_option("en")
    with page.expect_navigation():  # the answer, not the page before it
        page.get_by_role("button", name=t("sv", "Change")).click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("E-mail").fill("per@dpab.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{demo}/dpab/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert User.objects.get(email="per@dpab.example").language == "en"
    shot(page, "first-hour-home-per-en")
    page.goto(f"{demo}/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "en"
    # Switching to Norwegian: the page and its message are Norwegian at once.
    page.get_by_label("Language").select_option("nb")
    with page.expect_navigation():  # the answer, not the page before it
        page.locator("main button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "nb"
    assert t("nb", "Your profile was saved.") in page.locator("main").inner_text()
    assert "Select an option" not in page.content()
    shot(page, "first-hour-profile-saved-nb")
    page.context.close()


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_dates_and_date_inputs_in_each_language(browser, demo, language):
    """Under an English browser: the page's language decides, also in the date input."""
    from accounts.models import User

    User.objects.filter(email="vilma@dpab.example").update(language=language)
    page = english_browser(browser)
    page.goto(f"{demo}/accounts/login/")
    page.locator("input[name=username]").fill("vilma@dpab.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{demo}/dpab/")
    page.goto(f"{demo}/dpab/reviews/")
    text = page.locator("main").inner_text()
    months = {
        "sv": r"\b\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b",
        "nb": r"\b\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b",
        "en": r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b",
    }
    assert re.search(months[language], text), text[:400]
    day_input = page.locator("input.input-day").first
    assert day_input.get_attribute("type") == "text"
    assert day_input.get_attribute("placeholder") == t(language, "YYYY-MM-DD")
    day_input.scroll_into_view_if_needed()
    shot(page, f"first-hour-reviews-{language}")
    ARTIFACTS.mkdir(exist_ok=True)
    day_input.locator("xpath=ancestor::form[1]").screenshot(
        path=str(ARTIFACTS / f"first-hour-date-input-{language}.png")
    )
    page.context.close()


def test_sign_up_confirms_the_address_and_the_new_home_lists_the_first_steps(browser, demo):
    from accounts.models import Organisation

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO").new_page()
    page.goto(f"{demo}/accounts/register/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert serious_violations(page) == []
    shot(page, "first-hour-register-nb")
    page.locator("input[name=name]").fill("Nora Nilsen")
    page.locator("input[name=email]").fill("nora@nora.example")
    page.locator("input[name=password]").fill("en lang nok passordfrase")
    page.locator("input[name=organisation]").fill("Nora AS")
    page.locator("select[name=timezone]").select_option("Europe/Oslo")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{demo}/accounts/register/sent/")
    assert "nora@nora.example" in page.locator("main").inner_text()
    assert not Organisation.objects.filter(slug="nora-as").exists()
    shot(page, "first-hour-register-sent-nb")

    (message,) = [m for m in mail.outbox if m.to == ["nora@nora.example"]]
    link = re.search(r"https?://[^/\s]+(/accounts/register/confirm/\S+/)", message.body).group(1)
    page.goto(f"{demo}{link}")
    page.wait_for_url(f"{demo}/nora-as/")
    assert page.locator("html").get_attribute("lang") == "nb"
    checklist = page.locator(".first-steps")
    assert checklist.is_visible()
    assert checklist.locator(".first-step").count() == 5
    assert serious_violations(page) == []
    shot(page, "first-hour-new-home-nb")

    # The first step: the vision and mission, from the checklist's link.
    checklist.get_by_role("link", name=t("nb", "Write the vision and mission")).click()
    page.wait_for_url(f"{demo}/nora-as/settings/")
    page.locator("textarea[name=vision]").fill("Post uten papir")
    page.locator("textarea[name=mission]").fill("Den foretrukne partneren")
    with page.expect_response(lambda r: r.request.method == "POST"):  # saved, then home
        page.locator("main form button[type=submit]").first.click()
    page.goto(f"{demo}/nora-as/")
    assert page.locator(".first-step.is-done").count() == 1
    shot(page, "first-hour-new-home-one-done-nb")
    page.context.close()
