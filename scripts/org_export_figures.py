"""Size and time of exporting and importing the bench organisation (whole-organisation export).

Uses the `make bench` organisation (built once, in ``<DATABASE_URL name>_bench``,
by ``scripts/bench.py``: 200 teams, 2 000 objectives, 8 000 key results, 100 000
check-ins and its alignment). Writes its document to a temporary file and times
it; then creates an empty database, migrates it, times ``manage.py import_org``
there (a subprocess, as an operator would run it), exports again from it and
says whether the two documents are the same but for ``exported_at``. The
imported database is dropped at the end. Not a test: figures for people.

    python scripts/services.py -- .venv/bin/python scripts/org_export_figures.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402 - scripts/bench.py: the bench organisation


def manage(database_url: str, *arguments: str) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return seconds, result.stdout


def without_time(text: str) -> str:
    return re.sub(r'"exported_at": "[^"]*"', '"exported_at": ""', text, count=1)


def main() -> None:
    url = bench.bench_database_url()
    bench.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from okr.exports import organisation as document
    from okr.exports import sections

    call_command("migrate", verbosity=0)
    org = bench.build("bench")
    bench.build_alignment(org)
    call_command("store_numbers", org="bench", stale=True)

    workdir = Path(tempfile.mkdtemp(prefix="org-export-"))
    first = workdir / "bench.json"
    started = time.perf_counter()
    with open(first, "w", encoding="utf-8", newline="") as handle:
        document.write(org, handle)
    export_seconds = time.perf_counter() - started
    size = first.stat().st_size
    rows = {
        s.name: document.section_queryset(s, org).aggregate(n=Count("pk"))["n"]
        for s in sections.sections()
    }

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_import_{uuid.uuid4().hex[:8]}"
    target = urlunparse(parsed._replace(path=f"/{name}"))
    bench.ensure_database(target)
    try:
        migrate_seconds, _out = manage(target, "migrate", "--no-input", "-v", "0")
        import_seconds, answer = manage(target, "import_org", str(first))
        second = workdir / "again.json"
        again_seconds, _out = manage(target, "export_org", "bench", "-o", str(second))
        same = without_time(first.read_text(encoding="utf-8")) == without_time(
            second.read_text(encoding="utf-8")
        )
    finally:
        import psycopg

        admin = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"rows: {sum(rows.values())} ({', '.join(f'{k} {v}' for k, v in rows.items() if v)})")
    print(f"document: {size / 1_000_000:.1f} MB")
    print(f"export (in process, to a file): {export_seconds:.1f} s")
    print(f"import (manage.py import_org, whole process): {import_seconds:.1f} s")
    print(f"  {answer.strip()}")
    print(f"export again from the imported database (whole process): {again_seconds:.1f} s")
    print(f"migrate of the empty database (not counted above): {migrate_seconds:.1f} s")
    print(f"the same document after the round trip: {'yes' if same else 'NO'}")
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()


if __name__ == "__main__":
    main()
