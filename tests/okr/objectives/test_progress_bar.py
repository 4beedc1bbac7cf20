"""``{% progress_bar %}`` (okr_tags) shows exactly what objectives/includes/progress.html showed.

The include's template markup is kept here as it was before the tag took
over (pages show it hundreds of times; the template engine was most of their
time): both are rendered for every kind of numbers, in three languages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from okr.lib import progress as engine

TEMPLATE_BEFORE = (
    "{% load i18n okr_tags %}"
    + '{% if numbers %}{% if numbers.progress is None %}<span class="progress progress-pending" data-numbers-for="{{ code }}" data-verdict="{{ numbers.verdict }}"><span class="badge">{% if objective_level %}{% translate "No measurable key results yet" %}{% else %}{% translate "Pending" %}{% endif %}</span></span>{% else %}<span class="progress verdict-{{ numbers.verdict }}{% if numbers.behind %} is-behind{% endif %}" data-numbers-for="{{ code }}" data-progress="{{ numbers.progress|percent_int }}"{% if numbers.expected is not None %} data-expected="{{ numbers.expected|percent_int }}"{% endif %} data-verdict="{{ numbers.verdict }}">\n  <progress max="100" value="{{ numbers.progress|percent_int }}" aria-label="{{ label|default:_(\'Progress\') }}">{{ numbers.progress|percent }}</progress>\n  <span class="progress-value">{{ numbers.progress|percent }}</span>\n  {% if numbers.expected is not None and not numbers.closed %}<span class="progress-expected muted">{% blocktranslate with expected=numbers.expected|percent %}expected {{ expected }}{% endblocktranslate %}</span>{% endif %}\n  {% verdict numbers %}\n</span>{% endif %}{% elif value is None %}<span class="progress progress-pending"><span class="badge">{% if objective_level %}{% translate "No measurable key results yet" %}{% else %}{% translate "Pending" %}{% endif %}</span></span>{% else %}<span class="progress">\n  <progress max="100" value="{{ value|percent_int }}" aria-label="{{ label|default:_(\'Progress\') }}">{{ value|percent }}</progress>\n  <span class="progress-value">{{ value|percent }}</span>\n</span>{% endif %}'
)
TODAY = date(2026, 5, 15)


def numbers_of(**facts):
    base = engine.KeyResultFacts(date(2026, 1, 1), date(2026, 12, 31), start=0, target=10)
    return engine.key_result_status(replace(base, **facts), on=TODAY)


CASES = [
    numbers_of(current=Decimal(3)),
    numbers_of(current=Decimal(1), commitment="committed"),
    numbers_of(current=Decimal(10)),
    numbers_of(target=None),
    numbers_of(current=Decimal(7), closed=True),
    numbers_of(current=Decimal(7), closed=True, score=0.9),
    engine.objective_numbers([numbers_of(current=Decimal(2)), numbers_of(target=None)]),
    engine.objective_numbers([]),
]


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
@pytest.mark.parametrize("numbers", [*CASES, None, ""])
@pytest.mark.parametrize("label", [None, "", "Progress of <b>“20MSEK”</b> & more"])
@pytest.mark.parametrize("objective_level", [True, False])
@pytest.mark.parametrize("value", [None, 0.426, "missing"])
def test_the_tag_says_what_the_template_said(language, numbers, label, objective_level, value):
    context = {"numbers": numbers, "code": "0b2c-<x>", "objective_level": objective_level}
    if label is not None:
        context["label"] = label
    if value != "missing":
        context["value"] = value
    with translation.override(language):
        before = Template(TEMPLATE_BEFORE).render(Context(context))
        after = Template("{% load okr_tags %}{% progress_bar %}").render(Context(context))
    assert after == before.rstrip("\n")


@pytest.mark.parametrize("numbers", [*CASES, None])
@pytest.mark.parametrize("label", [None, "", "Progress of <b>“20MSEK”</b> & more"])
def test_progress_for_a_row_is_the_bar(numbers, label):
    """``{% progress_for numbers code label %}``: the bar of a key result, without a context."""
    context = {"numbers": numbers, "code": "0b2c-<x>", "label": label}
    with translation.override("sv"):
        bar = Template("{% load okr_tags %}{% progress_bar %}").render(Context(context))
        row = Template("{% load okr_tags %}{% progress_for numbers code label %}").render(
            Context(context)
        )
    assert row == bar
