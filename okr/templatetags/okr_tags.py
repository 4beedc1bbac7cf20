"""Template filters for OKR numbers: percentages, values with units, score colours, verdicts.

The numbers themselves come from the engine (``okr.lib.progress``, set on
objects by ``okr.objectives.numbers``); these only say them in the reader's
language. Markup that long lists repeat for every row (progress bars,
confidence badges, check-in rows, forms: ``form_div`` is a form's ``as_div``)
is written here in Python, the same as its templates wrote it: the template
engine was most of those pages' time.
"""

import uuid
from decimal import Decimal
from html import escape as html_escape

from django import template
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.forms.widgets import Widget
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr, stringformat
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext as _

from okr.lib import progress as maths

register = template.Library()


@register.filter
def more_teams(count: int) -> str:
    """ "Show N more teams": the link that ends a bounded list of teams (home's summary, the
    alignment tree's nodes and orphans)."""
    return ngettext("Show %(count)s more team", "Show %(count)s more teams", count) % {
        "count": count
    }


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
    return _progress_markup(
        context.get("numbers"),
        code=context.get("code"),
        label=context.get("label"),
        objective_level=context.get("objective_level"),
        value=context.get("value"),
    )


@register.simple_tag
def progress_for(numbers, code, label):
    """``progress_bar`` for a key result's numbers, without a context to read (list rows)."""
    return _progress_markup(numbers, code=code, label=label)


