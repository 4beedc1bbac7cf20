"""API representations of quarter-end scores and leadership's overrides.

Reading and writing use separate serializers, as in ``okr.objectives.serializers``:
write serializers parse and check types strictly; the rules live in
``okr.closing.services``, the functions the close page calls.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    PublicId,
    TextField,
)
from accounts.api.schema import not_null, null_or_absent


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Key result score",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "cycle": EXAMPLE_ID_2,
                "kind": "key_result",
                "objective": None,
                "key_result": EXAMPLE_ID_2,
                "title": "Fakturering nya kunder 4MSEK",
                "progress": 0.68,
                "computed": 0.7,
                "override": 0.6,
                "override_reason": "Two deals slipped to April",
                "value": 0.6,
                "overridden_by": EXAMPLE_USER,
                "overridden_at": EXAMPLE_TIME,
                "computed_at": EXAMPLE_TIME,
            },
        )
    ]
)
class ScoreSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    cycle = PublicId()
    kind = serializers.SerializerMethodField(help_text="key_result or objective.")
    objective = PublicId(allow_null=True)
    key_result = PublicId(allow_null=True)
    title = serializers.SerializerMethodField()
    progress = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The raw progress at the end of the cycle."
    )
    computed = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The score the close computed (0.0 to 1.0)."
    )
    override = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Leadership's score, if set."
    )
    override_reason = serializers.CharField(read_only=True)
    value = serializers.FloatField(
        read_only=True, allow_null=True, help_text="The override if set, else the computed score."
    )
    overridden_by = PublicId(allow_null=True)
    overridden_at = serializers.DateTimeField(read_only=True, allow_null=True)
    computed_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field({"type": "string", "enum": ["key_result", "objective"]})
    def get_kind(self, score) -> str:
        return "key_result" if score.key_result_id is not None else "objective"

    def get_title(self, score) -> str:
        return (score.key_result or score.objective).title


@extend_schema_field(
    {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "nullable": True,
        "description": "0.0 to 1.0 (one decimal is kept); null: use the computed score again.",
    }
)
class ScoreValueField(serializers.Field):
    """A JSON number from 0 to 1, or null."""

    default_error_messages = {"invalid": _("Enter a score from 0.0 to 1.0.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, int) and data not in (0, 1):
            self.fail("invalid")  # float() of a 400-digit integer overflows
        number = float(data)
        if not math.isfinite(number) or not 0.0 <= number <= 1.0:
            self.fail("invalid")
        return number

    def to_representation(self, value):
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Override",
            request_only=True,
            value={"value": 0.6, "reason": "Two deals slipped to April"},
        ),
        OpenApiExample("Back to the computed score", request_only=True, value={"value": None}),
    ]
)
class ScoreOverrideSerializer(serializers.Serializer):
    value = ScoreValueField(allow_null=True)
    reason = TextField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Why: required with a value.",
    )

    # A value comes with a reason (checked in validate); null goes back to the computed score.
    schema_rules = {
        "anyOf": [
            null_or_absent("value", type="number"),
            not_null("reason", {"type": "string", "pattern": r"\S"}),
        ]
    }

    def validate(self, data):
        if data.get("value") is not None and not (data.get("reason") or "").strip():
            raise serializers.ValidationError({"reason": [_("Say why the score is overridden.")]})
        return data
