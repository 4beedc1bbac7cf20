"""The confirmation: the organisation's name, typed (the service compares it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form


class DeletionForm(Form):
    name = forms.CharField(
        label=_("The organisation's name"),
        max_length=200,
        strip=False,  # the service compares it; the typed value comes back as typed
        error_messages={"required": _("Type the organisation's name to confirm.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
