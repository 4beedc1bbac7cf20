"""API representations of check-ins (append-only) and initiatives: separate read and write serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    BoolField,
    ChoiceField,
    IntField,
    PublicId,
    Reference,
    TextField,
    owner_field,
)
from okr.api.fields import NumberField, NumberOut
from okr.models import CheckIn, Initiative, KeyResult

#: The engine's verdicts and colours (``okr.lib.progress``): what every page shows.
from okr.objectives.serializers import _key_results


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Check-in",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "key_result": EXAMPLE_ID_2,
                "value": "4",
                "done": None,
                "steps_done": None,
                "confidence": "on_track",
                "note": "Två nya kunder i Norge",
                "author": EXAMPLE_USER,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class CheckInSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    key_result = PublicId()
    value = NumberOut(allow_null=True)
    done = serializers.BooleanField(read_only=True, allow_null=True)
    steps_done = serializers.IntegerField(read_only=True, allow_null=True)
    confidence = serializers.ChoiceField(choices=CheckIn.Confidence.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    author = PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Metric check-in",
            request_only=True,
            value={
                "key_result": EXAMPLE_ID_2,
                "value": "4",
                "confidence": "on_track",
                "note": "Två nya kunder i Norge",
            },
        ),
        OpenApiExample(
            "Milestone check-in",
            request_only=True,
            value={"key_result": EXAMPLE_ID, "done": True, "confidence": "on_track"},
        ),
    ]
)
class CheckInCreateSerializer(serializers.Serializer):
    key_result = Reference(queryset=_key_results, kind=_("key result"))
    confidence = ChoiceField(choices=CheckIn.Confidence.choices)
    value = NumberField(
        required=False, allow_null=True, help_text="The current value (metric key results)."
    )
    done = BoolField(required=False, allow_null=True, help_text="Milestone key results.")
    steps_done = IntField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Milestones with steps: how many are done.",
    )
    note = TextField(max_length=2000, required=False, allow_blank=True)

    def validate(self, data):
        kr: KeyResult = data["key_result"]
        errors = {}
        if kr.kind == KeyResult.Kind.METRIC:
            if data.get("value") is None:
                errors["value"] = [_("Enter the current value.")]
            for name in ("done", "steps_done"):
                if data.get(name) is not None:
                    errors[name] = [_("A metric key result takes a value.")]
        else:
            if data.get("value") is not None:
                errors["value"] = [_("A milestone takes done or steps done, not a value.")]
            steps = data.get("steps_done")
            if steps is not None and not kr.steps_total:
                errors["steps_done"] = [_("This milestone has no steps.")]
            elif steps is not None and steps > kr.steps_total:
                errors["steps_done"] = [_("At most %(total)s steps.") % {"total": kr.steps_total}]
        if errors:
            raise serializers.ValidationError(errors)
        return data


# --- Initiatives -------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Initiative",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "key_result": EXAMPLE_ID_2,
                "title": "Ringa 50 kunder i Norge",
                "owner": EXAMPLE_USER,
                "status": "in_progress",
                "order": 1,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class InitiativeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    key_result = PublicId()
    title = serializers.CharField(read_only=True)
    owner = PublicId(allow_null=True)
    status = serializers.ChoiceField(choices=Initiative.Status.choices, read_only=True)
    order = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "New initiative",
            request_only=True,
            value={"key_result": EXAMPLE_ID_2, "title": "Ringa 50 kunder i Norge"},
        )
    ]
)
class InitiativeCreateSerializer(serializers.Serializer):
    key_result = Reference(queryset=_key_results, kind=_("key result"))
    title = TextField(max_length=300)
    owner = owner_field()


@extend_schema_serializer(
    examples=[OpenApiExample("Done", request_only=True, value={"status": "done"})]
)
class InitiativeUpdateSerializer(serializers.Serializer):
    status = ChoiceField(choices=Initiative.Status.choices)
