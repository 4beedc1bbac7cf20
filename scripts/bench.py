"""`make bench`: query counts and server time of the main pages on a large organisation.

Builds (once, in the database ``<DATABASE_URL name>_bench``) an organisation
of TEAMS teams with OBJECTIVES team objectives, KEY_RESULTS key results and
CHECK_INS check-ins (and, once, its alignment: strategic key results, direct
and indirect links, orphans, quarterly steps, DEPENDENCIES dependencies), then
requests each page REPEAT times through Django's test client and prints
queries, p50 and p95. For the alignment tree it also prints the floor: the
same rows selected and joined into a plain string in this process. Not a
test: figures for people.

BENCH_SCALE (1) multiplies the organisation: teams, objectives, key results,
check-ins and dependencies (10: 2,000 teams, 20,000 objectives, 1,000,000
check-ins), built in its own database ``<name>_bench_x<scale>`` so the 1x one
stays as it is. The owner's own teams and key results do not grow: a page
that shows no more must not cost more.
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


def bench_scale() -> int:
    """BENCH_SCALE: how many times the organisation is multiplied (a whole number, 1 by default)."""
    text = os.environ.get("BENCH_SCALE", "").strip() or "1"
    if not text.isdigit() or int(text) < 1:
        raise SystemExit(f"BENCH_SCALE must be a whole number from 1 up, not {text!r}")
    return int(text)


SCALE = bench_scale()
TEAMS = int(os.environ.get("BENCH_TEAMS", 200)) * SCALE
OBJECTIVES = int(os.environ.get("BENCH_OBJECTIVES", 2000)) * SCALE
KEY_RESULTS = int(os.environ.get("BENCH_KEY_RESULTS", 8000)) * SCALE
CHECK_INS = int(os.environ.get("BENCH_CHECK_INS", 100000)) * SCALE
REPEAT = int(os.environ.get("BENCH_REPEAT", 30))


def bench_database_url() -> str:
    """``<DATABASE_URL name>_bench``, with ``_x<scale>`` after it when BENCH_SCALE is not 1."""
    url = urlparse(os.environ["DATABASE_URL"])
    scale = bench_scale()
    suffix = "_bench" if scale == 1 else f"_bench_x{scale}"
    return urlunparse(url._replace(path=(url.path.rstrip("/") or "/okr") + suffix))


def describe() -> str:
    """The organisation's size, for the first line of `make bench` and `make loadtest`."""
    scale = "" if SCALE == 1 else f" (BENCH_SCALE={SCALE})"
    return (
        f"{TEAMS} teams, {OBJECTIVES} objectives, {KEY_RESULTS} key results, "
        f"{CHECK_INS} check-ins{scale}"
    )


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
    from okr.lib import calendar
    from okr.models import CheckIn, KeyResult, Objective
    from okr.objectives import services

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
    today = calendar.today(org)
    year = services.cycle_year_get_or_create(
        organisation=org, year=calendar.fiscal_year_of(today, org.fiscal_year_start_month)
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
            # The owner's 20 key results (all in team 0, which he leads), whatever the scale.
            owner=owner if i % (400 * SCALE) == 0 else None,
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


def measure(client, url: str, before=lambda: None, **headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    before()  # each request: e.g. a write, so that a cached page is rendered again
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(ctx.captured_queries)
    for _ in range(REPEAT):
        before()
        t0 = time.perf_counter()
        client.get(url, **headers)
        times.append((time.perf_counter() - t0) * 1000)
    return (queries, *percentiles(times))


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


# --- Alignment: the tree, dependencies, quarterly steps ----------------------------------------

STRATEGIC_KRS = 2  # per strategic objective
DEPENDENCIES = int(os.environ.get("BENCH_DEPENDENCIES", 300)) * SCALE


def build_alignment(org) -> bool:
    """Once: strategic key results, direct and indirect links to them, orphans, quarterly steps,
    dependencies between teams, and every tenth team objective proposed (the approval queue)."""
    from datetime import timedelta
    from decimal import Decimal

    from alignment.models import Dependency, KeyResultStep
    from okr.models import KeyResult, Objective

    if KeyResultStep.objects.filter(organisation=org).exists():
        return False
    t0 = time.perf_counter()
    rng = random.Random(11)
    strategic = list(Objective.objects.filter(organisation=org, level="strategic").order_by("id"))
    year = strategic[0].cycle
    quarters = list(year.quarters.order_by("quarter"))
    strategic_krs = {}
    for objective in strategic:
        strategic_krs[objective.id] = KeyResult.objects.bulk_create(
            KeyResult(
                organisation=org,
                objective=objective,
                title=f"Strategiskt resultat {objective.id}.{i}",
                kind="metric",
                start_value=Decimal(0),
                target_value=Decimal(1000),
                current_value=Decimal(rng.randint(0, 800)),
                unit="st",
                order=i,
            )
            for i in range(STRATEGIC_KRS)
        )
    KeyResultStep.objects.bulk_create(
        KeyResultStep(
            organisation=org,
            key_result=kr,
            quarter=quarter,
            target_value=Decimal(250 * quarter.quarter),
        )
        for krs in strategic_krs.values()
        for kr in krs
        for quarter in quarters
    )
    team_objectives = list(Objective.objects.filter(organisation=org, level="team").order_by("id"))
    changed = []
    for i, objective in enumerate(team_objectives):
        if i % 50 == 49:  # 2 % orphans
            objective.parent_objective = None
        elif i % 3:  # two thirds to one of the objective's key results
            objective.parent_key_result = strategic_krs[objective.parent_objective_id][i % 2]
            objective.parent_objective = None
            objective.alignment = "direct" if i % 3 == 1 else "indirect"
        if i % 10 == 0:
            objective.status = "proposed"
        changed.append(objective)
    Objective.objects.bulk_update(
        changed, ["parent_objective", "parent_key_result", "alignment", "status"], batch_size=500
    )
    by_team: dict[int, list] = {}
    for objective in team_objectives:
        by_team.setdefault(objective.team_id, []).append(objective)
    teams = list(by_team)
    krs_by_objective = {}
    for pk, objective_id in KeyResult.objects.filter(
        organisation=org, objective__level="team"
    ).values_list("id", "objective_id"):
        krs_by_objective.setdefault(objective_id, []).append(pk)
    quarter = team_objectives[0].cycle
    dependencies = []
    for i in range(DEPENDENCIES):
        needing_team, delivering_team = rng.sample(teams, 2)
        needing = rng.choice(by_team[needing_team])
        delivering = rng.choice(by_team[delivering_team])
        dependencies.append(
            Dependency(
                organisation=org,
                needing_team_id=needing_team,
                needing_objective=needing,
                delivering_team_id=delivering_team,
                delivering_objective=delivering,
                delivering_key_result_id=rng.choice(krs_by_objective[delivering.id]),
                description=f"Beroende {i}",
                needed_by=quarter.start_date + timedelta(days=rng.randint(10, 80)),
            )
        )
    Dependency.objects.bulk_create(dependencies)
    print(f"built the alignment of the bench organisation in {time.perf_counter() - t0:.1f} s")
    return True


def tree_floor(org):
    """The floor for the tree: select the same rows as the page and build a plain string.

    The same queries (cycles, teams, people, objectives, key results, steps,
    dependencies) in this process, and one line of text per row: what any
    page of the whole tree costs at the least, before a tree, HTML or HTTP.
    Returns a function that does it once.
    """
    from alignment import selectors
    from okr.lib import calendar

    today = calendar.today(org)

    def once() -> int:
        cycles = selectors.cycles_of(org)
        year = next(c for c in cycles if c.kind == "year" and c.start_date <= today <= c.end_date)
        quarters = [c for c in cycles if c.parent_id == year.id]
        teams = selectors.teams_of(org)
        people = selectors.people_of(org)
        rows = selectors.tree_rows(org, year, quarters)
        deps = selectors.open_dependencies(org, [year.id, *(q.id for q in quarters)])
        lines = [f"{t.name}" for t in teams]
        lines += [f"{p.name}" for p in people]
        lines += [f"{o.title} {o.status} {o.alignment}" for o in rows.objectives]
        lines += [
            f"{k.title} {k.current_value} {k.target_value} {k.confidence}" for k in rows.key_results
        ]
        lines += [f"{s.key_result_id} {s.target_value}" for s in rows.steps]
        lines += [f"{d.needing_team} {d.delivering_team} {d.needed_by}" for d in deps]
        return len("\n".join(lines))

    return once


def against_floor(client, url: str, floor):
    """Time a page and the floor in turns, so both see the same load on the machine."""
    page_times, floor_times = [], []
    client.get(url)
    floor()
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        client.get(url)
        page_times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        floor()
        floor_times.append((time.perf_counter() - t0) * 1000)
    return percentiles(page_times), percentiles(floor_times)


def setup_organisation():
    """Migrate the bench database, build the organisation (once), store its numbers, ANALYZE."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    org = build("bench")
    built = build_alignment(org)
    # Rows inserted in bulk: store the engine's numbers (all of them after the alignment was
    # added in bulk under objectives already stored today, else only what is not today's).
    call_command("store_numbers", org="bench", stale=not built)
    # Give the planner statistics, as autovacuum would in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return org


def url_exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def main() -> None:
    url = bench_database_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    org = setup_organisation()
    from accounts import revision
    from accounts.models import Team, User
    from okr.models import KeyResult, Objective

    client = Client()
    client.force_login(User.objects.get(email="owner@bench.example"))
    objective = Objective.objects.filter(organisation=org, level="strategic").first()
    kr = KeyResult.objects.filter(organisation=org, objective__level="team").first()
    strategic_kr = KeyResult.objects.filter(organisation=org, objective__level="strategic").first()
    team = Team.objects.filter(organisation=org).order_by("order").first()
    grouped = Objective.objects.filter(organisation=org, team=team).exclude(parent_key_result=None)
    under = grouped.values_list("parent_key_result__uuid", flat=True).first()
    htmx = {"HTTP_HX_REQUEST": "true"}
    after_write = {"before": lambda: revision.bump(org.pk)}  # the tree is cached per revision
    pages = {
        "home": ("/bench/", {}),
        "strategic OKRs": ("/bench/strategic/", {}),
        "my check-ins": ("/bench/check-ins/", {}),
        f"objective detail (strategic, {OBJECTIVES // 5} children)": (
            f"/bench/objectives/{objective.uuid}/",
            {},
        ),
        "key result detail": (f"/bench/key-results/{kr.uuid}/", {}),
        "key result detail (strategic, steps)": (f"/bench/key-results/{strategic_kr.uuid}/", {}),
        "alignment tree, collapsed": ("/bench/alignment/", {}),
        "alignment tree, one team expanded": (f"/bench/alignment/?expand={team.uuid}", {}),
        "alignment tree, lazy expand (htmx fragment)": (
            f"/bench/alignment/?expand={team.uuid}&under={under}",
            htmx,
        ),
        "alignment tree, fully expanded": ("/bench/alignment/?expand=all", {}),
        "dependencies": ("/bench/alignment/dependencies/", {}),
        "workshop (one team)": (f"/bench/workshop/{team.uuid}/", {}),
        "approval queue": ("/bench/approvals/", {}),
        "alignment tree, collapsed, after a write": ("/bench/alignment/", after_write),
        "alignment tree, all open, after a write": ("/bench/alignment/?expand=all", after_write),
    }
    print(f"organisation: {describe()}, {DEPENDENCIES} dependencies; {REPEAT} requests per page")
    print(f"{'page':45} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    for name, (page_url, headers) in pages.items():
        if not url_exists(page_url.split("?")[0]):
            print(f"{name:45} skipped: {page_url} is not a URL of this build")
            continue
        queries, p50, p95 = measure(client, page_url, **headers)
        results[name] = (queries, p50, p95)
        print(f"{name:45} {queries:7d} {p50:8.1f} {p95:8.1f}")
    (full_p50, full_p95), (floor_p50, floor_p95) = against_floor(
        client, pages["alignment tree, fully expanded"][0], tree_floor(org)
    )
    for name, p50, p95 in (
        ("alignment tree, fully expanded (in turns)", full_p50, full_p95),
        ("floor: the tree rows as a plain string", floor_p50, floor_p95),
    ):
        print(f"{name:45} {'':>7} {p50:8.1f} {p95:8.1f}")
    collapsed = results["alignment tree, collapsed"]
    print(
        f"goals: collapsed tree {collapsed[0]} queries (<= 12) and p95 {collapsed[2]:.0f} ms "
        f"(<= 300 ms); fully expanded p50 {full_p50 / floor_p50:.1f}x the floor (<= 3x); "
        f"most queries on a page: {max(q for q, _p50, _p95 in results.values())} (<= 12)"
    )

    from bench_jobs import bench_jobs  # scripts/ is on the path: this file runs as a script

    bench_jobs()


if __name__ == "__main__":
    main()
