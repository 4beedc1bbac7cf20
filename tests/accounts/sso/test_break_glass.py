"""`manage.py sso_allow_passwords`: the way back in when a required provider stops working."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, SsoConfiguration

pytestmark = pytest.mark.django_db


def test_turns_require_sso_off_and_records_it(cast):
    SsoConfiguration.objects.create(
        organisation=cast.org,
        issuer="https://id.acme.example",
        client_id="okr",
        enabled=True,
        require_sso=True,
    )
    out = StringIO()
    call_command("sso_allow_passwords", "--org", "acme", stdout=out)
    configuration = SsoConfiguration.objects.get(organisation=cast.org)
    assert configuration.require_sso is False and configuration.enabled is True
    assert "password login works again" in out.getvalue()
    event = AuditEvent.objects.get(organisation=cast.org, action=AuditEvent.Kind.SSO_CHANGED)
    assert event.actor is None and event.details["require_sso"] is False
    # A second run changes nothing and records nothing.
    call_command("sso_allow_passwords", "--org", "acme", stdout=StringIO())
    assert AuditEvent.objects.filter(organisation=cast.org).count() == 1


def test_an_unknown_organisation_is_a_clear_error(cast):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("sso_allow_passwords", "--org", "nope")
