"""Break glass: let an organisation's members sign in with passwords again (its provider died).

"Require SSO" turns password login off for every member, admins included; if the
provider then stops working, nobody can reach the settings page to turn it back.
An operator with shell access runs this; the change is in the audit log.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audit
from accounts.models import Organisation, SsoConfiguration


class Command(BaseCommand):
    help = "Turn 'require single sign-on' off for an organisation (password login works again)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")

    def handle(self, *args, org, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {org!r}.")
        with transaction.atomic():
            configuration = (
                SsoConfiguration.objects.select_for_update()
                .filter(organisation=organisation)
                .first()
            )
            if configuration is None or not configuration.require_sso:
                self.stdout.write(
                    f"{organisation.slug}: single sign-on is not required; nothing to do."
                )
                return
            configuration.require_sso = False
            configuration.save(update_fields=["require_sso"])
            audit.record(
                organisation,
                None,
                audit.Kind.SSO_CHANGED,
                configuration,
                details={"require_sso": False, "by": "manage.py sso_allow_passwords"},
            )
        self.stdout.write(
            f"{organisation.slug}: password login works again; single sign-on stays available."
        )
