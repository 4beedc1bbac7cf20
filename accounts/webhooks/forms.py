"""The webhook endpoint form: the address, the events, a description, on or off."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from accounts.webhooks import EventType
from accounts.webhooks.services import SUBSCRIBABLE, URL_MAX_LENGTH, clean_url


class EndpointForm(Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=URL_MAX_LENGTH,
        help_text=_("An https:// address that accepts POST requests with a JSON body."),
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(value, label) for value, label in EventType.choices if value in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one of the events."),
            "invalid_choice": _("Choose at least one of the events."),
        },
    )
    active = forms.BooleanField(label=_("Active: send events to this address"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]

    def clean_url(self):
        try:
            return clean_url(self.cleaned_data["url"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["url"]) from None
