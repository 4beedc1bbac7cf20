"""Single sign-on with OpenID Connect: one provider per organisation, and the e-mail domains it signs in."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models.people import Organisation


class SsoConfiguration(models.Model):
    """An organisation's OpenID Connect provider, set up by its admin.

    The client secret is stored encrypted (``accounts.sso.secrets``: Fernet with a key
    derived from ``SECRET_KEY``) and never shown again: pages and the API only say
    whether one is set.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sso_configuration"
    )
    issuer = models.URLField(_("issuer URL"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    require_sso = models.BooleanField(_("require single sign-on"), default=False)
    # The last problem signing in through the provider ({code, params, at}), for the admin;
    # cleared by the next sign-in that works.
    last_problem = models.JSONField(null=True, blank=True)
    # When someone last signed in through these provider settings: "require SSO" needs one
    # (so the settings are proven before password login is turned off); a new issuer,
    # client id or secret clears it.
    last_success_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(require_sso=False) | Q(enabled=True),
                name="sso_required_only_when_enabled",
            ),
            models.CheckConstraint(condition=~Q(issuer=""), name="sso_issuer_not_empty"),
            models.CheckConstraint(condition=~Q(client_id=""), name="sso_client_id_not_empty"),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.issuer}"

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


class SsoDomain(models.Model):
    """An e-mail domain whose people sign in through one organisation's provider.

    A domain belongs to one organisation at most (first come; not verified by DNS).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sso_domains"
    )
    configuration = models.ForeignKey(
        SsoConfiguration, on_delete=models.CASCADE, related_name="domains"
    )
    # Also the index for the sign-in page's "which organisation signs in this domain?".
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__regex=r"^[a-z0-9.-]+$"), name="sso_domain_lower_case"
            ),
        ]

    def __str__(self):
        return self.domain
