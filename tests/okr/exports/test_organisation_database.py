"""The strong proof: export → `manage.py import_org` into a new PostgreSQL database → export.

A database of its own (``test_okr_import_<random>`` on the test run's server) is
created, migrated and filled by ``manage.py`` in subprocesses, as an operator
would; the two documents must be the same byte for byte but for ``exported_at``.
The database is dropped afterwards.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from okr.exports import organisation as document
from okr.exports import sections as spec
from tests.support.org_world import build_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def second_database():
    url = urlparse(os.environ["DATABASE_URL"])
    name = f"test_okr_import_{uuid.uuid4().hex[:10]}"
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(url._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(database_url: str, *arguments: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "okr.settings_test",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _without_time(text: str) -> str:
    return re.sub(r'"exported_at": "[^"]*"', '"exported_at": ""', text, count=1)


def test_export_import_export_in_another_database_gives_the_same_document(
    cast, second_database, tmp_path
):
    build_world(cast.org, cast.admin, cast.lead, cast.member)
    first = document.as_text(cast.org)
    for section in spec.sections():  # a row of every table travels
        assert f'"{section.name}": [\n{{' in first, section.name
    exported = tmp_path / "acme.json"
    exported.write_text(first, encoding="utf-8")

    _manage(second_database, "migrate", "--no-input", "-v", "0")
    answer = _manage(second_database, "import_org", str(exported))
    assert "Imported Acme AB (acme)" in answer.stdout
    again = tmp_path / "again.json"
    _manage(second_database, "export_org", "acme", "-o", str(again))
    second = again.read_text(encoding="utf-8")

    assert _without_time(second) == _without_time(first)

    # A second import into the same database is refused, and writes nothing.
    env = {
        **os.environ,
        "DATABASE_URL": second_database,
        "DJANGO_SETTINGS_MODULE": "okr.settings_test",
    }
    refused = subprocess.run(
        [sys.executable, "manage.py", "import_org", str(exported), "--slug", "acme-2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert refused.returncode != 0
    assert "already holds the organisation" in refused.stderr
