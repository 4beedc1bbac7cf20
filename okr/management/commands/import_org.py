"""`manage.py import_org <file>`: load an organisation's export into this database.

All or nothing: any problem is reported and nothing is written. The database
must not hold the organisation already (its ids); ``--slug`` gives it another
address when its own is taken here. People are matched by e-mail address; new
ones get an unusable password (they reset it, or sign in with SSO).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from okr.exports.importing import ImportProblem, import_document


class Command(BaseCommand):
    help = "Import an organisation from its whole-organisation export (JSON; '-' reads stdin)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export (a .json file), or - for standard input.")
        parser.add_argument("--slug", help="Another address for the organisation here.")

    def handle(self, *args, file, slug=None, **options):
        started = time.perf_counter()
        try:
            if file == "-":
                organisation, counts = import_document(sys.stdin, slug=slug)
            else:
                with open(file, encoding="utf-8", newline="") as handle:
                    organisation, counts = import_document(handle, slug=slug)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ImportProblem as problem:
            raise CommandError(f"Nothing was imported: {problem}") from None
        rows = sum(counts.values())
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Imported {organisation.name} ({organisation.slug}): {rows} rows in {seconds:.1f} s"
        )
