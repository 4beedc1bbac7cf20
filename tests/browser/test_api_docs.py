"""The API docs (Swagger UI and ReDoc) run in a real browser under the CSP, from local files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def collect_problems(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: (
            problems.append(f"request to {r.url}")
            if not r.url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    return problems


def test_swagger_ui_runs_under_the_strict_csp(live_server, page):
    problems = collect_problems(page)
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "OKR API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/{org_slug}/objectives/")
    assert problems == []


def test_redoc_runs_with_local_files_only(live_server, page):
    problems = collect_problems(page)
    page.goto(live_server.url + "/api/redoc/")
    page.wait_for_selector("h1")
    assert "OKR API" in page.inner_text("h1")
    page.get_by_role("heading", name="Check in on a key result").wait_for()
    # ReDoc's footer asks for its maker's logo from a CDN: the CSP blocks it, nothing else fails.
    unexpected = [
        p
        for p in problems
        if "cdn.redoc.ly" not in p and "favicon.ico" not in p and "404 (Not Found)" not in p
    ]
    assert unexpected == []


def test_tokens_page_in_a_browser(live_server, browser, cast):
    """A person makes a token (shown once, with a label), on a phone too; no serious axe findings."""
    from tests.support.browser import serious_violations, shot
    from tests.support.factories import PASSWORD

    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill("member@acme.example")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/acme/")
        page.goto(f"{live_server.url}/accounts/tokens/")
        assert serious_violations(page) == []
        page.get_by_label("Name").fill("Rapporter")
        page.get_by_role("button", name="Make the token").click()
        token = page.get_by_role("textbox", name="Token").input_value()
        assert token.startswith("okr_")
        shot(page, "api-token-made")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert serious_violations(page) == []
        page.goto(f"{live_server.url}/accounts/tokens/")
        assert "Rapporter" in page.content() and token not in page.content()
    finally:
        context.close()
