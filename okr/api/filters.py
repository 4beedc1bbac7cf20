"""Filters of the OKR lists: cycles, objectives, key results, check-ins, initiatives.

Built on the strict base in ``accounts.api.filters``: a parameter that is present
must be valid (400 with its error); objects are named by their public id.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from accounts.api.filters import StrictFilterSet, TimeFilter, YearFilter, YesNoFilter, by_id
from okr.api.fields import DAY_SCHEMA
from okr.lib import calendar
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives.forms import DayField


@extend_schema_field(DAY_SCHEMA)
class DayFilter(django_filters.DateFilter):
    """A day in a query (YYYY-MM-DD) within the calendar's years, as in bodies and forms."""

    field_class = DayField


class CurrentFilter(YesNoFilter):
    """``true``: the cycle contains today in the organisation's time zone (``okr.lib.calendar``)."""

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs["method"] = self.filter_current
        super().__init__(*args, **kwargs)

    def filter_current(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        today = calendar.today(self.parent.request.organisation)
        within = Q(**{f"{self.prefix}start_date__lte": today, f"{self.prefix}end_date__gte": today})
        return queryset.filter(within) if value == "true" else queryset.exclude(within)


class CycleFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Cycle.Kind.choices)
    year = YearFilter(field_name="year")
    state = django_filters.ChoiceFilter(choices=Cycle.State.choices)
    current = CurrentFilter(label="true: the year and quarter that contain today.")

    class Meta:
        model = Cycle
        fields = ["kind", "year", "state", "current"]


class ObjectiveFilter(StrictFilterSet):
    cycle = by_id("cycle__uuid", "The cycle (year or quarter) id.")
    year = YearFilter(field_name="cycle__year", label="The cycle's year.")
    current = CurrentFilter(
        prefix="cycle__", label="true: objectives of the year and quarter that contain today."
    )
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
            "current",
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
