"""Template filters for OKR numbers: percentages, values with units, score colours, verdicts.

The numbers themselves come from the engine (``okr.lib.progress``, set on
objects by ``okr.objectives.numbers``); these only say them in the reader's
language.
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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

            return _("by %(date)s") % {"date": date_format(kr.due_date, "ABBR_DATE_FORMAT")}
        return _("milestone")
    if kr.target_value is None:
        return _("target pending")
    return f"{with_unit(kr.start_value, kr.unit)} → {with_unit(kr.target_value, kr.unit)}"


_BADGE = {"green": "badge-green", "yellow": "badge-yellow", "red": "badge-red"}


def verdict_label(numbers) -> str:
    """The verdict in words ("On pace", "Behind pace", "Score 0.7", ...); '' when pending."""
    verdict = numbers.verdict
    if verdict == maths.SCORED:
        score = number_format(numbers.score, decimal_pos=1, use_l10n=True)
        return _("Score %(score)s") % {"score": score}
    return {
        maths.NOT_STARTED: _("Not started"),
        maths.AHEAD: pgettext("verdict", "Ahead of pace"),
        maths.ON_TRACK: pgettext("verdict", "On pace"),
        maths.BEHIND: _("Behind pace"),
        maths.DONE: pgettext("verdict", "Target reached"),
    }.get(verdict, "")


@register.filter
def verdict_text(numbers) -> str:
    """The verdict in words for plain text (e-mails): '' for none."""
    return verdict_label(numbers) if numbers is not None else ""


@register.simple_tag
def verdict(numbers):
    """The one computed verdict of a key result or objective, as a coloured badge."""
    label = verdict_label(numbers) if numbers is not None else ""
    if not label:
        return ""
    return format_html(
        '<span class="badge verdict verdict-{} {}" data-verdict="{}">{}</span>',
        numbers.verdict,
        _BADGE.get(numbers.colour, ""),
        numbers.verdict,
        label,
    )
