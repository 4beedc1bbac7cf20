"""``{% confidence_badge %}`` and ``{% owner_confidence %}`` (okr_tags) show what the includes showed.

The includes' template markup is kept here as it was before the tags took over
(lists show one per key result or check-in); both are rendered for every
confidence, in three languages.
"""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

BADGE_BEFORE = (
    '{% load i18n %}{% if confidence == "on_track" %}<span class="badge badge-green">'
    '{% translate "On track" %}</span>{% elif confidence == "at_risk" %}<span class="badge '
    'badge-yellow">{% translate "At risk" %}</span>{% elif confidence == "off_track" %}<span '
    'class="badge badge-red">{% translate "Off track" %}</span>{% endif %}\n'
)
OWNER_BEFORE = (
    '{% load i18n %}{% if confidence %}<span class="owner-confidence" data-confidence="'
    '{{ confidence }}"><span class="owner-confidence-label">{% translate "Owner\'s confidence:" %}'
    '</span> {% include "objectives/includes/confidence.html" %}</span>{% elif none_text %}'
    '<span class="muted">{{ none_text }}</span>{% endif %}\n'
)
CONFIDENCES = ["on_track", "at_risk", "off_track", None, "", "<odd>", "missing"]


def context_of(confidence, none_text=None) -> dict:
    context = {} if confidence == "missing" else {"confidence": confidence}
    if none_text is not None:
        context["none_text"] = none_text
    return context


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_the_badge_says_what_the_template_said(language, confidence):
    context = context_of(confidence)
    with translation.override(language):
        before = Template(BADGE_BEFORE).render(Context(context))
        after = render_to_string("objectives/includes/confidence.html", context)
    assert after == before


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("none_text", [None, "", "No check-in <yet>"])
def test_the_owners_confidence_says_what_the_template_said(language, confidence, none_text):
    context = context_of(confidence, none_text)
    with translation.override(language):
        before = Template(OWNER_BEFORE).render(Context(context))
        after = render_to_string("objectives/includes/owner_confidence.html", context)
        tag = Template("{% load okr_tags %}{% owner_confidence confidence none_text %}").render(
            Context(context)
        )
    assert after == before
    assert tag == before.rstrip("\n")
