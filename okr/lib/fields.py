"""What the app accepts as a number or a day, for pages and the API alike. Pure.

The forms' fields (``okr.objectives.forms``: ``NumberField``, ``DayField``) and the
API's (``okr.api.fields``) call these functions, so "1 500,5" means the same in a
page and in a request, and both refuse the same input with the same message
(:class:`accounts.cleaning.Refused`; the callers translate it).

Numbers (decided once, documented in the README)
-------------------------------------------------
A number is written as people in Sweden and Norway write it, or as a program does:
an optional sign (``-``, ``+`` or the minus sign ``−``), at most 12 digits, either
together (``1500``) or in groups of three separated by a space, a no-break space or
a narrow no-break space (``1 500``), then optionally a decimal comma or point and at
most 4 decimals (``12,5``, ``12.5``). Nothing else: no exponents (``1e3``), no NaN or
Infinity, no thousands point or comma (``1.500,5``; ``1,500`` is one and a half).
:data:`NUMBER_PATTERN` is that grammar as the API schema publishes it. A JSON number
(the API) is taken as it is, finite and within :data:`MAX_ABS_VALUE`, and rounded to
4 decimals (it is binary, so 0.1 arrives as 0.1000000000000000055...).

Days
----
Every day anybody types lies between :data:`FIRST_DAY` and :data:`LAST_DAY`, the
calendar's ``MIN_YEAR`` and ``MAX_YEAR``: nothing in an organisation's OKRs is dated
before or after, and the schedule and charts need not guard against year 1.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from accounts.cleaning import Refused
from okr.lib.calendar import MAX_YEAR, MIN_YEAR


def _(text: str) -> str:
    """Mark ``text`` for translation (the caller translates it)."""
    return text


MAX_ABS_VALUE = Decimal("999999999999")  # fits DecimalField(max_digits=16, decimal_places=4)
DECIMALS = 4
_STEP = Decimal(1).scaleb(-DECIMALS)
_GROUP_SPACES = " \u00a0\u202f"
_NUMBER = (
    r"[-+\u2212]?(?:[0-9]{1,12}|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}){1,3})(?:[.,][0-9]{1,4})?"
)
#: The grammar of a number written as text (the API schema's ``pattern``).
NUMBER_PATTERN = f"^{_NUMBER}$"
_TO_PLAIN = {ord(c): None for c in _GROUP_SPACES} | {ord("\u2212"): "-", ord(","): "."}

NUMBER_INVALID = _(
    "Enter a number such as 1500, 1 500 or 12,5: at most 12 digits (spaces only between "
    "groups of three), then a decimal comma or point and at most 4 decimals."
)
NUMBER_RANGE = _("Enter a number between -999 999 999 999 and 999 999 999 999.")

#: A day as the API schema publishes it (with ``format: date``): a year of the calendar.
DAY_PATTERN = (
    rf"^({MIN_YEAR // 100}[0-9]{{2}}|{MAX_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
)
FIRST_DAY = date(MIN_YEAR, 1, 1)
LAST_DAY = date(MAX_YEAR, 12, 31)
DAY_INVALID = _("Enter a date as YYYY-MM-DD, such as 2026-03-31.")
DAY_RANGE = _("Enter a date between %(first)s and %(last)s.")


def _in_range(number: Decimal) -> Decimal:
    if abs(number) > MAX_ABS_VALUE:
        raise Refused(NUMBER_RANGE, "range")
    return number.quantize(_STEP, rounding=ROUND_HALF_EVEN)


def parse_number(text: str) -> Decimal:
    """A number written as text (see the module's grammar), exactly, as a Decimal."""
    if not isinstance(text, str) or len(text) > 40 or not re.fullmatch(_NUMBER, text):
        raise Refused(NUMBER_INVALID, "invalid")
    return _in_range(Decimal(text.translate(_TO_PLAIN)))


def number_from_json(value) -> Decimal:
    """A number from a JSON body: a string (:func:`parse_number`) or a finite JSON number."""
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refused(NUMBER_INVALID, "invalid")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Refused(NUMBER_INVALID, "invalid")
        # repr is the shortest text that reads back as the same float: 0.1, not 0.1000...055
        value = Decimal(repr(value))
    return _in_range(Decimal(value))


def check_day(day: date) -> date:
    """``day`` if it lies between FIRST_DAY and LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Refused(DAY_RANGE, "range", first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def parse_day(text) -> date:
    """A day written as YYYY-MM-DD (a query parameter, a JSON string), within the range."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise Refused(DAY_INVALID, "invalid")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Refused(DAY_INVALID, "invalid") from None
    return check_day(day)
