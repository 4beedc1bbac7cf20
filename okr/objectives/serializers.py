"""API representations of cycles, objectives, key results, check-ins and initiatives.

Reading and writing use separate serializers. Write serializers only parse and
check types (the strict fields of ``accounts.api.fields``, the numbers of
``okr.api.fields``); the rules that cross objects live in
``okr.objectives.services``, the functions the pages call. Public ids are the
UUIDs: ``id`` of an object and every reference to another object.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    ChoiceField,
    IntField,
    PublicId,
    Reference,
    TextField,
    owner_field,
    teams_of,
)
from accounts.api.schema import not_null, null_or_absent
from okr.api.fields import DayField, NumberField, NumberOut, WeightField
from okr.lib import progress
from okr.models import Cycle, KeyResult, Objective

#: The engine's verdicts and colours (``okr.lib.progress``): what every page shows.
VERDICT_CHOICES = [(v, v) for v in progress.VERDICTS]
COLOUR_CHOICES = [(c, c) for c in ("green", "yellow", "red", "grey")]

# --- Choices of a Reference: the rows of the request's organisation -------------------------


def _cycles(organisation):
    return Cycle.objects.filter(organisation=organisation)


def _objectives(organisation):
    return Objective.objects.filter(organisation=organisation).select_related("organisation")


def _key_results(organisation):
    return KeyResult.objects.filter(organisation=organisation).select_related(
        "objective", "organisation"
    )


# --- Cycles ------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Quarter",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "kind": "quarter",
                "year": 2026,
                "quarter": 1,
                "label": "Q1 2026",
                "parent": EXAMPLE_ID_2,
                "start_date": "2026-01-01",
                "end_date": "2026-03-31",
                "state": "active",
                "closed_at": None,
            },
        )
    ]
)
class CycleSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=Cycle.Kind.choices, read_only=True)
    year = serializers.IntegerField(read_only=True)
    quarter = serializers.IntegerField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)
    parent = serializers.UUIDField(source="parent.uuid", read_only=True, allow_null=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=Cycle.State.choices, read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)


@extend_schema_serializer(
    examples=[OpenApiExample("Plan next year", request_only=True, value={"year": 2027})]
)
class CycleWriteSerializer(serializers.Serializer):
    year = IntField(
        min_value=2000,
        max_value=2100,
        help_text="The calendar year in which the fiscal year starts; its quarters come with it.",
    )


# --- Objectives --------------------------------------------------------------------


# Write serializers are put together from these parts. DRF lists a serializer's fields
# base by base, in the order of its bases, so each part's place in the class line is
# its place in the request (and in the schema). No docstrings on serializers: the schema
# would show them as the descriptions of the requests and answers.


# The version an update was read at: a stale one is refused (409) and nothing changes.
class VersionedSerializer(serializers.Serializer):
    version = IntField(
        min_value=1,
        help_text="The version you read; a newer one on the server answers 409 (someone saved first).",
    )


# Where a new objective goes: fixed once it is created.
class ObjectivePlaceSerializer(serializers.Serializer):
    cycle = Reference(
        queryset=_cycles,
        kind=_("cycle"),
        help_text="A year for a strategic objective, a quarter for a team's.",
    )
    level = ChoiceField(choices=Objective.Level.choices)
    team = Reference(
        queryset=teams_of,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="Required for a team objective; a personal objective takes its parent's.",
    )


# What an objective says and where it aligns; one parent at most.
class ObjectiveFieldsSerializer(serializers.Serializer):
    title = TextField(max_length=300)
    why = TextField(max_length=5000, required=False, allow_blank=True)
    owner = owner_field()
    parent_objective = Reference(
        queryset=_objectives, kind=_("objective"), required=False, allow_null=True
    )
    parent_key_result = Reference(
        queryset=_key_results, kind=_("key result"), required=False, allow_null=True
    )
    alignment = ChoiceField(choices=Objective.Alignment.choices, required=False)

    def validate(self, data):
        if data.get("parent_objective") and data.get("parent_key_result"):
            raise serializers.ValidationError(
                {"parent_key_result": [_("Choose a parent objective or a parent key result.")]}
            )
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Strategic objective",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "cycle": EXAMPLE_ID_2,
                "level": "strategic",
                "team": None,
                "owner": EXAMPLE_USER,
                "title": "Kommande år vårt starkaste tillväxtår någonsin",
                "why": "",
                "status": "approved",
                "parent_objective": None,
                "parent_key_result": None,
                "alignment": "indirect",
                "order": 1,
                "progress": 0.2,
                "expected": 0.25,
                "verdict": "on_track",
                "verdict_colour": "green",
                "score": None,
                "version": 3,
                "created_at": EXAMPLE_TIME,
                "updated_at": EXAMPLE_TIME,
            },
        )
    ]
)
class ObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    cycle = PublicId()
    level = serializers.ChoiceField(choices=Objective.Level.choices, read_only=True)
    team = PublicId(allow_null=True)
    owner = PublicId(allow_null=True)
    title = serializers.CharField(read_only=True)
    why = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Objective.Status.choices, read_only=True)
    parent_objective = PublicId(allow_null=True)
    parent_key_result = PublicId(allow_null=True)
    alignment = serializers.ChoiceField(choices=Objective.Alignment.choices, read_only=True)
    order = serializers.IntegerField(read_only=True)
    progress = serializers.FloatField(
        source="numbers.progress",
        read_only=True,
        allow_null=True,
        help_text="0 to 1, the weighted mean of its live key results' progress (equal weights "
        "unless given); null while no key result has progress.",
    )
    expected = serializers.FloatField(
        source="numbers.expected",
        read_only=True,
        allow_null=True,
        help_text="0 to 1: where its key results should be today (their expected pace, "
        "through quarterly steps where they have them), weighted like progress.",
    )
    verdict = serializers.ChoiceField(
        source="numbers.verdict",
        choices=VERDICT_CHOICES,
        read_only=True,
        help_text="The one computed verdict, as every page shows it. Committed key results are "
        "judged against the full pace, aspirational ones against 70 % of it.",
    )
    verdict_colour = serializers.ChoiceField(
        source="numbers.colour", choices=COLOUR_CHOICES, read_only=True
    )
    score = serializers.FloatField(
        source="numbers.score",
        read_only=True,
        allow_null=True,
        help_text="The frozen score (0.0 to 1.0, leadership's override if set) once its cycle is "
        "closed; null before.",
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back when you change the objective."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Team objective under a strategic key result",
            request_only=True,
            value={
                "cycle": EXAMPLE_ID_2,
                "level": "team",
                "team": EXAMPLE_ID,
                "title": "Fler nöjda kunder i Norge",
                "parent_key_result": EXAMPLE_ID,
                "alignment": "direct",
            },
        )
    ]
)
class ObjectiveCreateSerializer(ObjectivePlaceSerializer, ObjectiveFieldsSerializer):
    # A strategic objective has no team and no parent; a team objective names its team
    # (checked by the view and the services).
    schema_rules = {
        "anyOf": [
            {
                "allOf": [
                    {"required": ["level"], "properties": {"level": {"enum": ["strategic"]}}},
                    null_or_absent("team", "parent_objective", "parent_key_result"),
                ]
            },
            {
                "allOf": [
                    {"required": ["level"], "properties": {"level": {"enum": ["team"]}}},
                    not_null("team"),
                ]
            },
            # A person's own (the organisation's personal OKR pilot, okr/personal): under a
            # team objective or key result of its quarter; owner and team follow.
            {
                "allOf": [
                    {"required": ["level"], "properties": {"level": {"enum": ["personal"]}}},
                    {"anyOf": [not_null("parent_objective"), not_null("parent_key_result")]},
                ]
            },
        ]
    }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rename",
            request_only=True,
            value={"version": 3, "title": "Kommande år vårt starkaste tillväxtår någonsin"},
        )
    ]
)
class ObjectiveUpdateSerializer(VersionedSerializer, ObjectiveFieldsSerializer):
    title = TextField(max_length=300, required=False)


# --- Key results -------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric key result",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "objective": EXAMPLE_ID_2,
                "title": "20MSEK försäljning till nya kunder",
                "kind": "metric",
                "unit": "MSEK",
                "direction": "increase",
                "start_value": "0",
                "target_value": "20",
                "current_value": "4",
                "due_date": None,
                "done": False,
                "steps_total": None,
                "steps_done": None,
                "commitment": "committed",
                "owner": EXAMPLE_USER,
                "weight": "1",
                "rollup": "sum",
                "order": 1,
                "archived": False,
                "confidence": "on_track",
                "last_check_in_at": EXAMPLE_TIME,
                "progress": 0.2,
                "expected": 0.1,
                "expected_value": "2",
                "stepped": True,
                "verdict": "ahead",
                "verdict_colour": "green",
                "score": None,
                "is_pending": False,
                "version": 2,
                "created_at": EXAMPLE_TIME,
                "updated_at": EXAMPLE_TIME,
            },
        )
    ]
)
class KeyResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    objective = PublicId()
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=KeyResult.Kind.choices, read_only=True)
    unit = serializers.CharField(read_only=True)
    direction = serializers.ChoiceField(choices=KeyResult.Direction.choices, read_only=True)
    start_value = NumberOut(allow_null=True)
    target_value = NumberOut(allow_null=True, help_text="null: pending (not known yet).")
    current_value = NumberOut(
        allow_null=True,
        help_text="The latest value; the sum of its direct contributions when `rollup` is sum.",
    )
    due_date = serializers.DateField(read_only=True, allow_null=True)
    done = serializers.BooleanField(read_only=True)
    steps_total = serializers.IntegerField(read_only=True, allow_null=True)
    steps_done = serializers.IntegerField(read_only=True, allow_null=True)
    commitment = serializers.ChoiceField(choices=KeyResult.Commitment.choices, read_only=True)
    owner = PublicId(allow_null=True)
    weight = NumberOut()
    rollup = serializers.ChoiceField(
        choices=KeyResult.Rollup.choices,
        read_only=True,
        help_text="How the key results aligned directly to it combine: `sum` (its current value "
        "is their sum; counts and amounts of the same unit) or `none` (listed, never added).",
    )
    order = serializers.IntegerField(read_only=True)
    archived = serializers.BooleanField(read_only=True)
    confidence = serializers.CharField(
        read_only=True,
        help_text="The owner's confidence at the latest check-in ('' before any check-in); "
        "shown beside the computed `verdict`, never part of it.",
    )
    last_check_in_at = serializers.DateTimeField(read_only=True, allow_null=True)
    progress = serializers.FloatField(
        source="numbers.progress",
        read_only=True,
        allow_null=True,
        help_text="0 to 1; null while the target is pending.",
    )
    expected = serializers.FloatField(
        source="numbers.expected",
        read_only=True,
        allow_null=True,
        help_text="0 to 1: where it should be today, through its quarterly steps if it has "
        "them, else linearly over its cycle; null while the target is pending.",
    )
    expected_value = NumberOut(
        source="numbers.expected_amount",
        allow_null=True,
        help_text="The value it should have today (metrics).",
    )
    stepped = serializers.BooleanField(
        source="numbers.stepped", read_only=True, help_text="The expected pace follows steps."
    )
    verdict = serializers.ChoiceField(
        source="numbers.verdict",
        choices=VERDICT_CHOICES,
        read_only=True,
        help_text="The one computed verdict, as every page shows it: committed key results are "
        "judged against the full pace, aspirational ones against 70 % of it.",
    )
    verdict_colour = serializers.ChoiceField(
        source="numbers.colour", choices=COLOUR_CHOICES, read_only=True
    )
    score = serializers.FloatField(
        source="numbers.score",
        read_only=True,
        allow_null=True,
        help_text="The frozen score (0.0 to 1.0, leadership's override if set) once its cycle is "
        "closed; null before.",
    )
    is_pending = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class KeyResultFieldsSerializer(serializers.Serializer):
    title = TextField(max_length=300)
    kind = ChoiceField(choices=KeyResult.Kind.choices, required=False)
    unit = TextField(max_length=30, required=False, allow_blank=True)
    direction = ChoiceField(choices=KeyResult.Direction.choices, required=False)
    start_value = NumberField(required=False, allow_null=True)
    target_value = NumberField(
        required=False, allow_null=True, help_text="Leave out or null while the target is pending."
    )
    due_date = DayField(required=False, allow_null=True)
    steps_total = IntField(min_value=1, max_value=100, required=False, allow_null=True)
    commitment = ChoiceField(choices=KeyResult.Commitment.choices, required=False)
    owner = owner_field()
    weight = WeightField(required=False)
    rollup = ChoiceField(
        choices=KeyResult.Rollup.choices,
        required=False,
        help_text="`sum`: its current value is the sum of the key results aligned directly to it "
        "(a metric in a unit that adds up: counts and amounts). Rates, percentages, NPS and "
        "averages cannot be summed (400).",
    )

    def validate_weight(self, value):
        if value <= 0 or value > Decimal("999.99") or value != value.quantize(Decimal("0.01")):
            raise serializers.ValidationError(
                _("Enter a weight above 0 and at most 999.99, with at most two decimals.")
            )
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric from 0 to 20 MSEK",
            request_only=True,
            value={
                "objective": EXAMPLE_ID_2,
                "title": "20MSEK försäljning till nya kunder",
                "kind": "metric",
                "unit": "MSEK",
                "start_value": "0",
                "target_value": "20",
                "commitment": "committed",
            },
        )
    ]
)
class KeyResultCreateSerializer(KeyResultFieldsSerializer):
    objective = Reference(queryset=_objectives, kind=_("objective"))


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Set a pending target", request_only=True, value={"version": 2, "target_value": "45"}
        )
    ]
)
class KeyResultUpdateSerializer(KeyResultFieldsSerializer, VersionedSerializer):
    title = TextField(max_length=300, required=False)


# --- Check-ins ---------------------------------------------------------------------
