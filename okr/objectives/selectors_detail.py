"""Reads for the objective and key result detail pages.

Every function runs a fixed number of queries, whatever the number of
check-ins, initiatives, children or history rows (the detail-page tests
assert it at two sizes). Objects come in already looked up through
``okr.objectives.access``; nothing here filters by anything the request supplied.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okr.lib import charts
from okr.lib import progress as maths
from okr.models import CheckIn, Initiative, KeyResult, Objective
from okr.objectives import numbers, stored
from okr.objectives.selectors import (
    annotate_progress,
    live_key_results,
)
from okr.templatetags.okr_tags import number, percent, with_unit

#: At most this many history rows are shown on a detail page.
HISTORY_LIMIT = 50


# --- Progress ----------------------------------------------------------------------


def key_result_progress(kr: KeyResult, today: date) -> KeyResult:
    """Set the engine's numbers on the key result (``kr.numbers`` and the older names)."""
    numbers.annotate_key_results([kr], today)
    return kr


def objective_with_key_results(objective: Objective, today: date) -> Objective:
    """Prefetch the live key results with owners and set progress on all of them (1 query)."""
    models.prefetch_related_objects(
        [objective], Prefetch("key_results", queryset=live_key_results())
    )
    annotate_progress([objective], objective.cycle, today)
    return objective


# --- Check-ins and the chart ----------------------------------------------------------


@dataclass
class CheckInHistory:
    """A key result's check-ins (oldest first) and the chart drawn from them."""

    check_ins: list[CheckIn]
    chart: SafeString


def check_in_history(kr: KeyResult, today: date) -> CheckInHistory:
    """Every check-in with its author and comment count (1 query) and the history chart.

    Each check-in gets ``progress_value`` from the engine (a milestone's
    partial steps carry forward when a check-in leaves them out), which is
    what the chart plots. Needs the key result's numbers
    (``key_result_progress``) first: the chart draws their pace line.
    """
    check_ins = list(
        CheckIn.objects.filter(key_result=kr)
        .select_related("author")
        # The "n comments" link of each row, in the same query (a join on comment_check_in_idx).
        .annotate(comment_count=Count("comments", filter=Q(comments__deleted=False)))
        .order_by("created_at", "id")
    )
    facts = _facts(kr, today)
    steps = None
    for check_in in check_ins:
        if kr.kind == KeyResult.Kind.MILESTONE:
            steps = check_in.steps_done if check_in.steps_done is not None else steps
            at = replace(facts, done=bool(check_in.done), steps_done=steps)
        else:
            at = replace(facts, current=check_in.value)
        check_in.progress_value = (
            maths.progress_of(at) if check_in.value is not None or at.kind != "metric" else None
        )
    return CheckInHistory(check_ins=check_ins, chart=key_result_chart(kr, check_ins, today))


def _facts(kr: KeyResult, today: date) -> maths.KeyResultFacts:
    """The engine's facts of the key result (its numbers are set first if they are not yet)."""
    if getattr(kr, "facts", None) is None:
        key_result_progress(kr, today)
    return kr.facts


def _axis_number(value: float) -> str:
    return number(Decimal(str(round(value, 4))))


def _axis_date(day: date) -> str:
    return date_format(day, "ABBR_MONTH_DAY_FORMAT")


def key_result_chart(kr: KeyResult, check_ins: list[CheckIn], today: date) -> SafeString:
    cycle = kr.objective.cycle
    milestone = kr.kind == KeyResult.Kind.MILESTONE
    if milestone:
        points = [(timezone.localtime(c.created_at), c.progress_value) for c in check_ins]
        start, target = 0, 1
    else:
        points = [
            (timezone.localtime(c.created_at), c.value) for c in check_ins if c.value is not None
        ]
        start, target = kr.start_value, kr.target_value
    pace = [(p.on, p.value) for p in maths.pace_line(_facts(kr, today)) if p.value is not None]
    svg = charts.check_in_chart(
        points,
        pace=pace,
        bar_share=maths.ASPIRATIONAL_PACE
        if kr.commitment == KeyResult.Commitment.ASPIRATIONAL
        else 1.0,
        start=start,
        target=target,
        period_start=cycle.start_date,
        period_end=cycle.end_date,
        direction=kr.direction,
        milestone=milestone,
        title=_("Check-in history: %(title)s") % {"title": kr.title},
        description=chart_description(kr, check_ins),
        format_date=_axis_date,
        format_value=percent if milestone else _axis_number,
        today=today,
        empty_text=_("No check-ins yet"),
        chart_id=f"chart-{kr.uuid}",
    )
    # charts.check_in_chart escapes every text it writes (title, description, labels).
    return mark_safe(svg)  # noqa: S308


