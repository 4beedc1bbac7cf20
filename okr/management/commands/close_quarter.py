"""`manage.py close_quarter`: freeze the scores of every quarter (and year) that has ended.

The same job celery beat runs daily: a cycle closes once its last day plus
the grace period (OKR_QUARTER_CLOSE_GRACE_DAYS, default 7) has passed.
Running it again changes nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from okr.closing import services


class Command(BaseCommand):
    help = "Close the quarters and years that ended more than the grace period ago, with scores."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organisation (its address, e.g. dpab).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be closed; change nothing."
        )
        parser.add_argument(
            "--today", help="Act as if today were this day (YYYY-MM-DD), e.g. to catch up."
        )

    def handle(self, *args, org=None, dry_run=False, today=None, **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"No organisation with the address {org!r}.")
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        results = services.close_due_cycles(today=day, organisation=organisation, dry_run=dry_run)
        if not results:
            self.stdout.write("Nothing to close.")
        for result in results:
            cycle = result.cycle
            name = f"{cycle.organisation.slug}: {cycle.label} (ended {cycle.end_date:%Y-%m-%d})"
            if dry_run:
                self.stdout.write(f"{name}: would be closed")
            elif result.closed:
                self.stdout.write(self.style.SUCCESS(f"{name}: closed, {result.scores} scores"))
            else:
                self.stdout.write(f"{name}: already closed")
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
