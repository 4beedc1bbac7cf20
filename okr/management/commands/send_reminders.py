"""`manage.py send_reminders`: claim and send the check-in reminders that are due now.

The same sweep celery beat runs every hour, sent inline (no broker needed):
an operator can run it while Redis is down. Safe to run any number of times:
each person gets one reminder per review (see okr/reminders/services.py).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from okr.reminders import services


class Command(BaseCommand):
    help = "Send the check-in reminders and team-lead summaries that are due (exactly once each)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organisation (its address, e.g. dpab).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )

    def handle(self, *args, org=None, dry_run=False, **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"No organisation with the address {org!r}.")
            if not organisation.reminders_enabled:
                self.stdout.write(f"{organisation.slug}: reminders are turned off.")
                return
        result = services.reminders_sweep(organisation=organisation, dry_run=dry_run)
        for due in result.due:
            already = f" ({due.already_reminded} already reminded)" if due.already_reminded else ""
            self.stdout.write(
                f"{due.organisation.slug}: review {due.review_date:%Y-%m-%d}, {due.kind}: "
                f"{len(due.user_ids)} {'person' if len(due.user_ids) == 1 else 'people'} "
                f"without a check-in since the last review{already}"
            )
        if not result.due:
            self.stdout.write("No reminders are due now.")
        if dry_run:
            self.stdout.write("Dry run: nothing claimed, nothing sent.")
            return
        sent = services.reminders_send(token=result.token, claim_ids=result.claim_ids)
        self.stdout.write(
            self.style.SUCCESS(
                f"Claimed {result.claimed} (took over {result.retaken} unsent); "
                f"sent {sent.sent}, nothing to remind of {sent.skipped}, failed {sent.failed}."
            )
        )
