"""Template filters for OKR numbers: percentages, values with units, score colours."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from okr.lib import progress as maths

register = template.Library()


@register.filter
def percent(value):
    """0.42 -> "42 %" (localised); None -> "–"."""
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}\u00a0%"


@register.filter
def percent_int(value):
    return 0 if value is None else round(float(value) * 100)


@register.filter
def number(value):
    """A stored Decimal in the reader's format: 1500.0000 -> "1 500", 12.5 -> "12,5" in sv."""
    if value is None:
        return "–"
    value = Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 0
    return number_format(value, decimal_pos=min(places, 4), use_l10n=True, force_grouping=True)


@register.filter
def with_unit(value, unit):
    text = number(value)
    if value is None or not unit:
        return text
    return f"{text}\u00a0{unit}" if unit != "%" else f"{text}\u00a0%"


@register.filter
def colour(score):
    return "" if score is None else maths.score_colour(score)


@register.simple_tag
def key_result_target(kr):
    """How a key result's goal reads: "15 → 5 %", "by 15 Feb", or pending."""
    if kr.kind == "milestone":
        if kr.due_date:
            from django.utils.formats import date_format

            return _("by %(date)s") % {"date": date_format(kr.due_date, "j M Y")}
        return _("milestone")
    if kr.target_value is None:
        return _("target pending")
    return f"{with_unit(kr.start_value, kr.unit)} → {with_unit(kr.target_value, kr.unit)}"
