"""The workshop's cards: what each objective and key result shows, and the whole page's cards
rendered once per kind of card instead of once per card.

``decorate`` sets, on every loaded objective and key result, the texts and links its card
shows (no queries; every view of the workshop loads through it), so the template
(``workshop/workshop.html``) reads values instead of computing them per card with tags,
filters and includes.

``stamp`` is for the whole page, where a big team's quarter is dozens of cards that differ
in their texts far more than in their markup. A card's *shape* is everything its markup
depends on besides its texts: the person's rights on it, its status, which texts it has
at all. The card partials (``objective-slot``, ``key-result-slot``) are rendered once per
shape and language into a *stamp*: the markup with a mark where each text goes, the CSRF
token included. A stamp holds no text of any card and no token, so it is kept for the
process and serves every request and person; each card is its shape's stamp with its own
texts (escaped as the template escapes them) and this request's token put in at the
marks. A card that is open for editing renders normally.
``tests/okr/workshop/test_cards.py`` checks that both ways give the same page.

The partials read a card's texts only to show them (never in ``{% if a == b %}``, nor
through a filter): anything else belongs in ``OBJECTIVE_SHAPE`` / ``KEY_RESULT_SHAPE``.

A card's rarer parts (its status history, leadership's comment, a change after approval,
the coach's hints) are rendered when a card first shows them, once a process for what
they show (``_part``): they are the same for every reader, and a recorded event does not
change.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from types import SimpleNamespace

from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from okr.lib.progress.weights import weight_of
from okr.templatetags.okr_tags import key_result_target, number, percent

TEMPLATE = "workshop/workshop.html"

#: What decides a card's markup (compared) and what it only shows (put in at the marks).
OBJECTIVE_SHAPE = (
    "status",
    "focus",
    "alignment",
    "editable",
    "can_archive",
    "can_reorder",
    "can_add_key_result",
)
OBJECTIVE_TEXTS = (
    "uuid",
    "title",
    "hints_html",
    "status_label",
    "url_detail",
    "url_edit",
    "url_move",
    "url_archive",
    "url_new_kr",
    "approval_html",
    "comment_html",
    "parent_text",
    "parent_of",
    "why_html",
    "owner_name",
    "history_html",
)
KEY_RESULT_SHAPE = ("focus", "commitment", "is_pending", "can_edit")
KEY_RESULT_TEXTS = (
    "uuid",
    "title",
    "hints_html",
    "url_detail",
    "url_edit",
    "url_move",
    "url_archive",
    "target_text",
    "owner_name",
    "weight_text",
    "share_text",
    "initiative_titles",
)


class Lazy:
    """HTML rendered the first time a template shows it (a card's rarer parts)."""

    __slots__ = ("_html", "_render")

    def __init__(self, render):
        self._render = render
        self._html = None

    def __str__(self):
        if self._html is None:
            self._html = self._render()  # render_to_string: safe HTML
        return self._html

    __html__ = __str__


def _link_maker(organisation, name: str):
    """``reverse()`` once a page per link; each card's is the same with its own id."""
    any_id = str(uuid.UUID(int=0))
    head, tail = reverse(f"okr:{name}", args=[organisation.slug, any_id]).split(any_id)
    return f"{head}{{}}{tail}".format


@lru_cache(maxsize=4096)
def _target(kind, due_date, start_value, target_value, unit, language) -> str:
    """``key_result_target``: the same few targets recur on a page, and their formatting
    (numbers and dates in the reader's language) is what costs."""
    return key_result_target(
        SimpleNamespace(
            kind=kind,
            due_date=due_date,
            start_value=start_value,
            target_value=target_value,
            unit=unit,
        )
    )


def _name(person) -> str:
    return (person.name or person.email) if person is not None else ""


# --- A card's rarer parts, rendered once for their content --------------------------------------

#: Rendered parts by (template, language, time zone, everything they show): a status
#: history, leadership's comment, a change after approval, the coach's hints. They hold
#: no controls and no token (the same for every reader), and a recorded event never
#: changes: what a team's cards show again and again is rendered once a process.
_PARTS: dict[tuple, str] = {}
_MAX_PARTS = 4096


def _event(event) -> tuple:
    """Everything of an event that a card shows."""
    author = event.author
    return (
        *(event.pk, event.kind, event.from_status, event.to_status, event.comment),
        repr(event.changes),
        event.created_at,
        (author.name, author.email) if author is not None else None,
    )


def _part(template_name: str, key: tuple, context: dict) -> Lazy:
    def render() -> str:
        full_key = (template_name, get_language(), get_current_timezone_name(), key)
        html = _PARTS.get(full_key)
        if html is None:
            html = render_to_string(template_name, context)
            if len(_PARTS) >= _MAX_PARTS:
                _PARTS.clear()
            _PARTS[full_key] = html
        return html

    return Lazy(render)


class _Hints(dict):
    """The coach's saved hints as HTML, once per set of hints."""

    def __missing__(self, hints: tuple) -> Lazy:
        html = self[hints] = _part("objectives/includes/coach_hints.html", hints, {"hints": hints})
        return html


def decorate(objectives, strategic, organisation) -> None:
    """The texts and links of every card and of the strategic objectives beside them
    (no queries: everything is loaded)."""
    detail, edit, move, archive, new_kr = (
        _link_maker(organisation, name)
        for name in (
            "objective_detail",
            "workshop_objective_edit",
            "workshop_objective_move",
            "workshop_objective_archive",
            "workshop_key_result_new",
        )
    )
    kr_detail, kr_edit, kr_move, kr_archive = (
        _link_maker(organisation, name)
        for name in (
            "key_result_detail",
            "workshop_key_result_edit",
            "workshop_key_result_move",
            "workshop_key_result_archive",
        )
    )
    language = get_language()
    for objective in strategic:
        objective.url_detail = detail(objective.uuid)
    hints = _Hints()
    for objective in objectives:
        code = str(objective.uuid)
        objective.focus = objective.html = ""
        objective.hints_html = hints[tuple(objective.hints)] if objective.hints else ""
        objective.status_label = objective.get_status_display()
        objective.url_detail, objective.url_edit = detail(code), edit(code)
        objective.url_move, objective.url_archive = move(code), archive(code)
        objective.url_new_kr = new_kr(code)
        objective.owner_name = _name(objective.owner)
        objective.why_html = linebreaksbr(objective.why, autoescape=True) if objective.why else ""
        shown = {"objective": objective}
        notice, comment, events = (
            objective.approval_notice,
            objective.last_comment,
            objective.event_list,
        )
        objective.approval_html = (
            _part("workshop/approval_notice.html", _event(notice), shown) if notice else ""
        )
        objective.comment_html = (
            _part(f"{TEMPLATE}#leadership-comment", (objective.status, _event(comment)), shown)
            if comment
            else ""
        )
        objective.history_html = (
            _part(f"{TEMPLATE}#status-history", (objective.title, *map(_event, events)), shown)
            if events
            else ""
        )
        krs = objective.krs
        # The weights show where they differ (as ``objectives/includes/weight.html`` does).
        weights = [kr.weight for kr in krs]
        equal = not krs or weight_of(krs[0].weight, weights).equal
        for kr in krs:
            code = str(kr.uuid)
            kr.focus = kr.html = ""
            kr.hints_html = hints[tuple(kr.hints)] if kr.hints else ""
            kr.url_detail, kr.url_edit = kr_detail(code), kr_edit(code)
            kr.url_move, kr.url_archive = kr_move(code), kr_archive(code)
            kr.target_text = _target(
                kr.kind, kr.due_date, kr.start_value, kr.target_value, kr.unit, language
            )
            kr.owner_name = _name(kr.owner)
            if equal:
                kr.weight_text = kr.share_text = ""
            else:
                weight = weight_of(kr.weight, weights)
                kr.weight_text, kr.share_text = number(weight.weight), percent(weight.share)
            initiatives = kr.initiative_list
            kr.initiative_titles = (
                format_html_join("; ", "{}", ((i.title,) for i in initiatives))
                if initiatives
                else ""
            )


# --- The whole page's cards, once per shape ---------------------------------------------------

_MARK = re.compile("\ue000([^\ue001]*)\ue001")
#: ``html.escape`` (what the template does to a text) in one pass.
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _marked(obj, prefix: str, shape: tuple, texts: tuple) -> tuple[tuple, SimpleNamespace, dict]:
    """The card's shape, what the partial reads instead of it, and its texts by mark."""
    attrs, values, has = {}, {}, []
    for name in shape:
        attrs[name] = getattr(obj, name)
    for name in texts:
        value = getattr(obj, name)
        has.append(bool(value))
        if value:
            mark = f"{prefix}.{name}"
            attrs[name] = f"\ue000{mark}\ue001"
            values[mark] = (
                value.__html__() if hasattr(value, "__html__") else str(value).translate(_ESCAPE)
            )
        else:
            attrs[name] = value
    key = (prefix, *(attrs[name] for name in shape), *has)
    return key, SimpleNamespace(**attrs), values


#: What a stamp is rendered with besides its card: no card is open for editing, nothing was
#: just archived or moved (the whole page), and a mark for the request's CSRF token.
_CLOSED = {
    "editing_objective": None,
    "editing_key_result": None,
    "adding_key_result": None,
    "archived": None,
    "moved": None,
    "csrf_token": "\ue000csrf\ue001",
}
#: Stamps by (partial, language, shape): markup only, the same for every request and person.
_STAMPS: dict[tuple, list[str]] = {}
_MAX_STAMPS = 512


def _stamp(partial_template, key: tuple, **namespaces) -> list[str]:
    """The partial's markup for this shape, split at its marks (rendered on first use)."""
    full_key = (partial_template, get_language(), key)
    parts = _STAMPS.get(full_key)
    if parts is None:
        parts = _MARK.split(partial_template.render(Context({**_CLOSED, **namespaces})))
        if len(_STAMPS) >= _MAX_STAMPS:
            _STAMPS.clear()
        _STAMPS[full_key] = parts
    return parts


def _fill(parts: list[str], values: dict):
    """The card: the stamp with its texts at the marks ("" to render it normally)."""
    if not set(parts[1::2]) <= values.keys():
        return ""  # a mark this card has no text for (say, one in a translation)
    filled = parts[:]
    filled[1::2] = [values[mark] for mark in parts[1::2]]
    return mark_safe("".join(filled))  # noqa: S308 - the template's markup, texts escaped


def stamp(objectives, csrf_token: str, context: dict) -> None:
    """Set ``html`` on the whole page's cards (a card open for editing renders normally)."""
    objective_slot, kr_slot = (
        get_template(f"{TEMPLATE}#{name}").template
        for name in ("objective-slot", "key-result-slot")
    )
    if context.get("archived") or context.get("moved"):
        return
    open_ids = {
        context.get("editing_objective"),
        context.get("adding_key_result"),
        context.get("editing_key_result"),
    } - {None}
    token = csrf_token.translate(_ESCAPE)
    for objective in objectives:
        krs = objective.krs
        if objective.uuid in open_ids or any(kr.uuid in open_ids for kr in krs):
            continue
        key, shown, values = _marked(objective, "objective", OBJECTIVE_SHAPE, OBJECTIVE_TEXTS)
        values["csrf"] = token
        parent = SimpleNamespace(uuid="\ue000objective.uuid\ue001")
        items = []
        for kr in krs:
            kr_key, kr_shown, kr_values = _marked(kr, "kr", KEY_RESULT_SHAPE, KEY_RESULT_TEXTS)
            kr_values["objective.uuid"] = values["objective.uuid"]
            kr_values["csrf"] = token
            kr.html = _fill(_stamp(kr_slot, kr_key, kr=kr_shown, objective=parent), kr_values)
            items.append(kr.html)
        if not all(items):
            continue
        values["objective.krs"] = mark_safe("".join(items))  # noqa: S308 - filled stamps
        shown.krs = [SimpleNamespace(html="\ue000objective.krs\ue001")] if krs else []
        objective.html = _fill(_stamp(objective_slot, (*key, bool(krs)), objective=shown), values)
