"""Figures: the time (and peak memory) to delete the bench organisation.

Builds the bench organisation with ``scripts/bench.py``'s builders (200 teams, 2,000
objectives, 8,000 key results, 100,000 check-ins, and its alignment; BENCH_* to change them) in a database of
its own (``<DATABASE_URL name>_deletion``: the bench database is left alone), asks for its
deletion through the service and deletes it once due, through the job's service
(``organisation_delete_due``), and prints the seconds. Each method runs in a process of its
own, on an organisation built anew, so that the peak memory is that method's:

- ``raw``: table by table, deepest first, one DELETE each (the default of the job);
- ``collector``: Django's collector from the organisation (rows loaded, signals sent).

Usage: python scripts/services.py -- .venv/bin/python scripts/org_delete_figures.py [raw|collector]
Not a test: figures for people.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

METHODS = ("raw", "collector")


def database_url() -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path=(url.path.rstrip("/") or "/okr") + "_deletion"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def one(method: str) -> None:
    import bench

    url = database_url()
    bench.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    org = bench.build("bench")
    bench.build_alignment(org)  # strategic key results, links, steps, dependencies
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from accounts.deletion import services
    from accounts.deletion.tables import organisation_tables

    rows = {str(t): t.rows(org.pk).count() for t in organisation_tables()}
    total = sum(rows.values())
    before = peak_mb()
    services.organisation_deletion_request(None, org, org.name)  # None: the system asks
    org.refresh_from_db()
    started = time.perf_counter()
    done = services.organisation_delete_due(org.deletion_due_at, method=method)
    seconds = time.perf_counter() - started
    assert [d.organisation_id for d in done] == [org.pk], done
    left = sum(t.rows(org.pk).count() for t in organisation_tables())
    print(
        f"{method:>9}: {total:,} rows in {sum(1 for n in rows.values() if n)} tables deleted "
        f"in {seconds:.1f} s (peak memory {before:.0f} MB before, {peak_mb():.0f} MB after); "
        f"{left} rows left"
    )


def main() -> None:
    methods = sys.argv[1:] or list(METHODS)
    if len(methods) == 1:
        one(methods[0])
        return
    for method in methods:  # a process each: its own peak memory
        subprocess.run([sys.executable, __file__, method], check=True)


if __name__ == "__main__":
    main()
