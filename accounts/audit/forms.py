"""The audit log's filters, one form for the settings page and the API's query parameters."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.audit.selectors import SYSTEM, Filters
from accounts.fields import DayInput, Form
from accounts.models import AuditEvent, Membership

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # as every day of the app


class DayField(forms.DateField):
    widget = DayInput
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter the date as YYYY-MM-DD, like 2026-12-06.")}

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 10:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day = super().to_python(value)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Enter a day from %(first)s to %(last)s."),
                code="range",
                params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
            )
        return day


class ActorField(forms.ChoiceField):
    """The page offers the members; any person's id is valid (they may have left since)."""

    def valid_value(self, value):
        if value == SYSTEM:
            return True
        try:
            uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            return False
        return len(value) <= 36


class AuditFilterForm(Form):
    api = False  # the API's form offers no list of people (any person's id is valid)

    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Everything"))] + list(AuditEvent.Kind.choices),
        error_messages={"invalid_choice": _("Choose one of the kinds of event.")},
    )
    actor = ActorField(
        label=_("Who"),
        required=False,
        error_messages={"invalid_choice": _("Choose a person, or the system.")},
    )
    since = DayField(label=_("From"), required=False)
    until = DayField(label=_("Until"), required=False)

    def __init__(self, data=None, *, organisation, **kwargs):
        super().__init__(data, **kwargs)
        if self.api:
            return
        people = (
            Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        self.fields["actor"].choices = [("", _("Everyone")), (SYSTEM, _("The system"))] + [
            (str(m.user.uuid), m.user.name or m.user.email) for m in people
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day comes on or after the first."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            since=data.get("since"),
            until=data.get("until"),
        )


class AuditQueryForm(AuditFilterForm):
    """The API's query parameters: the same rules, without the page's list of people."""

    api = True
