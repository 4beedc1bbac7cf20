"""Serializer fields the OKR features share: numbers and days, in and out.

A number is read by ``okr.lib.fields`` (the grammar the forms read too: "1 500,5"
and "1500.5" as strings, or a finite JSON number rounded to 4 decimals) and
written as a string without trailing zeros; a day is YYYY-MM-DD between the
calendar's first and last year. The generic strict fields live in
``accounts.api.fields``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.fields import refused_as_drf
from accounts.cleaning import Refused
from okr.lib.fields import (
    DAY_PATTERN,
    FIRST_DAY,
    LAST_DAY,
    MAX_ABS_VALUE,
    NUMBER_PATTERN,
    number_from_json,
    parse_day,
)

#: A key result's weight as text: above 0, at most 999.99, at most two decimals.
WEIGHT_PATTERN = r"^([1-9][0-9]{0,2}([.,][0-9]{1,2})?|0[.,]([1-9][0-9]?|0[1-9]))$"
WEIGHT_MAX = Decimal("999.99")

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


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": WEIGHT_PATTERN, "example": "1,5"},
            {"type": "number", "minimum": 0.01, "maximum": 999.99, "multipleOf": 0.01},
        ],
        "description": "Above 0, at most 999.99, with at most two decimals "
        '(a string such as "1,5" or "2.25", or a JSON number).',
    }
)
class WeightField(NumberField):
    """A key result's weight: exactly what its schema says, nothing the number grammar adds."""

    default_error_messages = {
        "weight": _("Enter a weight above 0 and at most 999.99, with at most two decimals.")
    }

    def to_internal_value(self, data):
        if isinstance(data, str) and not re.fullmatch(WEIGHT_PATTERN[1:-1], data):
            self.fail("weight")
        if isinstance(data, float) and math.isfinite(data):
            exact = Decimal(repr(data))  # 0.5700000000000001 is not a multiple of 0.01
            if exact != exact.quantize(Decimal("0.01")):
                self.fail("weight")
        number = super().to_internal_value(data)
        if not 0 < number <= WEIGHT_MAX or number != number.quantize(Decimal("0.01")):
            self.fail("weight")
        return number


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


DAY_SCHEMA = {
    "type": "string",
    "format": "date",
    "pattern": DAY_PATTERN,
    "description": f"YYYY-MM-DD, from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.",
}


@extend_schema_field(DAY_SCHEMA)
class DayField(serializers.DateField):
    """A day written as YYYY-MM-DD, from the calendar's first to its last year."""

    def to_internal_value(self, value):
        try:
            return parse_day(value)
        except Refused as refused:
            raise refused_as_drf(refused) from None
