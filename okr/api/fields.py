"""Serializer fields the OKR features share: decimal numbers in and out.

A number is read from a JSON number (rounded to 4 decimals) or an exact string,
within the range the forms allow (``MAX_ABS_VALUE``), and written as a string
without trailing zeros. The generic strict fields live in ``accounts.api.fields``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from okr.objectives.forms import MAX_ABS_VALUE

DECIMAL_PATTERN = r"^-?\d{1,12}(\.\d{1,4})?$"
DECIMAL_INPUT_SCHEMA = {
    "oneOf": [
        {"type": "string", "pattern": DECIMAL_PATTERN, "example": "1500.5"},
        {
            "type": "number",
            "minimum": -int(MAX_ABS_VALUE),
            "maximum": int(MAX_ABS_VALUE),
            "example": 1500.5,
        },
    ],
    "description": "A number with at most 12 digits before and 4 after the point, "
    "as a JSON number or a string (exact).",
}


@extend_schema_field(DECIMAL_INPUT_SCHEMA)
class NumberField(serializers.Field):
    """A decimal number as a JSON number (rounded to 4 decimals) or an exact string."""

    default_error_messages = {
        "invalid": _("Enter a number, like 1500 or 12.5."),
        "range": _("Enter a number between -999 999 999 999 and 999 999 999 999."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int | float):
            try:
                number = Decimal(repr(data)) if isinstance(data, float) else Decimal(data)
            except InvalidOperation:
                self.fail("invalid")
            if not number.is_finite():
                self.fail("invalid")
        elif isinstance(data, str):
            if not re.fullmatch(r"[-+]?\d{1,12}(\.\d{1,4})?", data.strip()):
                self.fail("invalid")
            number = Decimal(data.strip())
        else:
            self.fail("invalid")
        if abs(number) > MAX_ABS_VALUE:
            self.fail("range")
        return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)

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
