"""Filters of API lists: the strict base every feature's filters build on, and the
filters of teams, members and invitations.

A parameter that is present must be valid (400 with its error, never silently
ignored). Objects in filters are named by their public id (uuid); the lists
start from the request's organisation, so another organisation's id simply
matches nothing.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.cleaning import CHOICE_MESSAGE, Refused
from accounts.fields import message
from accounts.models import Invitation, Membership, Team

# --- Filters ---------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class YesNoFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        kwargs.setdefault("method", self.filter_yes_no)
        super().__init__(*args, **kwargs)

    def filter_yes_no(self, queryset, name, value):
        if value in ("true", "false"):
            return queryset.filter(**{self.field_name: value == "true"})
        return queryset


class StrictFilterSet(django_filters.FilterSet):
    """A parameter that is present must have a value: ``?team=`` is an error, not "no filter"."""

    def is_valid(self):
        for field in self.form.fields.values():
            if isinstance(field, forms.ChoiceField):
                # The answer lists the choices, as the body's choice fields do.
                values = [str(value) for value, _label in field.choices if value != ""]
                field.error_messages["invalid_choice"] = message(
                    Refused(CHOICE_MESSAGE, value="%(value)s", choices=", ".join(values))
                )
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "" and name not in self.form.errors:
                self.form.add_error(name, _("Enter a value, or leave the parameter out."))
                valid = False
        return valid


class BoundedDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time from 1900 to 9000 with a real time-zone offset (at most 14 hours)."""

    default_error_messages = {
        "out_of_range": _(
            "Enter a time between the years 1900 and 9000, with an offset of at most 14 hours."
        ),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        offset = value.utcoffset()
        if (offset is not None and abs(offset) > timedelta(hours=14)) or not (
            1900 <= value.year <= 9000
        ):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return value


#: The times ``BoundedDateTimeField`` reads, as the schema publishes them (with ``format``).
TIME_PATTERN = (
    r"^(19[0-9]{2}|[2-8][0-9]{3}|9000)-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": TIME_PATTERN,
        "description": "An ISO 8601 time with its offset, between the years 1900 and 9000.",
    }
)
class TimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


def by_id(field_name: str, help_text: str):
    return django_filters.UUIDFilter(field_name=field_name, label=help_text)


class TeamFilter(StrictFilterSet):
    parent = by_id("parent__uuid", "The department (parent team) id.")

    class Meta:
        model = Team
        fields = ["parent"]


class MemberFilter(StrictFilterSet):
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Membership
        fields = ["role"]


class InvitationFilter(StrictFilterSet):
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)

    class Meta:
        model = Invitation
        fields = ["role"]
