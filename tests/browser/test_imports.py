"""Importing OKRs from a spreadsheet in Chromium, on the DPAB demo: Linnea (Marknad) uploads
a CSV by keyboard, reads the preview and confirms; the drafts land in Marknad's workshop.

axe-core finds no serious or critical violation on the import page and its preview
(desktop and phone); screenshots go to test-artifacts/imports/.
"""

import pytest

from tests.okr.imports.sheets import HEADER_SV, csv_bytes, row
from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ROWS = [
    row("Fler kunder i Norge", "10 nya kunder i Oslo", team="Marknad", target="10", unit="st",
        owner="linnea@dpab.example"),
    row("Fler kunder i Norge", "Norsk webbplats lanserad", team="Marknad", kind="milstolpe",
        start="", target="", unit=""),
]  # fmt: skip


def _shot(page, name):
    folder = ARTIFACTS / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _upload_by_keyboard(page, path):
    with page.expect_file_chooser() as chooser:
        page.locator("#id_file").press("Space")  # focus and the key in one step
    chooser.value.set_files(str(path))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab") if page.evaluate("document.activeElement.type") != "submit" else None
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_linnea_imports_marknads_okrs_by_keyboard(page, demo, tmp_path):  # noqa: F811
    from okr.models import Objective

    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    good = tmp_path / "marknad.csv"
    good.write_bytes(csv_bytes(ROWS, header=HEADER_SV, bom=True))
    sign_in(page, demo, "linnea@dpab.example")
    page.goto(f"{demo}/dpab/workshop/")
    page.get_by_role("link", name="Marknad").first.click()
    page.get_by_role("link", name=sv("Import OKRs from a spreadsheet")).click()
    page.wait_for_url(f"{demo}/dpab/import/")
    assert serious_violations(page) == []
    _shot(page, "import-desktop")

    _upload_by_keyboard(page, good)
    preview = page.locator(".import-preview")
    assert "Fler kunder i Norge" in preview.inner_text()
    assert "Norsk webbplats lanserad" in preview.inner_text()
    assert not Objective.objects.filter(title="Fler kunder i Norge").exists()
    assert serious_violations(page) == []
    _shot(page, "preview-desktop")

    page.get_by_role("button", name=sv("Import all rows")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/dpab/workshop/" in page.url
    created = Objective.objects.get(title="Fler kunder i Norge")
    assert created.status == "draft" and created.team.name == "Marknad"
    assert created.key_results.count() == 2
    assert "Fler kunder i Norge" in page.locator("main").inner_text()

    # On a phone: a file with mistakes, and the errors by row.
    bad = tmp_path / "fel.csv"
    bad.write_bytes(
        csv_bytes([row("Nytt", team="Okänt team"), row("Annat", target="x", team="Marknad")])
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}/dpab/import/")
    _upload_by_keyboard(page, bad)
    assert page.locator(".import-error-table tbody tr").count() >= 2
    assert serious_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    _shot(page, "preview-errors-phone")
    page.goto(f"{demo}/dpab/import/")
    _shot(page, "import-phone")
    assert problems == []
