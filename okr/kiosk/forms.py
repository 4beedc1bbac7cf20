"""The form that makes a kitchen board link: only its label."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.kiosk.services import LABEL_MAX_LENGTH, LABEL_REQUIRED


class BoardLinkForm(Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=LABEL_MAX_LENGTH,
        error_messages={"required": LABEL_REQUIRED},  # the service's words, as in the API
        help_text=_("Where the screen is, such as “Kitchen, 2nd floor”. Only admins see it."),
    )
