"""Dependency lists as pages show them: plain items from small queries, their HTML from Python.

The dependencies page, the objective, key result and workshop pages and the
approval queue list dependencies. Model instances with both sides
``select_related`` meant one join of eight tables, and PostgreSQL spends
10-50 ms planning such a join, even when nothing comes back; the list
template then cost about 4,000 Python calls per dependency. Here the
dependencies come with their teams' names (three tables), then the
objectives and key result of their sides (two tables each, only when there
are any), and the HTML is written in Python: a few dozen calls per
dependency.

Every text from the database goes through ``escape``; every label through
gettext, in the active language, once per list. ``Item`` has the
``needing_team_id`` and ``delivering_team_id`` the policy reads, so
``alignment.access.annotate_permissions`` sets ``can_manage`` on items too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import NamedTuple

from django.db.models import DateField, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from alignment import rules
from alignment.models import Dependency
from okr.lib import progress
from okr.lib.paging import PageLinks
from okr.models import KeyResult, Objective

ROW_FIELDS = (
    "id",
    "uuid",
    "state",
    "needing_team_id",
    "delivering_team_id",
    "needing_team__name",
    "delivering_team__name",
    "needing_objective_id",
    "needing_key_result_id",
    "delivering_objective_id",
    "delivering_key_result_id",
    "description",
    "needed_by",
)


class Side(NamedTuple):
    """An objective or key result on one side of a dependency: its public id and title."""

    uuid: str
    title: str


@dataclass(slots=True, eq=False)
class Item:
    """A dependency as a list shows it (what ``Dependency``'s ``is_late`` says, computed once)."""

    id: int
    uuid: str  # as text: items are cached (pickled), and printed many times
    state: str
    needing_team_id: int
    delivering_team_id: int
    needing_team: str  # the team's name
    delivering_team: str
    description: str
    needed_by: date
    needing_objective: Side
    needing_key_result: Side | None
    delivering_objective: Side
    delivering_key_result: Side | None
    delivery_due: date
    is_late: bool
    can_manage: bool = False


@dataclass(slots=True)
class Listing(PageLinks):
    """A page of the dependencies page: its items, where it is among the pages, the late count.

    Plain values, so the page can keep it (pickled) per revision of the organisation;
    it answers the template as Django's ``Page`` does (``PageLinks``).
    """

    items: list[Item]
    number: int
    num_pages: int
    late_count: int


def rows(organisation) -> QuerySet:
    """The organisation's dependencies as ``ROW_FIELDS`` tuples, resolved last (no query yet).

    Filter, slice or paginate it, then give the rows to ``items``.
    """
    return (
        Dependency.objects.filter(organisation=organisation)
        .order_by("state", "needed_by", "id")
        .values_list(*ROW_FIELDS)
    )


def items(organisation, dependency_rows: Iterable[tuple]) -> list[Item]:
    """``Item``s for rows of ``rows()`` (1 query for their objectives and key results)."""
    dependency_rows = list(dependency_rows)
    if not dependency_rows:
        return []
    objective_ids, kr_ids = set(), set()
    for row in dependency_rows:
        objective_ids.update((row[7], row[9]))
        kr_ids.update((row[8], row[10]))
    kr_ids.discard(None)
    objectives, krs = {}, {}
    for pk, code, title, end, is_kr, *facts in _sides(organisation, objective_ids, kr_ids):
        if is_kr:
            krs[pk] = (Side(str(code), title), facts)
        else:
            objectives[pk] = (Side(str(code), title), end)
    result = []
    for (
        pk,
        code,
        state,
        needing_team_id,
        delivering_team_id,
        needing_team,
        delivering_team,
        needing_objective_id,
        needing_kr_id,
        delivering_objective_id,
        delivering_kr_id,
        description,
        needed_by,
    ) in dependency_rows:
        # A side deleted since the first query: its dependency went with its objective,
        # its key result is no longer named (the foreign keys' CASCADE and SET_NULL).
        if needing_objective_id not in objectives or delivering_objective_id not in objectives:
            continue
        delivering, cycle_end = objectives[delivering_objective_id]
        needing_kr = krs.get(needing_kr_id, (None,))[0]
        delivering_kr, facts = krs.get(delivering_kr_id, (None, None))
        due, late = _due_and_late(state, needed_by, cycle_end, facts)
        result.append(
            Item(
                pk,
                str(code),
                state,
                needing_team_id,
                delivering_team_id,
                needing_team,
                delivering_team,
                description,
                needed_by,
                objectives[needing_objective_id][0],
                needing_kr,
                delivering,
                delivering_kr,
                due,
                late,
            )
        )
    return result


#: What a list item needs of a key result: whether it is delivered (``_due_and_late``).
_KR_FACTS = (
    "kind",
    "due_date",
    "done",
    "start_value",
    "target_value",
    "current_value",
    "steps_done",
    "steps_total",
)


def _sides(organisation, objective_ids, kr_ids):
    """The named objectives and key results in one query (a UNION: one row shape for both).

    Rows: id, uuid, title, the objective's cycle end (None for a key result),
    whether it is a key result, then ``_KR_FACTS`` (None for an objective).
    """
    # No ordering: a UNION takes none from its parts (the models have a default one).
    objectives = Objective.objects.filter(
        organisation=organisation, pk__in=objective_ids
    ).order_by()
    blanks = {
        name: Cast(Value(None), KeyResult._meta.get_field(name).clone()) for name in _KR_FACTS
    }
    objectives = objectives.annotate(
        is_kr=Value(False), **{f"kr_{k}": v for k, v in blanks.items()}
    )
    rows = objectives.values_list(
        "id", "uuid", "title", "cycle__end_date", "is_kr", *(f"kr_{k}" for k in _KR_FACTS)
    )
    if kr_ids:
        key_results = KeyResult.objects.filter(organisation=organisation, pk__in=kr_ids).order_by()
        key_results = key_results.annotate(no_end=Cast(Value(None), DateField()), is_kr=Value(True))
        rows = rows.union(
            key_results.values_list("id", "uuid", "title", "no_end", "is_kr", *_KR_FACTS), all=True
        )
    return rows.order_by()


def _due_and_late(state, needed_by, cycle_end, facts) -> tuple[date, bool]:
    """``Dependency.delivery_due`` and ``Dependency.is_late`` from plain values."""
    if facts is None:
        due, delivered = rules.delivery_due(None, cycle_end), False
    else:
        kind, due_date, done, start, target, current, steps_done, steps_total = facts
        due = rules.delivery_due(due_date, cycle_end)
        measured = progress.measure(
            kind=kind,
            start=start,
            target=target,
            current=current,
            done=done,
            steps_done=steps_done,
            steps_total=steps_total,
        )
        delivered = rules.is_delivered(kind, done, measured)
    late = rules.is_late(
        open_=state == Dependency.State.OPEN, needed_by=needed_by, due=due, delivered=delivered
    )
    return due, late


def from_model(dependency: Dependency) -> Item:
    """An ``Item`` of a model instance (its sides are read from it: load them with it)."""

    def side(thing):
        return Side(str(thing.uuid), thing.title) if thing is not None else None

    return Item(
        dependency.pk,
        str(dependency.uuid),
        dependency.state,
        dependency.needing_team_id,
        dependency.delivering_team_id,
        dependency.needing_team.name,
        dependency.delivering_team.name,
        dependency.description,
        dependency.needed_by,
        side(dependency.needing_objective),
        side(dependency.needing_key_result),
        side(dependency.delivering_objective),
        side(dependency.delivering_key_result),
        dependency.delivery_due,
        dependency.is_late,
        bool(getattr(dependency, "can_manage", False)),
    )


# --- HTML ---------------------------------------------------------------------------------------


def _short(text: str) -> str:
    """The template's ``truncatechars:60``, without building a ``Truncator`` when nothing is cut."""
    normal = unicodedata.normalize("NFC", text)
    return normal if len(normal) <= 60 else Truncator(text).chars(60)


def _url_maker(name: str, slug: str):
    """``uuid -> URL`` for many rows: reverse once, then put the uuid in."""
    placeholder = "00000000-0000-0000-0000-000000000000"
    head, tail = reverse(name, args=[slug, placeholder]).split(placeholder)
    return lambda code: f"{head}{code}{tail}"


def _labels() -> dict[str, str]:
    """The list's labels in the active language, escaped (the late text after formatting)."""
    labels = {
        "needs_from": gettext("needs from"),
        "by": gettext("by"),
        "resolved": gettext("Resolved"),
        "needed_for": gettext("Needed for"),
        "delivered_by": gettext("Delivered by"),
        "due": gettext("due"),
        "late": gettext("Late:"),
        "mark_resolved": gettext("Mark resolved"),
        "reopen": gettext("Reopen"),
        "confirm_delete": gettext("Delete this dependency?"),
        "delete": gettext("Delete"),
    }
    labels = {key: escape(value) for key, value in labels.items()}
    labels["late_text"] = gettext(
        "what delivers it is due %(due)s, after it is needed (%(needed)s)."
    )
    return labels


def list_html(
    dependencies: Iterable[Item | Dependency],
    *,
    organisation_slug: str,
    csrf_token: str | None,
    next_path: str,
) -> SafeString:
    """The ``<ul class="dependency-list">`` of ``dependencies``.

    Each item with ``can_manage`` gets Resolve/Reopen and Delete forms that
    come back to ``next_path`` (the page's own path); late ones are flagged.
    """
    text = _labels()
    objective_url = _url_maker("okr:objective_detail", organisation_slug)
    kr_url = _url_maker("okr:key_result_detail", organisation_slug)
    state_url = _url_maker("alignment:dependency_state", organisation_slug)
    delete_url = _url_maker("alignment:dependency_delete", organisation_slug)
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_token))}">'
        if csrf_token and csrf_token != "NOTPROVIDED"
        else ""
    )
    back = escape(next_path)
    days: dict[tuple[date, str], str] = {}

    def day(value: date, format_name: str) -> str:
        key = (value, format_name)
        found = days.get(key)
        if found is None:
            found = days[key] = escape(date_format(value, format_name))
        return found

    def side(objective: Side, kr: Side | None) -> str:
        html = f'<a href="{objective_url(objective.uuid)}">{escape(objective.title)}</a>'
        if kr is not None:
            html += f' › <a href="{kr_url(kr.uuid)}">{escape(kr.title)}</a>'
        return html

    parts = ['<ul class="dependency-list">']
    for dep in dependencies:
        if isinstance(dep, Dependency):
            dep = from_model(dep)
        code = dep.uuid
        resolved = dep.state == "resolved"
        classes = "dependency"
        if dep.is_late:
            classes += " is-late"
        if resolved:
            classes += " is-resolved"
        needed = dep.needed_by
        due = dep.delivery_due
        description = dep.description.replace("\r\n", "\n").replace("\r", "\n")
        parts.append(
            f'<li class="{classes}" id="dependency-{code}">'
            f'<p class="dependency-head"><strong>{escape(dep.needing_team)}</strong>'
            f" {text['needs_from']} <strong>{escape(dep.delivering_team)}</strong>"
            f' · {text["by"]} <time datetime="{needed.isoformat()}">'
            f"{day(needed, 'ABBR_DATE_FORMAT')}</time>"
        )
        if resolved:
            parts.append(f' <span class="badge badge-green">{text["resolved"]}</span>')
        parts.append(
            "</p>"
            f'<p class="dependency-description">{escape(description).replace(chr(10), "<br>")}</p>'
            '<dl class="dependency-sides">'
            f"<div><dt>{text['needed_for']}</dt>"
            f"<dd>{side(dep.needing_objective, dep.needing_key_result)}</dd></div>"
            f"<div><dt>{text['delivered_by']}</dt>"
            f"<dd>{side(dep.delivering_objective, dep.delivering_key_result)}"
            f' <span class="muted">· {text["due"]} <time datetime="{due.isoformat()}">'
            f"{day(due, 'ABBR_DATE_FORMAT')}</time></span></dd></div></dl>"
        )
        if dep.is_late:
            late = text["late_text"] % {
                "due": day(due, "ABBR_MONTH_DAY_FORMAT"),
                "needed": day(needed, "ABBR_MONTH_DAY_FORMAT"),
            }
            parts.append(f'<p class="dependency-flag"><strong>⚠ {text["late"]}</strong> {late}</p>')
        if dep.can_manage:
            short = escape(_short(dep.description))
            if dep.state == "open":
                new_state, label = "resolved", text["mark_resolved"]
            else:
                new_state, label = "open", text["reopen"]
            parts.append(
                '<div class="actions dependency-actions no-print">'
                f'<form method="post" action="{state_url(code)}" class="action-form">{csrf}'
                f'<input type="hidden" name="next" value="{back}#dependency-{code}">'
                f'<input type="hidden" name="state" value="{new_state}">'
                f'<button type="submit" class="secondary">{label}'
                f'<span class="visually-hidden">: {short}</span></button></form>'
                f'<form method="post" action="{delete_url(code)}" class="action-form"'
                f' data-confirm="{text["confirm_delete"]}">{csrf}'
                f'<input type="hidden" name="next" value="{back}">'
                f'<button type="submit" class="danger">{text["delete"]}'
                f'<span class="visually-hidden">: {short}</span></button></form></div>'
            )
        parts.append("</li>")
    parts.append("</ul>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