def chart_description(kr: KeyResult, check_ins: list[CheckIn]) -> str:
    """A sentence or two that says what the chart shows (its <desc>)."""
    parts = [
        ngettext("%(count)s check-in.", "%(count)s check-ins.", len(check_ins))
        % {"count": len(check_ins)}
    ]
    if kr.kind == KeyResult.Kind.MILESTONE:
        parts.append(_("A milestone: progress from 0 % to 100 %."))
        if check_ins:
            last = check_ins[-1]
            parts.append(
                _("Latest: %(progress)s on %(date)s.")
                % {"progress": percent(last.progress_value), "date": _long_date(last.created_at)}
            )
    else:
        if kr.target_value is None:
            parts.append(
                _("Start %(start)s; the target is pending, so there is no expected pace yet.")
                % {"start": with_unit(kr.start_value, kr.unit)}
            )
        else:
            parts.append(
                _("From %(start)s to a target of %(target)s; the dashed line is the expected pace.")
                % {
                    "start": with_unit(kr.start_value, kr.unit),
                    "target": with_unit(kr.target_value, kr.unit),
                }
            )
        values = [c for c in check_ins if c.value is not None]
        if values:
            first, last = values[0], values[-1]
            parts.append(
                _("First check-in %(first)s on %(first_date)s, latest %(last)s on %(last_date)s.")
                % {
                    "first": with_unit(first.value, kr.unit),
                    "first_date": _long_date(first.created_at),
                    "last": with_unit(last.value, kr.unit),
                    "last_date": _long_date(last.created_at),
                }
            )
    parts.append(_("The table below lists every check-in."))
    return " ".join(parts)


def _long_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "ABBR_DATE_FORMAT")


# --- Initiatives and children ----------------------------------------------------------


def initiatives_of(kr: KeyResult) -> list[Initiative]:
    return list(
        Initiative.objects.filter(key_result=kr).select_related("owner").order_by("order", "id")
    )


#: Aligned team objectives per page on a detail page (a strategic one may have hundreds).
CHILDREN_PER_PAGE = 25


def _aligned(organisation_id, condition: Q):
    return (
        Objective.objects.filter(condition, organisation_id=organisation_id)
        .exclude(status=Objective.Status.ARCHIVED)
        .select_related("team", "cycle", "parent_key_result")
        .order_by("team__order", "team__name", "order", "id")
    )


def children_page_of_objective(objective: Objective, today: date, page=None, count=None) -> Page:
    """One page of the team objectives under this one, directly or through its key results.

    ``count``: how many there are, when known already (``children_count_of_objective``).
    """
    return children_page(_aligned_to_objective(objective), today, page, count=count)


def children_count_of_objective(objective: Objective) -> int:
    """How many team objectives are under this one, as its pages count them (1 query)."""
    return _aligned_to_objective(objective).count()


def _aligned_to_objective(objective: Objective):
    return _aligned(
        objective.organisation_id,
        Q(parent_objective=objective) | Q(parent_key_result__objective=objective),
    )


def children_page_of_key_result(kr: KeyResult, today: date, page=None, count=None) -> Page:
    """One page of the team objectives aligned to this key result.

    ``count``: how many there are, when known already (``objective_weights``).
    """
    return children_page(
        _aligned(kr.organisation_id, Q(parent_key_result=kr)), today, page, count=count
    )


def objective_weights(kr: KeyResult) -> tuple[list[KeyResult], int | None]:
    """The live key results of the key result's objective, for its share of the weight (1 query).

    Each comes with the number of team objectives aligned to it (``aligned``), counted
    as ``children_page_of_key_result`` counts them, so the key result's own page needs
    no count query of its own. Returns the key results and that number for ``kr``
    (None when ``kr`` is not among them: an archived one).
    """
    siblings = list(
        KeyResult.objects.filter(objective_id=kr.objective_id, archived=False)
        .only("pk", "weight", "archived")
        .annotate(
            aligned=Count(
                "child_objectives",
                filter=Q(child_objectives__organisation_id=kr.organisation_id)
                & ~Q(child_objectives__status=Objective.Status.ARCHIVED),
            )
        )
        .order_by("order", "id")
    )
    count = next((sibling.aligned for sibling in siblings if sibling.pk == kr.pk), None)
    return siblings, count


