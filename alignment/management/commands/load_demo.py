"""`manage.py load_demo`: loads DPAB (docs/dpab.md) as of today, idempotently.

The story is placed relative to today (okr/demo/story.py says how): the
current fiscal year's strategic OKRs, the quarters already over closed with
scores, the current quarter approved and checked in up to today, the next
quarter's workshop under way, and the reviews up to today. When today is in
the first quarter, the previous year's last quarter is the one already over.
``--today YYYY-MM-DD`` stops the clock at noon of that day for the run.

It lives in `alignment`, the top of the app chain (accounts <- okr <-
alignment), so it may call every app's demo loader without an import
pointing the wrong way.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from accounts import policy
from alignment import demo as alignment_demo
from okr.demo import conversation as conversation_demo
from okr.demo import decisions as decisions_demo
from okr.demo import history, okrs, story
from okr.demo import kiosk as kiosk_demo
from okr.demo import personal as personal_demo
from okr.demo import years as years_demo
from okr.objectives import stored


class Command(BaseCommand):
    help = (
        "Load (or bring up to date) the DPAB demo organisation as of today. "
        "Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Tell the story as of this day (YYYY-MM-DD) instead of today: the clock "
            "stops at noon of that day while the demo loads.",
        )

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        zone = ZoneInfo(accounts_demo.ORGANISATION["timezone"])
        # The demo replays DPAB's history as the system: the authors it records are
        # history, so the policy checks no one (accounts.policy.as_system). One
        # transaction: a failed run leaves the demo as it was.
        with story.frozen(day, zone), policy.as_system(), transaction.atomic():
            self._load()

    def _load(self):
        self.stdout.write("Loading DPAB: people and teams…")
        org = accounts_demo.load_people_and_teams()
        plan = story.plan_for(org)
        if not story.laid_out_for(org, plan) and story.reset(org):
            self.stdout.write(
                f"The demo was laid out for another day: laying it out anew for {plan.today}."
            )
        self.stdout.write(
            f"Loading DPAB as of {plan.today} ({okrs.quarter_label(plan)}): strategic OKRs, "
            "the quarters' team OKRs, check-ins, the workshop, reviews and scores…"
        )
        okrs.lay_out(org, plan)
        alignment_demo.load_alignment(org)
        history.lay_out(org, plan)
        decisions_demo.lay_out(org, plan)  # owners for review decisions; one weighted objective
        conversation_demo.lay_out(org, plan)  # a few comments with mentions this quarter
        personal_demo.lay_out(org, plan)  # the personal OKR pilot: Per's own OKRs this quarter
        years_demo.link_carried_on(org)  # next year's strategic OKRs carry this year's on
        board = kiosk_demo.lay_out(org)  # the kitchen board's secret link, "Köket"
        # The demo writes its check-ins in bulk: store the engine's numbers once at the end.
        stored.refresh_organisation(org, everything=True)
        counts = okrs.counts(org)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {org.name} (/{org.slug}/): {counts['objectives']} objectives, "
                f"{counts['key_results']} key results, {counts['check_ins']} check-ins."
            )
        )
        self.stdout.write(f"The kitchen board (no sign-in; a new link each run): {board}")
