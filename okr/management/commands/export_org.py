"""`manage.py export_org <slug>`: write an organisation's whole-organisation export (JSON).

The same document an admin downloads from the settings ("Export everything")
and the API (``GET /api/v1/<org>/export/``) give; ``import_org`` reads it.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from okr.exports import organisation as document


class Command(BaseCommand):
    help = "Write an organisation's whole-organisation export (JSON) to a file or stdout."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The organisation's address, e.g. dpab.")
        parser.add_argument("-o", "--output", help="The file to write (default: stdout).")

    def handle(self, *args, slug, output=None, **options):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation with the address {slug!r}.")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                document.write(organisation, handle)
        else:
            document.write(organisation, sys.stdout)