def children_page(queryset, today: date, page=None, count=None) -> Page:
    """A page of ``CHILDREN_PER_PAGE`` objectives with the engine's numbers (2 queries).

    The count (unless given) and the page's rows (none when there are none). The
    numbers are those the engine stored on each objective (``okr.objectives.stored``)
    while they are today's; any others are computed here from their key results (at
    most 4 more queries, only then).
    """
    paginator = Paginator(queryset, CHILDREN_PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached_property: the count query is not run
    page = paginator.get_page(page)
    # None: the empty slice would still compile its query (joins and all) to find out.
    children = list(page.object_list) if paginator.count else []
    stored.set_numbers(today, objectives=children)
    page.object_list = children
    return page


def parent_of(objective: Objective) -> Objective | KeyResult | None:
    """The strategic objective or key result this one supports (at most 1 query).

    A parent key result comes with its objective.
    """
    if objective.parent_key_result_id:
        return (
            KeyResult.objects.filter(
                organisation_id=objective.organisation_id, pk=objective.parent_key_result_id
            )
            .select_related("objective")
            .first()
        )
    if objective.parent_objective_id:
        return Objective.objects.filter(
            organisation_id=objective.organisation_id, pk=objective.parent_objective_id
        ).first()
    return None


# --- History of changes ------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    changes: list[FieldChange] = field(default_factory=list)


#: Fields never shown in a diff (they do not change, or are not the reader's business).
_HIDDEN_FIELDS = {"organisation", "id", "uuid", "created_at"}


def _field_labels() -> dict[tuple[type, str], str]:
    return {
        (Objective, "title"): _("title"),
        (Objective, "cycle"): _("cycle"),
        (Objective, "team"): _("team"),
        (Objective, "parent_objective"): _("parent objective"),
        (Objective, "parent_key_result"): _("parent key result"),
        (KeyResult, "title"): _("title"),
        (KeyResult, "objective"): _("objective"),
        (KeyResult, "archived"): _("archived"),
        (Initiative, "key_result"): _("key result"),
    }


def history_of(
    instance: Objective | KeyResult | Initiative, limit: int = HISTORY_LIMIT
) -> list[HistoryEntry]:
    """The last ``limit`` changes, newest first, each with who, when and what changed.

    Consecutive historical records are compared with simple-history's
    ``diff_against``. One query for the records and their users, plus at most
    one per kind of related object that changed (owner, team, ...).
    """
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    deltas = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        delta = None
        if previous is not None and record.history_type != "+":
            delta = record.diff_against(previous, excluded_fields=_HIDDEN_FIELDS)
        deltas.append((record, delta))

    # Resolve the related ids that appear in any change: one query per related model.
    wanted: dict[type, set] = {}
    for _record, delta in deltas:
        for change in delta.changes if delta else ():
            related = model._meta.get_field(change.field).related_model
            if related is not None:
                wanted.setdefault(related, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    names = {
        related: {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }

    labels = _field_labels()
    actions = {"+": "created", "~": "changed", "-": "deleted"}
    entries = []
    for record, delta in deltas:
        changes = []
        for change in delta.changes if delta else ():
            model_field = model._meta.get_field(change.field)
            changes.append(
                FieldChange(
                    field=labels.get((model, change.field), str(model_field.verbose_name)),
                    old=_display(model_field, change.old, names),
                    new=_display(model_field, change.new, names),
                )
            )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.get_full_name() if user else _("Unknown"),
                action=actions.get(record.history_type, "changed"),
                changes=changes,
            )
        )
    return entries


def _display(model_field, value, names: dict) -> str:
    if value is None or value == "":
        if model_field.name == "target_value":
            return _("pending")
        return "–"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, _("(deleted)"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DecimalField):
        return number(value)
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "ABBR_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return date_format(value, "ABBR_DATE_FORMAT")
    return str(value)
