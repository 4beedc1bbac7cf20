"""Real Chromium (Debian's, through Playwright) against the live server with the DPAB demo.

Each page is also checked with axe-core: no serious or critical violations.
Screenshots go to test-artifacts/ for a person to look at.
"""

import pytest
from django.utils import timezone, translation

from tests.support.browser import serious_violations, shot, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vilma_signs_in_and_sees_vision_and_mission(page, demo):
    sign_in(page, demo, "vilma@dpab.example")
    main = page.locator("main")
    assert "Snabb och miljövänlig kommunikation genom pappersfri post" in main.inner_text()
    assert "att vara den föredragna partnern i digitalisering av kommunikation" in main.inner_text()
    assert "Kommande år vårt starkaste tillväxtår någonsin" in main.inner_text()
    shot(page, "home-vilma")
    assert serious_violations(page) == []


def organisation_pages():
    from okr.models import KeyResult, Objective

    objective = Objective.objects.get(
        title="Leverera det marknadsmaterial som behövs för säljtester i Norge"
    )
    today = timezone.localdate()
    kr = KeyResult.objects.get(  # this year's (in Q1 and Q4 the demo has another year's too)
        title="5% churn",
        objective__cycle__start_date__lte=today,
        objective__cycle__end_date__gte=today,
    )
    return {
        "home": "/dpab/",
        "my-check-ins": "/dpab/check-ins/",
        "strategic": "/dpab/strategic/",
        "objective": f"/dpab/objectives/{objective.uuid}/",
        "key-result": f"/dpab/key-results/{kr.uuid}/",
        "settings-organisation": "/dpab/settings/",
        "settings-teams": "/dpab/settings/teams/",
        "settings-members": "/dpab/settings/members/",
        "settings-invitations": "/dpab/settings/invitations/",
        "profile": "/accounts/profile/",
        "organisations": "/?pick=1",
        "new-organisation": "/accounts/new-organisation/",
    }


def test_every_page_has_no_serious_accessibility_violations(page, demo):
    page.goto(f"{demo}/accounts/login/")
    anonymous = {"login": serious_violations(page)}
    page.goto(f"{demo}/accounts/password-reset/")
    anonymous["password-reset"] = serious_violations(page)
    page.goto(f"{demo}/accounts/register/")
    anonymous["register"] = serious_violations(page)
    assert anonymous == {"login": [], "password-reset": [], "register": []}

    sign_in(page, demo, "vilma@dpab.example")
    found = {}
    for name, path in organisation_pages().items():
        response = page.goto(f"{demo}{path}")
        assert response.status == 200, (name, response.status)
        shot(page, f"page-{name}")
        found[name] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_pages_fit_a_phone(browser, demo):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    page = context.new_page()
    try:
        sign_in(page, demo, "per@dpab.example")
        for path in ["/dpab/", "/dpab/check-ins/"]:
            page.goto(f"{demo}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (path, overflow)
        shot(page, "phone-check-ins-per")
    finally:
        context.close()


def test_per_checks_in_on_two_key_results_at_once(page, demo):
    from decimal import Decimal

    from okr.models import CheckIn, KeyResult

    sign_in(page, demo, "per@dpab.example")
    page.get_by_role("link", name=sv("My check-ins")).first.click()
    # Per's two percentages of the current quarter (Marknad's existing customers, every quarter).
    today = timezone.localdate()
    open_rate, event = KeyResult.objects.filter(
        owner__email="per@dpab.example",
        kind="metric",
        objective__level="team",  # not his personal OKRs (the pilot)
        objective__cycle__kind="quarter",
        objective__cycle__start_date__lte=today,
        objective__cycle__end_date__gte=today,
    ).order_by("order")
    before = CheckIn.objects.filter(key_result__in=[open_rate, event]).count()
    row = page.locator(f"#kr-{open_rate.uuid}")
    row.get_by_label(sv("Value (%(unit)s)") % {"unit": "%"}).fill("52,5")
    row.get_by_label(sv("Note")).fill("Nyhetsbrev två: 55 % öppnade")
    row2 = page.locator(f"#kr-{event.uuid}")
    row2.locator("input[name$=value]").fill("6")
    row2.get_by_label(sv("Confidence")).select_option("at_risk")
    row2.get_by_label(sv("Note")).fill("Eventet i Malmö är fullbokat")
    page.get_by_role("button", name=sv("Save check-ins")).click()
    page.wait_for_load_state()
    with translation.override("sv"):
        saved = translation.ngettext(
            "Saved %(count)d check-in.", "Saved %(count)d check-ins.", 2
        ) % {"count": 2}
    assert saved in page.locator("main").inner_text()
    assert CheckIn.objects.filter(key_result__in=[open_rate, event]).count() == before + 2
    open_rate.refresh_from_db()
    event.refresh_from_db()
    assert open_rate.current_value == Decimal("52.5")
    assert (event.current_value, event.confidence) == (6, "at_risk")
    shot(page, "check-ins-per-saved")


def test_vilma_edits_a_strategic_key_result_in_place(page, demo):
    from okr.models import KeyResult

    today = timezone.localdate()
    kr = KeyResult.objects.get(  # this year's (in Q4 next year's are set too)
        title="10 nya norska kunder innan året är slut",
        objective__cycle__start_date__lte=today,
        objective__cycle__end_date__gte=today,
    )
    sign_in(page, demo, "vilma@dpab.example")
    page.get_by_role("link", name=sv("Strategic OKRs")).first.click()
    page.wait_for_url(f"{demo}/dpab/strategic/")
    url_before = page.url
    page.locator(f"#key-result-{kr.uuid} a[hx-get]").first.click()
    form = page.locator(f"#key-result-{kr.uuid} form.kr-form")
    form.wait_for()
    # htmx has settled the swap once it moved focus into the form's title (static/js/app.js).
    for _ in range(60):
        if page.evaluate("document.activeElement && document.activeElement.name") == "title":
            break
        page.wait_for_timeout(50)
    form.locator("input[name=target_value]").fill("12")
    form.locator("input[name=title]").fill("12 nya norska kunder innan året är slut")
    form.locator("button[type=submit]").click()
    page.locator(f"#kr-title-{kr.uuid}").wait_for()
    assert "12 nya norska kunder innan året är slut" in page.inner_text(f"#key-result-{kr.uuid}")
    assert page.url == url_before  # edited in place, no page load
    kr.refresh_from_db()
    assert kr.target_value == 12 and kr.title == "12 nya norska kunder innan året är slut"
    assert kr.history.count() >= 2  # the change is in the history
    shot(page, "strategic-vilma-edited")
    assert serious_violations(page) == []
