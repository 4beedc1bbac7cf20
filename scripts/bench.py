"""`make bench`: query counts and server time of the main pages on a large organisation.

Builds (once, in the database ``<DATABASE_URL name>_bench``) an organisation
of TEAMS teams with OBJECTIVES team objectives, KEY_RESULTS key results and
CHECK_INS check-ins, then requests each page REPEAT times through Django's
test client and prints queries, p50 and p95. Not a test: figures for people.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEAMS = int(os.environ.get("BENCH_TEAMS", 200))
OBJECTIVES = int(os.environ.get("BENCH_OBJECTIVES", 2000))
KEY_RESULTS = int(os.environ.get("BENCH_KEY_RESULTS", 8000))
CHECK_INS = int(os.environ.get("BENCH_CHECK_INS", 100000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 30))


def bench_database_url() -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(url._replace(path=(url.path.rstrip("/") or "/okr") + "_bench"))


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build(org_slug: str):
    from datetime import datetime, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import Membership, Organisation, Team, TeamMembership, User
    from okr import services
    from okr.models import CheckIn, KeyResult, Objective

    org = Organisation.objects.filter(slug=org_slug).first()
    if org is not None:
        return org
    t0 = time.perf_counter()
    rng = random.Random(7)
    org = Organisation.objects.create(
        slug=org_slug, name="Bench AB", vision="Vision", mission="Mission"
    )
    owner = User.objects.create_user(
        email=f"owner@{org_slug}.example", password="bench-pass", name="Owner"
    )
    Membership.objects.create(organisation=org, user=owner, role="admin")
    teams = Team.objects.bulk_create(
        Team(organisation=org, name=f"Team {i}", order=i) for i in range(TEAMS)
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(team=t, user=owner, is_lead=True) for t in teams[:5]
    )
    today = timezone.localdate()
    year = services.cycle_year_get_or_create(
        organisation=org, year=services.fiscal_year_of(org, today)
    )
    quarter = year.quarters.get(start_date__lte=today, end_date__gte=today)
    strategic = [
        services.objective_create(
            organisation=org, cycle=year, level="strategic", title=f"Strategiskt mål {i}"
        )
        for i in range(5)
    ]
    objectives = Objective.objects.bulk_create(
        Objective(
            organisation=org,
            cycle=quarter,
            level="team",
            team=teams[i % TEAMS],
            title=f"Teammål {i}",
            status="approved",
            parent_objective=strategic[i % 5],
            order=i,
        )
        for i in range(OBJECTIVES)
    )
    key_results = KeyResult.objects.bulk_create(
        KeyResult(
            organisation=org,
            objective=objectives[i % OBJECTIVES],
            title=f"{i} nya kunder",
            kind="metric",
            start_value=Decimal(0),
            target_value=Decimal(100),
            unit="st",
            owner=owner if i % 400 == 0 else None,
            order=i,
        )
        for i in range(KEY_RESULTS)
    )
    start = datetime.combine(
        quarter.start_date, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    span = max(1, (timezone.now() - start).days)
    batch = []
    for i in range(CHECK_INS):
        batch.append(
            CheckIn(
                organisation=org,
                key_result=key_results[i % KEY_RESULTS],
                value=Decimal(rng.randint(0, 100)),
                confidence="on_track",
                created_at=start + timedelta(days=rng.randint(0, span), minutes=i % 1440),
            )
        )
        if len(batch) == 5000:
            CheckIn.objects.bulk_create(batch)
            batch = []
    CheckIn.objects.bulk_create(batch)
    print(f"built the bench organisation in {time.perf_counter() - t0:.1f} s")
    return org


def measure(client, url: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx.captured_queries)
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return queries, statistics.median(times), p95


def main() -> None:
    url = bench_database_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org = build("bench")
    from accounts.models import User
    from okr.models import KeyResult, Objective

    client = Client()
    client.force_login(User.objects.get(email="owner@bench.example"))
    objective = Objective.objects.filter(organisation=org, level="strategic").first()
    kr = KeyResult.objects.filter(organisation=org).first()
    pages = {
        "home": "/bench/",
        "strategic OKRs": "/bench/strategic/",
        "my check-ins": "/bench/check-ins/",
        "objective detail (strategic, 400 children)": f"/bench/objectives/{objective.uuid}/",
        "key result detail": f"/bench/key-results/{kr.uuid}/",
    }
    print(
        f"organisation: {TEAMS} teams, {OBJECTIVES} objectives, {KEY_RESULTS} key results, "
        f"{CHECK_INS} check-ins; {REPEAT} requests per page"
    )
    print(f"{'page':45} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, page_url in pages.items():
        queries, p50, p95 = measure(client, page_url)
        print(f"{name:45} {queries:7d} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
