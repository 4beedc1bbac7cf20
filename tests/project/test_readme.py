"""The README and the docs point only inside the repository, and show every current picture.

The pictures in docs/screenshots/ are taken by tests/browser/test_screenshots.py
(UPDATE_SCREENSHOTS=1); a picture the README does not show, or one it shows
that is missing, means the two drifted apart.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_no_document_names_a_path_outside_the_repository():
    outside = {
        path.name: re.findall(r"\.\./[\w./-]+|/work/[\w./-]+", path.read_text(encoding="utf-8"))
        for path in DOCS
    }
    assert {name: found for name, found in outside.items() if found} == {}


def test_every_docs_file_the_readme_names_exists():
    named = set(re.findall(r"\bdocs/[\w./-]*\w", README))
    assert "docs/dpab.md" in named
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def test_the_readme_shows_every_screenshot_and_only_those():
    shown = set(re.findall(r"docs/screenshots/([\w-]+\.png)", README))
    taken = {p.name for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert shown == taken
    assert len(taken) >= 16  # the main pages in Swedish, home in nb and en, a phone


def test_no_code_points_outside_the_repository_for_the_demo():
    code = [
        p
        for folder in ("accounts", "okr", "alignment", "tests", "scripts")
        for p in (ROOT / folder).rglob("*.py")
        if "shared/" + "examples" in p.read_text(encoding="utf-8")
    ]
    assert code == []
