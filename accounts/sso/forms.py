"""The SSO settings form (the secret is write-only) and the sign-in page's e-mail form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import outbound
from accounts.fields import Form, as_validation_error
from accounts.sso import cleaning


class SsoSettingsForm(Form):
    issuer = forms.CharField(
        label=_("Issuer URL"),
        max_length=500,
        help_text=_(
            "The provider's address, like https://login.example.com/realms/acme. Its "
            "discovery document is read from /.well-known/openid-configuration under it."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    client_id = forms.CharField(
        label=_("Client id"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=1000,
        required=False,
        strip=False,
        # Write-only: never rendered back, not even after a failed save.
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    domains = forms.CharField(
        label=_("Allowed e-mail domains"),
        max_length=5000,
        required=False,
        help_text=_(
            "One a line (or separated by commas). People whose address is in one of these "
            "domains are sent to this provider to sign in."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    enabled = forms.BooleanField(label=_("Single sign-on is on"), required=False)
    require_sso = forms.BooleanField(
        label=_("Require single sign-on"),
        required=False,
        help_text=_(
            "Members can no longer sign in with a password, admins included: everyone "
            "signs in through the provider. Possible once someone has signed in through it."
        ),
    )

    def __init__(self, *args, has_secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        self.fields["client_secret"].help_text = (
            _("A secret is stored; it is never shown. Leave empty to keep it.")
            if has_secret
            else _("The secret the provider gave you for this client. It is never shown again.")
        )

    def _clean_with(self, name, check):
        try:
            return check(self.cleaned_data[name])
        except cleaning.Refused as refused:
            raise as_validation_error(refused) from None

    def clean_issuer(self):
        issuer = self._clean_with("issuer", cleaning.check_issuer)
        outbound.check_url(issuer)  # public https addresses only (SSRF)
        return issuer

    def clean_client_id(self):
        return self._clean_with("client_id", cleaning.check_client_id)

    def clean_client_secret(self):
        return self._clean_with("client_secret", cleaning.check_client_secret)

    def clean_domains(self):
        return self._clean_with("domains", cleaning.check_domains)


class SsoEmailForm(Form):
    email = forms.EmailField(
        label=_("Work e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
