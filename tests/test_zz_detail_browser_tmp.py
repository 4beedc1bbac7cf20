import pytest
from decimal import Decimal
from datetime import timedelta
from django.utils import timezone
from axe_playwright_python.sync_playwright import Axe
from tests.factories import PASSWORD
from tests.okr_factories import CheckInFactory, InitiativeFactory
from tests.test_detail_pages import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(page):
    r = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in r.response["violations"] if v["impact"] in ("serious", "critical")]


def test_look(world, live_server, page, browser):
    now = timezone.now()
    for i, v in enumerate([1, 2, 2, 4]):
        CheckInFactory(key_result=world.kr, author=world.per, value=Decimal(v), at=now - timedelta(days=60 - 15 * i), note=f"Anteckning {i}", confidence=["on_track", "at_risk", "off_track", "on_track"][i])
    InitiativeFactory(key_result=world.kr, owner=world.per, title="Mässa i Oslo")
    errors = []
    page.on("console", lambda m: errors.append(m.text[:40]) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("per@acme.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    url = f"{live_server.url}/acme/key-results/{world.kr.uuid}/"
    page.goto(url)
    page.screenshot(path="/tmp/kr-desktop.png", full_page=True)
    print("ERR after load", len(errors))
    page.evaluate("""() => { window.__v = []; document.addEventListener('securitypolicyviolation', e => window.__v.push([e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample, e.target && e.target.outerHTML && e.target.outerHTML.slice(0,120)].join(' | ')));
      new MutationObserver(ms => ms.forEach(m => { if (m.attributeName === 'style') window.__v.push('MUT style on ' + m.target.outerHTML.slice(0,100)); })).observe(document.body, {attributes: true, subtree: true}); }""")
    print("axe kr", serious(page))
    print("ERR after axe", len(errors))
    # htmx check-in with bad input, then good
    page.locator("#id_value").fill("abc")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_selector(".error-summary")
    print("ERR after error", len(errors))
    page.wait_for_timeout(300)
    print("VIOLATIONS", page.evaluate("window.__v"))
    print("focused after error:", page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
    page.locator("#id_value").fill("6")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_selector("text=Check-in saved.")
    print("ERR after C", len(errors))
    page.wait_for_timeout(300)
    print("focused after save:", page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
    page.locator(f"select[name=status]").select_option("in_progress")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("text=changed to")
    print("focused after status:", page.evaluate("document.activeElement.textContent"))
    page.locator("#id_title").fill("Annons")
    page.get_by_role("button", name="Add initiative").click()
    page.wait_for_selector("text=Initiative added.")
    print("ERR after I", len(errors))
    print("axe kr after", serious(page))
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    phone = ctx.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.locator("input[name=username]").fill("per@acme.example")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(url)
    phone.screenshot(path="/tmp/kr-phone.png", full_page=True)
    print("phone overflow:", phone.evaluate("document.documentElement.scrollWidth"), phone.evaluate("window.innerWidth"))
    phone.goto(f"{live_server.url}/acme/objectives/{world.strategic.uuid}/")
    phone.screenshot(path="/tmp/obj-phone.png", full_page=True)
    page.goto(f"{live_server.url}/acme/objectives/{world.team_objective.uuid}/")
    page.screenshot(path="/tmp/obj-desktop.png", full_page=True)
    print("axe obj", serious(page))
    page.goto(f"{live_server.url}/acme/objectives/{world.strategic.uuid}/")
    print("axe obj2", serious(page))
    print("console errors", errors)
    ctx.close()
