"""Filtering, ordering and pagination of API lists.

Every list parameter is checked: a value that is not valid is answered with
400 and the parameter's error, never silently ignored. Objects in filters are
named by their public id (uuid); the lists start from the request's
organisation, so another organisation's id simply matches nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from accounts.models import Invitation, Membership, Team
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective

# --- Pagination -----------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """``?page=2&page_size=100``: 50 a page by default, at most 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and (not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1):
            raise ValidationError(
                {self.page_query_param: [_("Enter a page number: a whole number from 1.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page, from 1. A page past the last one answers 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


# --- Ordering ---------------------------------------------------------------------------


class StrictOrdering(OrderingFilter):
    """``?ordering=-created_at,title``: only the view's ``ordering_fields``; ties by creation."""

    def _allowed(self, view) -> list[str]:
        return list(getattr(view, "ordering_fields", []))

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        allowed = self._allowed(view)
        terms = [term.strip() for term in raw.split(",")]
        bad = [term for term in terms if term.lstrip("-") not in allowed]
        if not terms or bad:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one or more of: %(fields)s (a minus sign for descending).")
                        % {"fields": ", ".join(allowed)}
                    ]
                }
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        allowed = "|".join(re.escape(name) for name in self._allowed(view))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by; a leading minus sorts descending. "
                f"One of: {', '.join(self._allowed(view))}.",
                "schema": {"type": "string", "pattern": f"^-?({allowed})(,-?({allowed}))*$"},
            }
        ]


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


class CycleFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Cycle.Kind.choices)
    year = YearFilter(field_name="year")
    state = django_filters.ChoiceFilter(choices=Cycle.State.choices)

    class Meta:
        model = Cycle
        fields = ["kind", "year", "state"]


class ObjectiveFilter(StrictFilterSet):
    cycle = by_id("cycle__uuid", "The cycle (year or quarter) id.")
    year = YearFilter(field_name="cycle__year", label="The cycle's year.")
    level = django_filters.ChoiceFilter(choices=Objective.Level.choices)
    status = django_filters.ChoiceFilter(choices=Objective.Status.choices)
    team = by_id("team__uuid", "The team id.")
    owner = by_id("owner__uuid", "The owner's user id.")
    parent_objective = by_id("parent_objective__uuid", "The parent objective id.")
    parent_key_result = by_id("parent_key_result__uuid", "The parent key result id.")

    class Meta:
        model = Objective
        fields = [
            "cycle",
            "year",
            "level",
            "status",
            "team",
            "owner",
            "parent_objective",
            "parent_key_result",
        ]


class KeyResultFilter(StrictFilterSet):
    objective = by_id("objective__uuid", "The objective id.")
    cycle = by_id("objective__cycle__uuid", "The objective's cycle id.")
    team = by_id("objective__team__uuid", "The objective's team id.")
    owner = by_id("owner__uuid", "The owner's user id.")
    kind = django_filters.ChoiceFilter(choices=KeyResult.Kind.choices)
    commitment = django_filters.ChoiceFilter(choices=KeyResult.Commitment.choices)
    confidence = django_filters.ChoiceFilter(choices=CheckIn.Confidence.choices)
    archived = YesNoFilter(field_name="archived")

    class Meta:
        model = KeyResult
        fields = ["objective", "cycle", "team", "owner", "kind", "commitment", "confidence"]


class CheckInFilter(StrictFilterSet):
    key_result = by_id("key_result__uuid", "The key result id.")
    objective = by_id("key_result__objective__uuid", "The objective id.")
    author = by_id("author__uuid", "The author's user id.")
    confidence = django_filters.ChoiceFilter(choices=CheckIn.Confidence.choices)
    created_after = TimeFilter(
        field_name="created_at", lookup_expr="gte", label="From this time (inclusive)."
    )
    created_before = TimeFilter(
        field_name="created_at", lookup_expr="lt", label="Before this time."
    )

    class Meta:
        model = CheckIn
        fields = ["key_result", "objective", "author", "confidence"]


class InitiativeFilter(StrictFilterSet):
    key_result = by_id("key_result__uuid", "The key result id.")
    owner = by_id("owner__uuid", "The owner's user id.")
    status = django_filters.ChoiceFilter(choices=Initiative.Status.choices)

    class Meta:
        model = Initiative
        fields = ["key_result", "owner", "status"]
