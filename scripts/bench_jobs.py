"""`make bench`, last part: the Celery jobs (reminders, quarter close) on a large organisation.

Run by scripts/bench.py after the pages, in the same database. Not a test: figures for people.
"""

from __future__ import annotations

import os
import time

JOB_OWNERS = int(os.environ.get("BENCH_JOB_OWNERS", 5000))
JOB_CLOSE_KEY_RESULTS = int(os.environ.get("BENCH_JOB_CLOSE_KEY_RESULTS", 8000))


def bench_jobs() -> None:
    """The Celery jobs on a large organisation: the reminder run and the quarter close.

    Reminders: JOB_OWNERS key-result owners without a check-in, whose review is
    tomorrow; the sweep (claims) and the sending (locmem mailer) are timed and
    their queries counted. Quarter close: JOB_CLOSE_KEY_RESULTS key results in
    a quarter that has ended, with check-ins. Goal: each under 60 s, the sweep
    and the close in a fixed number of queries whatever the size (bulk
    operations); sending costs one UPDATE per e-mail (the sent_at stamp that
    makes it exactly once).
    """
    from datetime import datetime, timedelta
    from decimal import Decimal

    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Membership, Organisation, Team, TeamMembership, User
    from okr.closing import services as services_closing
    from okr.lib import calendar
    from okr.models import CheckIn, Cycle, KeyResult, Objective, ReminderClaim, Score
    from okr.objectives import services
    from okr.reminders import services as services_reminders

    slug = "bench-jobs"
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        t0 = time.perf_counter()
        org = Organisation.objects.create(slug=slug, name="Bench Jobs AB", language="sv")
        teams = Team.objects.bulk_create(
            Team(organisation=org, name=f"Lag {i}", order=i) for i in range(100)
        )
        users = User.objects.bulk_create(
            User(email=f"owner{i}@{slug}.example", name=f"Ägare {i}", password="!")
            for i in range(JOB_OWNERS)
        )
        Membership.objects.bulk_create(Membership(organisation=org, user=u) for u in users)
        TeamMembership.objects.bulk_create(
            TeamMembership(team=t, user=users[i], is_lead=True) for i, t in enumerate(teams)
        )
        services.cycle_year_get_or_create(
            organisation=org, year=calendar.current_fiscal_year(org) - 1
        )
        print(f"built the jobs organisation in {time.perf_counter() - t0:.1f} s")
    users = list(User.objects.filter(memberships__organisation=org).order_by("id"))
    teams = list(Team.objects.filter(organisation=org).order_by("order"))
    # The next review is tomorrow: the reminders and the team-lead summaries are due now.
    tomorrow = calendar.today(org) + timedelta(days=1)
    org.review_weekday, org.review_every_weeks = tomorrow.weekday(), 1
    org.save()
    settings.OKR_REMINDER_HOUR = 0
    quarter = services.cycle_for_date(organisation=org, day=tomorrow, kind=Cycle.Kind.QUARTER)
    if not KeyResult.objects.filter(objective__cycle=quarter, organisation=org).exists():
        objectives = Objective.objects.bulk_create(
            Objective(
                organisation=org,
                cycle=quarter,
                level="team",
                team=t,
                title=f"Mål för {t.name}",
                status="approved",
                order=i,
            )
            for i, t in enumerate(teams)
        )
        KeyResult.objects.bulk_create(
            KeyResult(
                organisation=org,
                objective=objectives[i % len(objectives)],
                title=f"{i} nya kunder",
                start_value=Decimal(0),
                target_value=Decimal(10),
                owner=u,
                order=i,
            )
            for i, u in enumerate(users)
        )
    # A quarter that has ended, with JOB_CLOSE_KEY_RESULTS key results and their check-ins.
    ended = (
        Cycle.objects.filter(
            organisation=org, kind=Cycle.Kind.QUARTER, end_date__lt=calendar.today(org)
        )
        .order_by("-end_date")
        .first()
    )
    if not KeyResult.objects.filter(objective__cycle=ended).exists():
        objectives = Objective.objects.bulk_create(
            Objective(
                organisation=org,
                cycle=ended,
                level="team",
                team=teams[i % len(teams)],
                title=f"Kvartalsmål {i}",
                status="approved",
                order=i,
            )
            for i in range(JOB_CLOSE_KEY_RESULTS // 4)
        )
        krs = KeyResult.objects.bulk_create(
            KeyResult(
                organisation=org,
                objective=objectives[i % len(objectives)],
                title=f"Resultat {i}",
                start_value=Decimal(0),
                target_value=Decimal(100),
                order=i,
            )
            for i in range(JOB_CLOSE_KEY_RESULTS)
        )
        start = datetime.combine(ended.start_date, datetime.min.time(), tzinfo=org.tz)
        CheckIn.objects.bulk_create(
            (
                CheckIn(
                    organisation=org,
                    key_result=kr,
                    value=Decimal((i * 7 + step * 13) % 101),
                    confidence="on_track",
                    created_at=start + timedelta(days=14 * step + i % 10),
                )
                for i, kr in enumerate(krs)
                for step in range(7)  # the last one falls after the quarter's end
            ),
            batch_size=5000,
        )

    if connection.vendor == "postgresql":
        # Fresh statistics after the bulk load, or the planner guesses badly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # --- Reminders ---
    ReminderClaim.objects.filter(organisation=org).delete()
    mail.outbox = []
    connection.force_debug_cursor = True
    with CaptureQueriesContext(connection) as sweep_queries:
        t0 = time.perf_counter()
        sweep = services_reminders.reminders_sweep(organisation=org)
        sweep_s = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as send_queries:
        t0 = time.perf_counter()
        sent = services_reminders.reminders_send(token=sweep.token, claim_ids=sweep.claim_ids)
        send_s = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as again_queries:
        again = services_reminders.reminders_sweep(organisation=org)

    # --- Quarter close ---
    Score.objects.filter(cycle=ended).delete()
    Cycle.objects.filter(pk=ended.pk).update(state=Cycle.State.ACTIVE, closed_at=None)
    with CaptureQueriesContext(connection) as close_queries:
        t0 = time.perf_counter()
        closed = services_closing.cycle_close(cycle=ended)
        close_s = time.perf_counter() - t0
    with CaptureQueriesContext(connection) as rerun_queries:
        rerun = services_closing.cycle_close(cycle=ended)
    connection.force_debug_cursor = False

    owners = len(users)
    print()
    print(f"jobs: {owners} key-result owners, {JOB_CLOSE_KEY_RESULTS} key results in {ended.label}")
    print(f"{'job':45} {'queries':>7} {'seconds':>8}")
    print(
        f"{'reminders: sweep (claim ' + str(len(sweep.claim_ids)) + ')':45} "
        f"{len(sweep_queries.captured_queries):7d} {sweep_s:8.2f}"
    )
    print(
        f"{'reminders: send ' + str(sent.sent) + ' e-mails':45} "
        f"{len(send_queries.captured_queries):7d} {send_s:8.2f}"
    )
    print(
        f"{'reminders: sweep again (claims ' + str(again.claimed) + ')':45} "
        f"{len(again_queries.captured_queries):7d}"
    )
    print(
        f"{'quarter close (' + str(closed.scores) + ' scores)':45} "
        f"{len(close_queries.captured_queries):7d} {close_s:8.2f}"
    )
    print(
        f"{'quarter close again (closed: ' + str(rerun.closed) + ')':45} {len(rerun_queries.captured_queries):7d}"
    )
    per_mail = len(send_queries.captured_queries) / max(1, sent.sent)
    print(
        f"goals: reminders {sweep_s + send_s:.1f} s and close {close_s:.1f} s (each <= 60 s); "
        f"sweep {len(sweep_queries.captured_queries)} and close {len(close_queries.captured_queries)} "
        "queries (bulk: one INSERT per 2 000 rows, nothing per owner); sending "
        f"{per_mail:.2f} queries per e-mail (the sent_at stamp, the rest per chunk of 20)"
    )
