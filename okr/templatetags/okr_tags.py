"""Template filters for OKR numbers: percentages, values with units, score colours, verdicts.

The numbers themselves come from the engine (``okr.lib.progress``, set on
objects by ``okr.objectives.numbers``); these only say them in the reader's
language.
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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


@register.simple_tag(takes_context=True)
def progress_bar(context):
    """What ``objectives/includes/progress.html`` shows, written in Python.

    Pages show it hundreds of times (every key result and objective of a
    list) and the template engine took most of their time: the include now
    calls this. Reads ``numbers``, ``code``, ``label``, ``objective_level`` and
    ``value`` from the context, as the template did; the markup is the same.
    """
    numbers = context.get("numbers")
    label = context.get("label")
    label = conditional_escape(label if label else _("Progress"))
    if not numbers:
        value = context.get("value")
        if value is None:
            return mark_safe(  # noqa: S308 - fixed markup, translated text escaped
                '<span class="progress progress-pending"><span class="badge">'
                f"{_pending_text(context)}</span></span>"
            )
        return mark_safe(  # noqa: S308 - numbers and escaped text only
            '<span class="progress">\n'
            f'  <progress max="100" value="{percent_int(value)}" aria-label="{label}">'
            f"{percent(value)}</progress>\n"
            f'  <span class="progress-value">{percent(value)}</span>\n</span>'
        )
    code = conditional_escape("" if context.get("code") is None else context.get("code"))
    verdict_ = conditional_escape(numbers.verdict)
    if numbers.progress is None:
        return mark_safe(  # noqa: S308 - escaped values
            f'<span class="progress progress-pending" data-numbers-for="{code}" '
            f'data-verdict="{verdict_}"><span class="badge">{_pending_text(context)}</span></span>'
        )
    behind = " is-behind" if numbers.behind else ""
    expected_data = (
        f' data-expected="{percent_int(numbers.expected)}"' if numbers.expected is not None else ""
    )
    expected_text = ""
    if numbers.expected is not None and not numbers.closed:
        text = _("expected %(expected)s") % {
            "expected": conditional_escape(percent(numbers.expected))
        }
        expected_text = f'<span class="progress-expected muted">{text}</span>'
    return mark_safe(  # noqa: S308 - escaped values and the verdict tag's own format_html
        f'<span class="progress verdict-{verdict_}{behind}" data-numbers-for="{code}" '
        f'data-progress="{percent_int(numbers.progress)}"{expected_data} '
        f'data-verdict="{verdict_}">\n'
        f'  <progress max="100" value="{percent_int(numbers.progress)}" aria-label="{label}">'
        f"{percent(numbers.progress)}</progress>\n"
        f'  <span class="progress-value">{percent(numbers.progress)}</span>\n'
        f"  {expected_text}\n"
        f"  {verdict(numbers)}\n</span>"
    )


def _pending_text(context) -> str:
    if context.get("objective_level"):
        return conditional_escape(_("No measurable key results yet"))
    return conditional_escape(_("Pending"))