def _progress_markup(numbers, *, code=None, label=None, objective_level=False, value=None):
    label = conditional_escape(label if label else _("Progress"))
    if not numbers:
        if value is None:
            return mark_safe(  # noqa: S308 - fixed markup, translated text escaped
                '<span class="progress progress-pending"><span class="badge">'
                f"{_pending_text(objective_level)}</span></span>"
            )
        return mark_safe(  # noqa: S308 - numbers and escaped text only
            '<span class="progress">\n'
            f'  <progress max="100" value="{percent_int(value)}" aria-label="{label}">'
            f"{percent(value)}</progress>\n"
            f'  <span class="progress-value">{percent(value)}</span>\n</span>'
        )
    code = conditional_escape("" if code is None else code)
    verdict_ = conditional_escape(numbers.verdict)
    if numbers.progress is None:
        return mark_safe(  # noqa: S308 - escaped values
            f'<span class="progress progress-pending" data-numbers-for="{code}" '
            f'data-verdict="{verdict_}"><span class="badge">{_pending_text(objective_level)}</span></span>'
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


def _pending_text(objective_level) -> str:
    if objective_level:
        return conditional_escape(_("No measurable key results yet"))
    return conditional_escape(_("Pending"))


_CONFIDENCE_BADGES = {
    "on_track": "badge-green",
    "at_risk": "badge-yellow",
    "off_track": "badge-red",
}


def _confidence_text(confidence: str) -> str:
    # Not escaped, as {% translate %} leaves a literal's translation (the catalogues are ours).
    if confidence == "on_track":
        return mark_safe(_("On track"))  # noqa: S308
    if confidence == "at_risk":
        return mark_safe(_("At risk"))  # noqa: S308
    return mark_safe(_("Off track"))  # noqa: S308


@register.simple_tag
def confidence_badge(confidence):
    """``objectives/includes/confidence.html``: an owner's confidence as a badge ('' for none)."""
    badge = _CONFIDENCE_BADGES.get(confidence) if isinstance(confidence, str) else None
    if badge is None:
        return ""
    return format_html('<span class="badge {}">{}</span>', badge, _confidence_text(confidence))


@register.simple_tag
def owner_confidence(confidence, none_text=""):
    """``objectives/includes/owner_confidence.html``: the confidence labelled as the owner's."""
    if confidence:
        return format_html(
            '<span class="owner-confidence" data-confidence="{}">'
            '<span class="owner-confidence-label">{}</span> {}\n</span>',
            confidence,
            mark_safe(_("Owner's confidence:")),  # noqa: S308 - as {% translate %} shows it
            confidence_badge(confidence),
        )
    if none_text:
        return format_html('<span class="muted">{}</span>', none_text)
    return ""


@register.simple_tag(takes_context=True)
def check_in_cells(context, check_in, kr, organisation_slug):
    """A row of the key result page's check-in table, from its date to its author.

    Written in Python for the same reason as ``progress_bar`` (a row of a dozen
    template lookups, filters and translations was most of the table's time);
    the markup is what the template wrote (tests/okr/objectives/test_check_in_cells.py).
    """
    created = template_localtime(check_in.created_at)
    day = _text(date_filter(created, "ABBR_DATE_FORMAT"))
    if kr.kind == "milestone":
        # {% translate %} leaves a literal's translation unescaped.
        value = _("Done") if check_in.done else _text(percent(check_in.progress_value))
    else:
        value = _text(with_unit(check_in.value, kr.unit))
    count = getattr(check_in, "comment_count", None) or 0
    comments = ngettext("%(counter)s comment", "%(counter)s comments", count) % {
        "counter": _text(count)
    }
    of_day = _("on the check-in of %(day)s") % {"day": day}
    url = _text(_comments_url(context, organisation_slug, check_in.uuid))
    author = check_in.author
    who = _text(author.get_full_name()) if author else '<span class="muted">–</span>'
    return mark_safe(  # noqa: S308 - every value escaped as the template did
        # The date filter's "c" is the datetime's isoformat().
        f'<th scope="row"><time datetime="{_text(created.isoformat())}">{day}</time></th>\n'
        f'              <td class="number">{value}</td>\n'
        f"              <td>{confidence_badge(check_in.confidence)}\n</td>\n"
        f'              <td class="note">{linebreaksbr(check_in.note, autoescape=True)}\n'
        f'                <a class="check-in-comments" href="{url}">{comments}'
        f'<span class="visually-hidden"> {of_day}</span></a></td>\n'
        f"              <td>{who}</td>"
    )


#: Stands for a check-in's uuid in its comments' URL, reversed once per page (a table has many).
_ANY_UUID = uuid.UUID(int=0)


def _comments_url(context, organisation_slug, code) -> str:
    urls = context.render_context.setdefault("okr_tags.comments_url", {})
    if organisation_slug not in urls:
        url = reverse("okr:check_in_comments", args=[organisation_slug, _ANY_UUID])
        urls[organisation_slug] = url.rpartition(str(_ANY_UUID))  # the last: after the slug
    before, _uuid, after = urls[organisation_slug]
    return f"{before}{code}{after}"


# --- Forms ---------------------------------------------------------------------------------
#
# Django renders a form through a dozen small templates per field (field, label, widget,
# attrs, errors), and on pages with many forms (my check-ins: one per key result) that was
# most of the page's time. ``form_div`` writes the same markup in Python: it takes the same
# contexts Django's templates get (``form.get_context()``, the bound field's attributes,
# ``widget.get_context()``) and only replaces the template engine, with the same escaping
# and the same stripping. Anything it does not know (another renderer or template, a
# custom bound field, a widget with its own template) is left to Django, field by field,
# so the output is Django's ``as_div`` byte for byte (tests/okr/objectives/test_form_div.py).

_FORM_CONTEXT = template.Context()  # autoescape on, as in Django's form renderer
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in [
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


class _Unknown(Exception):
    """Markup this writer does not know: Django's templates write it."""


def _text(value) -> str:
    """``{{ value }}`` in a Django template: localised, escaped unless safe."""
    if type(value) is str:  # the most of them: Django's escape() without its lazy wrapper
        return html_escape(value)
    if isinstance(value, str):
        return conditional_escape(value)
    return render_value_in_context(value, _FORM_CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe value safe)."""
    if type(value) is str:
        return html_escape(value)
    text = stringformat(value, "s")
    return _text(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if callable(value):  # a template would call it
            raise _Unknown
        if value is not False:
            parts.append(
                f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
            )
    return "".join(parts)


def _error_list(errors) -> str:
    """``django/forms/errors/list/ul.html`` for an ``ErrorList`` (stripped, as rendered)."""
    if type(errors) is not ErrorList or errors.template_name != ErrorList.template_name:
        return str(errors)
    if not errors:
        return ""
    field_id = f' id="{_text(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{_text(error)}</li>" for error in errors)
    return f'<ul class="{_text(errors.error_class)}"{field_id}>{items}</ul>'


def _widget_markup(widget, context: dict) -> str:
    """The widget's template for its context, stripped as Django's renderer does."""
    name = context["template_name"]
    if name in _INPUT_TEMPLATES:
        value = context["value"]
        value_attr = f' value="{_formatted(value)}"' if value is not None else ""
        return (
            f'<input type="{_text(context["type"])}" name="{_text(context["name"])}"'
            f"{value_attr}{_attrs(context['attrs'])}>"
        )
    if name == _TEXTAREA:
        value = context["value"]
        return (
            f'<textarea name="{_text(context["name"])}"{_attrs(context["attrs"])}>\n'
            f"{_text(value) if value else ''}</textarea>"
        )
    if name == _SELECT:
        parts = [f'<select name="{_text(context["name"])}"{_attrs(context["attrs"])}>']
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                if option["template_name"] != _OPTION:
                    raise _Unknown
                parts.append(
                    f'\n  <option value="{_formatted(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
    raise _Unknown


def _field_widget(bound) -> str:
    """``{{ field }}``: ``BoundField.as_widget`` with the widget's template written here."""
    field = bound.field
    widget = field.widget
    if (
        type(bound) is not BoundField
        or field.show_hidden_initial
        or type(widget).render is not Widget.render
        or type(widget)._render is not Widget._render
    ):
        return str(bound)
    if field.localize:
        widget.is_localized = True
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)
    try:
        return _widget_markup(widget, context["widget"])
    except _Unknown:
        return widget._render(widget.template_name, context, bound.form.renderer)


def _label_tag(bound) -> str:
    """``BoundField.label_tag()`` with ``django/forms/label.html`` written here."""
    form, field = bound.form, bound.field
    contents = bound.label
    suffix = field.label_suffix if field.label_suffix is not None else form.label_suffix
    if suffix and contents and contents[-1] not in gettext(_LABEL_PUNCTUATION):
        contents = format_html("{}{}", contents, suffix)
    widget = field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return _text(contents).strip()
    attrs = {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if field.required and hasattr(form, "required_css_class"):
        attrs["class"] = form.required_css_class
    return f"<label{_attrs(attrs)}>{_text(contents)}</label>"


def _field_group(bound) -> str:
    """``{{ field.as_field_group }}``: ``django/forms/field.html``, stripped."""
    if (
        type(bound) is not BoundField
        or bound.template_name != _FIELD_TEMPLATE
        or bound.use_fieldset
        or bound.form.template_name_label != _LABEL_TEMPLATE
    ):
        return bound.as_field_group()
    label = _label_tag(bound) if bound.label else ""
    help_text = ""
    if bound.help_text:
        id_ = f' id="{_text(bound.auto_id)}_helptext"' if bound.auto_id else ""
        help_text = f'<div class="helptext"{id_}>{bound.help_text}</div>'
    html = f"\n  {label}\n\n{help_text}\n{_error_list(bound.errors)}\n{_field_widget(bound)}\n"
    return html.strip()


_FIELD_TEMPLATE = "django/forms/field.html"
#: Django's (translated in its own catalogue): a label ending in one gets no suffix.
_LABEL_PUNCTUATION = ":?.!"
_LABEL_TEMPLATE = "django/forms/label.html"
_DIV_TEMPLATE = "django/forms/div.html"


@register.simple_tag
def form_div(form):
    """``{{ form.as_div }}``, the same markup, without the template engine (see above)."""
    if form.template_name_div != _DIV_TEMPLATE or type(form.renderer) is not DjangoTemplates:
        return form.as_div()
    context = form.get_context()
    fields, errors = context["fields"], context["errors"]
    hidden = "".join(_field_widget(bound) for bound in context["hidden_fields"])
    parts = [_error_list(errors), "\n"]
    if errors and not fields:
        parts.append(f"\n  <div>{hidden}</div>\n")
    parts.append("\n")
    for index, (bound, _errors) in enumerate(fields):
        classes = bound.css_classes()
        class_attr = f' class="{_text(classes)}"' if classes else ""
        last = f"\n      {hidden}\n    " if index == len(fields) - 1 else ""
        parts.append(f"\n  <div{class_attr}>\n    {_field_group(bound)}\n    {last}\n</div>\n")
    parts.append("\n")
    if not fields and not errors:
        parts.append(f"\n  {hidden}\n")
    parts.append("\n")
    return mark_safe("".join(parts).strip())  # noqa: S308 - every value escaped as Django's templates do
