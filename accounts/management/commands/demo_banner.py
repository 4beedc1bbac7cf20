"""Prints where the app runs and the demo logins (used by `make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Print the URL and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        line = "=" * 64
        self.stdout.write(line)
        self.stdout.write(f"  OKR is starting at {url}")
        self.stdout.write(
            f"  Demo organisation: {url}dpab/   password for everyone: {DEMO_PASSWORD}"
        )
        for email, name, role, title in PEOPLE:
            self.stdout.write(f"    {email:26} {name:9} {role:11} {title}")
        self.stdout.write(
            f"  E-mails (reminders, invitations) are written to {settings.DATA_DIR / 'mail'}/"
        )
        self.stdout.write(f"  and listed at {url}dev/mail/")
        self.stdout.write("  Stop with Ctrl-C.")
        self.stdout.write(line)
