"""Serializer fields the OKR features share: numbers and days, in and out.

A number is read by ``okr.lib.fields`` (the grammar the forms read too: "1 500,5"
and "1500.5" as strings, or a finite JSON number rounded to 4 decimals) and
written as a string without trailing zeros; a day is YYYY-MM-DD between the
calendar's first and last year. The generic strict fields live in
``accounts.api.fields``.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import refused_as_drf
from accounts.cleaning import Refused
from okr.lib.fields import (
    FIRST_DAY,
    LAST_DAY,
    MAX_ABS_VALUE,
    NUMBER_PATTERN,
    number_from_json,
    parse_day,
)

DECIMAL_PATTERN = NUMBER_PATTERN
DECIMAL_INPUT_SCHEMA = {
    "oneOf": [
        {"type": "string", "pattern": NUMBER_PATTERN, "example": "1 500,5"},
        {
            "type": "number",
            "minimum": -int(MAX_ABS_VALUE),
            "maximum": int(MAX_ABS_VALUE),
            "example": 1500.5,
        },
    ],
    "description": "A number as a string (exact: at most 12 digits, optionally in groups of "
    "three separated by spaces, then a decimal comma or point and at most 4 decimals: "
    '"1500", "1 500,5", "-12.25") or as a JSON number (rounded to 4 decimals).',
}


@extend_schema_field(DECIMAL_INPUT_SCHEMA)
class NumberField(serializers.Field):
    """A decimal number as a string in the pages' grammar, or a finite JSON number."""

    def to_internal_value(self, data):
        try:
            return number_from_json(data)
        except Refused as refused:
            raise refused_as_drf(refused) from None

    def to_representation(self, value):
        return format_decimal(value)


def format_decimal(value) -> str | None:
    """``Decimal("12.50")`` -> ``"12.5"``; None stays None."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "12.5"}
)
class NumberOut(serializers.Field):
    """A decimal number written as an exact string (read only)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return format_decimal(value)


@extend_schema_field(
    {
        "type": "string",
        "format": "date",
        "description": f"YYYY-MM-DD, from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.",
    }
)
class DayField(serializers.DateField):
    """A day written as YYYY-MM-DD, from the calendar's first to its last year."""

    def to_internal_value(self, value):
        try:
            return parse_day(value)
        except Refused as refused:
            raise refused_as_drf(refused) from None
