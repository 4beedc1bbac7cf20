"""`manage.py load_demo`: loads DPAB (../shared/examples/dpab.md), idempotently.

It lives in `alignment`, the top of the app chain (accounts <- okr <-
alignment), so it may call every app's demo loader without an import
pointing the wrong way.
"""

from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from accounts import policy
from alignment import demo as alignment_demo
from okr.demo import current as okr_demo_current
from okr.demo import reviews as okr_demo_review
from okr.demo import strategic as okr_demo
from okr.demo import workshop as okr_demo_workshop


class Command(BaseCommand):
    help = (
        "Load (or bring up to date) the DPAB demo organisation. Running it twice changes nothing."
    )

    def handle(self, *args, **options):
        # The demo replays DPAB's history as the system: the authors it records are
        # history, so the policy checks no one (accounts.policy.as_system).
        with policy.as_system():
            self._load()

    def _load(self):
        self.stdout.write("Loading DPAB: people and teams…")
        org = accounts_demo.load_people_and_teams()
        self.stdout.write(
            "Loading DPAB: strategic OKRs, the quarters' team OKRs, check-ins, reviews and scores…"
        )
        okr_demo.load_okrs(org)
        okr_demo_workshop.load_workshop_history(org)
        alignment_demo.load_alignment(org)
        okr_demo_current.load_current_quarter(org)
        okr_demo_review.load_review_history(org)
        counts = okr_demo.counts(org)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {org.name} (/{org.slug}/): {counts['objectives']} objectives, "
                f"{counts['key_results']} key results, {counts['check_ins']} check-ins."
            )
        )
