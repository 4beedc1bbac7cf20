"""The README's pictures: each main page of the DPAB demo, as the person who uses it, in Chromium.

Every picture goes to test-artifacts/; with UPDATE_SCREENSHOTS=1 in the
environment also to docs/screenshots/, which the README shows:

    UPDATE_SCREENSHOTS=1 make test PYTEST_ARGS=tests/browser/test_screenshots.py

Each page must answer 200 and have no serious or critical axe-core violations,
so a picture never shows an error page. The pages are Swedish (the demo
users'), the home page also in Norwegian bokmål and English (the user's own
language), and "my check-ins" also on a phone.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def save(page, name: str, *, height: int | None = None) -> None:
    """The picture in test-artifacts/, and in docs/screenshots/ when asked to update them.

    The window as it opens; with ``height``, the page's top that tall (a chart
    below the fold), never the whole of a long page.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"screenshot-{name}.png"
    clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height}
    page.screenshot(
        path=str(path),
        full_page=height is not None,
        clip=clip if height else None,
        animations="disabled",
    )
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")


def this_years(queryset, cycle="cycle", **lookups):
    """The row of the current fiscal year (in Q1 and Q4 the demo holds another year's too)."""
    today = timezone.localdate()
    return queryset.get(
        **{f"{cycle}__start_date__lte": today, f"{cycle}__end_date__gte": today}, **lookups
    )


def demo_rows():
    from accounts.models import Team
    from okr.models import KeyResult, Objective, Review

    last_review = (
        Review.objects.filter(organisation__slug="dpab", state="closed").order_by("date").last()
    )
    return {
        "objective": this_years(Objective.objects, title="Leverera branschens bästa upplevelse"),
        "key_result": this_years(KeyResult.objects, "objective__cycle", title="5% churn"),
        "marknad": Team.objects.get(organisation__slug="dpab", name="Marknad"),
        "review": last_review,
    }


class Visit:
    """One person's browser: visits pages, checks each, keeps what went wrong."""

    def __init__(self, browser, base, email, problems, *, language="sv", viewport=DESKTOP, **more):
        # The browser is Swedish whatever the user's language: the page follows the user.
        self.context = browser.new_context(viewport=viewport, locale="sv-SE", **more)
        self.page = self.context.new_page()
        self.base = base
        self.problems = problems
        self.language = language
        sign_in(self.page, base, email)

    def check(self, name: str, *, down_to: str | None = None) -> None:
        """Axe, then the picture: the window, or the page's top down to the element ``down_to``."""
        page = self.page
        page.wait_for_load_state("networkidle")
        height = None
        if down_to:
            box = page.locator(down_to).first.bounding_box()  # the window is at the top
            height = round(box["y"] + box["height"]) + 24
        if (lang := page.locator("html").get_attribute("lang")) != self.language:
            self.problems[f"{name} lang"] = lang
        if violations := serious_violations(page):
            self.problems[name] = violations
        save(page, name, height=height)

    def shoot(self, name: str, path: str, *, down_to: str | None = None):
        response = self.page.goto(f"{self.base}{path}")
        if response.status != 200:
            self.problems[f"{name} status"] = response.status
        self.check(name, down_to=down_to)
        return self.page

    def close(self):
        self.context.close()


def test_screenshots_of_the_main_pages(browser, demo):
    from accounts.models import User

    rows = demo_rows()
    problems: dict[str, object] = {}

    vilma = Visit(browser, demo, "vilma@dpab.example", problems)
    vilma.shoot("home", "/dpab/")
    vilma.shoot("strategic", "/dpab/strategic/")
    vilma.shoot("approvals", "/dpab/approvals/")
    vilma.shoot("alignment", "/dpab/alignment/")
    page = vilma.shoot("review", f"/dpab/reviews/{rows['review'].uuid}/")
    page.get_by_role("link", name=sv("Meeting mode"), exact=True).click()
    page.wait_for_url("**?team=*")
    vilma.check("meeting-mode")
    vilma.shoot("quarter-close", "/dpab/quarter-close/")
    vilma.shoot("settings", "/dpab/settings/")
    vilma.shoot("kick-off", "/dpab/kick-off/")
    vilma.close()

    mats = Visit(browser, demo, "mats@dpab.example", problems)
    mats.shoot("workshop", f"/dpab/workshop/{rows['marknad'].uuid}/")
    mats.close()

    pernilla = Visit(browser, demo, "pernilla@dpab.example", problems)
    pernilla.shoot("objective", f"/dpab/objectives/{rows['objective'].uuid}/")
    pernilla.shoot(
        "key-result", f"/dpab/key-results/{rows['key_result'].uuid}/", down_to=".chart-figure"
    )
    pernilla.close()

    per = Visit(browser, demo, "per@dpab.example", problems)
    per.shoot("check-ins", "/dpab/check-ins/")
    per.close()
    phone = Visit(
        browser, demo, "per@dpab.example", problems, viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.shoot("check-ins-phone", "/dpab/check-ins/")
    phone.close()

    # The home page in the user's own language, whatever the browser's.
    for language, email in [("nb", "par@dpab.example"), ("en", "fredrika@dpab.example")]:
        User.objects.filter(email=email).update(language=language)
        visit = Visit(browser, demo, email, problems, language=language)
        visit.shoot(f"home-{language}", "/dpab/")
        visit.close()

    assert problems == {}
