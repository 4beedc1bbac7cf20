"""``{% check_in_cells %}`` (okr_tags) writes what the key result page's check-in table wrote.

The row's template markup is kept here as it was before the tag took over;
both are rendered for metrics and milestones, with and without notes, authors
and comments, in three languages and two time zones.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from accounts.models import User
from okr.models import CheckIn, KeyResult

ROW_BEFORE = (
    "{% load i18n okr_tags %}"
    '<th scope="row"><time datetime="{{ check_in.created_at|date:\'c\' }}">'
    '{{ check_in.created_at|date:"ABBR_DATE_FORMAT" }}</time></th>\n'
    '              <td class="number">{% if kr.kind == "milestone" %}{% if check_in.done %}'
    '{% translate "Done" %}{% else %}{{ check_in.progress_value|percent }}{% endif %}{% else %}'
    "{{ check_in.value|with_unit:kr.unit }}{% endif %}</td>\n"
    '              <td>{% include "objectives/includes/confidence.html" with '
    "confidence=check_in.confidence %}</td>\n"
    '              <td class="note">{{ check_in.note|linebreaksbr }}\n'
    '                <a class="check-in-comments" href="{% url \'okr:check_in_comments\' '
    'organisation.slug check_in.uuid %}">{% blocktranslate count '
    "counter=check_in.comment_count|default:0 %}{{ counter }} comment{% plural %}{{ counter }} "
    'comments{% endblocktranslate %}<span class="visually-hidden"> {% blocktranslate with '
    'day=check_in.created_at|date:"ABBR_DATE_FORMAT" %}on the check-in of {{ day }}'
    "{% endblocktranslate %}</span></a></td>\n"
    "              <td>{% if check_in.author %}{{ check_in.author.get_full_name }}{% else %}"
    '<span class="muted">–</span>{% endif %}</td>'
)
ROW_NOW = "{% load okr_tags %}{% check_in_cells check_in kr organisation.slug %}"

METRIC = KeyResult(kind=KeyResult.Kind.METRIC, unit="MSEK <&>")
PERCENT = KeyResult(kind=KeyResult.Kind.METRIC, unit="%")
MILESTONE = KeyResult(kind=KeyResult.Kind.MILESTONE, unit="")
AUTHOR = User(name="Åsa <Öberg> & co", email="asa@example.com")
UNNAMED = User(name="", email="anon@example.com")


def check_in(**fields):
    defaults = {
        "uuid": uuid.UUID("0b2c7a4e-0000-4000-8000-000000000001"),
        "created_at": datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
        "value": Decimal("1500.50"),
        "confidence": "at_risk",
        "note": "",
    }
    progress_value = fields.pop("progress_value", None)
    comment_count = fields.pop("comment_count", 0)
    made = CheckIn(**(defaults | fields))
    made.progress_value = progress_value
    if comment_count != "missing":
        made.comment_count = comment_count
    return made


CASES = [
    (METRIC, check_in(author=AUTHOR, note="Bra <b>vecka</b>\nmen & sen\n\nslut", comment_count=1)),
    (METRIC, check_in(value=None, confidence="", comment_count=2)),
    (PERCENT, check_in(value=Decimal("0"), confidence="on_track", author=UNNAMED)),
    (METRIC, check_in(comment_count="missing", confidence="off_track")),
    (MILESTONE, check_in(value=None, done=True, progress_value=1.0, comment_count=12)),
    (MILESTONE, check_in(value=None, done=False, progress_value=0.426, comment_count=None)),
    (MILESTONE, check_in(value=None, done=None, progress_value=None)),
]


class Org:
    slug = "acme"


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "UTC"])
@pytest.mark.parametrize(("kr", "row"), CASES)
def test_the_cells_say_what_the_template_said(language, zone, kr, row):
    context = {"check_in": row, "kr": kr, "organisation": Org()}
    with translation.override(language), timezone.override(zone):
        before = Template(ROW_BEFORE).render(Context(context))
        now = Template(ROW_NOW).render(Context(context))
    assert now == before
