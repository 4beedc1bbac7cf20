"""Browser helpers: the DPAB demo on the live server, signing in, axe-core, screenshots."""

from io import StringIO
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import translation

from accounts.demo import DEMO_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=StringIO())
    return live_server.url


def sv(text: str) -> str:
    """The Swedish the DPAB pages show for an English source string."""
    with translation.override("sv"):
        return translation.gettext(text)


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(sv("E-mail")).fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/dpab/")


def serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


#: htmx marks what it is fetching, swapping and settling with these classes.
_HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def htmx_idle(page, timeout_ms: int = 5000) -> None:
    """Wait until htmx has no request in flight and has settled its last swap (when
    ``static/js/app.js`` moves the focus): keys pressed before that may land in a field
    the swap replaces, or a click on a link htmx has not bound yet may follow its href."""
    waited = 0
    while page.locator(_HTMX_BUSY).count() and waited < timeout_ms:
        page.wait_for_timeout(25)
        waited += 25
    page.wait_for_timeout(50)  # the afterSettle handlers run right after the class goes
