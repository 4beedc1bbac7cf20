"""Template filters for the review and quarter close pages."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import pgettext

from okr.lib import progress as maths

register = template.Library()


@register.filter
def delta(value):
    """A change in progress as percentage points: "+8 pp", "−3 pp", "±0 pp"; None -> "–"."""
    if value is None:
        return "–"
    points = round(float(value) * 100)
    unit = pgettext("percentage points", "pp")
    if points == 0:
        return f"±0\u00a0{unit}"
    sign = "+" if points > 0 else "−"
    return f"{sign}{abs(points)}\u00a0{unit}"


@register.filter
def trend(value):
    """'up', 'down' or 'same' for a change in progress (CSS classes)."""
    if value is None or round(float(value) * 100) == 0:
        return "same"
    return "up" if value > 0 else "down"


@register.filter
def score(value):
    """A score with one decimal in the reader's format (0,7 in Swedish); None -> "–"."""
    if value is None:
        return "–"
    return number_format(maths.round_score(value), decimal_pos=1, use_l10n=True)
