"""`manage.py store_numbers`: store the progress engine's numbers on every objective and key result.

Pages that list many objectives read the numbers stored on them (see
okr/objectives/stored.py). Every write keeps them current and the hourly job
``okr.refresh_numbers`` moves them to each new day; this command fills them
after rows were loaded in bulk (an import, `make bench`) or after an upgrade.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from okr.objectives import stored


class Command(BaseCommand):
    help = "Store the progress engine's numbers on objectives and key results."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organisation (its address, e.g. dpab).")
        parser.add_argument(
            "--stale", action="store_true", help="Only the rows whose numbers are not today's."
        )

    def handle(self, *args, org=None, stale=False, **options):
        organisations = Organisation.objects.order_by("slug")
        if org:
            organisations = organisations.filter(slug=org)
            if not organisations.exists():
                raise CommandError(f"No organisation with the address {org!r}.")
        for organisation in organisations:
            written = stored.refresh_organisation(organisation, everything=not stale)
            self.stdout.write(f"{organisation.slug}: numbers stored on {written} objectives")
