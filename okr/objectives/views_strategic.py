"""The Strategic OKRs page: leadership edits the year's objectives and key results in place; all read.

One template (``objectives/strategic.html``) serves the page and every fragment: an
HTMX request gets a named partial of it, a plain request the whole page (or a
redirect after a successful POST), so everything works without JavaScript.

Swappable regions are stable wrappers in the page (``#objective-<uuid>``,
``#key-result-<uuid>``, ``#kr-list-<uuid>``, ``#kr-new-<uuid>``,
``#objective-list``, ``#objective-new``); responses replace their content
(innerHTML), so app.js finds the focus target inside a live element.

Reading never writes: a year without a cycle shows an empty state, and the
cycle is created by the first objective saved in it. Who may write is
``accounts.policy``'s answer (leadership, for strategic OKRs), asked first by
each view and again by the services; objects are looked up inside the
request's organisation only (``okr.objectives.access``).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import retarget

from accounts import policy, revision
from accounts.access import org_view
from accounts.policy import Action
from okr import coach as coaching
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import selectors, services
from okr.objectives.access import get_key_result_for_user, get_objective_for_user
from okr.objectives.board import (
    archive_key_result,
    archive_objective,
    create_from,
    create_key_result,
    focus_after_move,
    mark_positions,
    move_key_result,
    move_objective,
    save_key_result,
    save_objective,
    shown_key_result,
)
from okr.objectives.form_wiring import wire_coach
from okr.objectives.forms import KeyResultForm, ObjectiveForm
from okr.years.selectors import is_drafting

TEMPLATE = "objectives/strategic.html"
EDIT_TEMPLATE = "objectives/strategic_edit.html"
COACH_MAX_CHARS = 1000


# --- Parsing and small helpers ---------------------------------------------------


def _current_year(organisation) -> int:
    """The fiscal year that contains today in the organisation's time zone."""
    return calendar.current_fiscal_year(organisation)


def _year_label(organisation, year: int) -> str:
    return calendar.fiscal_year_label(year, organisation.fiscal_year_start_month)


def _year_options(organisation, cycles, selected: int) -> list[dict]:
    current = _current_year(organisation)
    years = {c.year for c in cycles} | {current, current + 1, selected}
    return [
        {"year": y, "label": _year_label(organisation, y), "selected": y == selected}
        for y in sorted(years)
    ]


def _can_edit(request) -> bool:
    """May the person set the year's strategic OKRs (show the controls)?"""
    return policy.can(request.membership, Action.OBJECTIVE_CREATE)


def _page_url(organisation, year: int, anchor: str = "") -> str:
    url = f"{reverse('okr:strategic', args=[organisation.slug])}?year={year}"
    return f"{url}#{anchor}" if anchor else url


def _return_url(request, objective: Objective, anchor: str = "") -> str:
    """Where a plain (no-JS) request goes after a write."""
    if objective.level == Objective.Level.STRATEGIC:
        return _page_url(
            request.organisation, objective.cycle.year, anchor or f"objective-{objective.uuid}"
        )
    if objective.level == Objective.Level.PERSONAL and request.organisation.personal_okrs:
        # Back to My OKRs (okr.personal), where the person writes them.
        url = reverse("okr:my_okrs", args=[request.organisation.slug])
        return f"{url}#objective-{objective.uuid}"
    return reverse("okr:objective_detail", args=[request.organisation.slug, objective.uuid])


def _live_objective(request, code) -> Objective:
    objective = get_objective_for_user(request, code)
    if objective.status == Objective.Status.ARCHIVED:
        raise Http404
    return objective


def _live_key_result(request, code) -> KeyResult:
    kr = get_key_result_for_user(request, code)
    if kr.archived or kr.objective.status == Objective.Status.ARCHIVED:
        raise Http404
    return kr


# --- Reads -----------------------------------------------------------------------


def _decorate(objectives: list[Objective], request) -> list[Objective]:
    """Positions (for move buttons and focus) and, for leadership, the coach's hints (pure, no queries)."""
    mark_positions(objectives, request.LANGUAGE_CODE, with_hints=_can_edit(request))
    return objectives


def _objectives_of_year(request, cycle: Cycle | None) -> list[Objective]:
    if cycle is None:
        return []
    return _decorate(selectors.strategic_objectives(request.organisation, cycle), request)


def _siblings_of(request, objective: Objective) -> list[Objective]:
    """The list the objective is shown in (same reads as the page: bounded queries)."""
    if objective.level == Objective.Level.STRATEGIC:
        return _objectives_of_year(request, objective.cycle)
    objectives = selectors.annotate_progress(
        list(
            selectors.objectives_with_key_results(
                request.organisation,
                cycle=objective.cycle,
                level=objective.level,
                team=objective.team,
            )
        ),
        objective.cycle,
        calendar.today(request.organisation),
    )
    return _decorate(objectives, request)


def _shown(request, objective: Objective) -> tuple[list[Objective], Objective]:
    objectives = _siblings_of(request, objective)
    for item in objectives:
        if item.pk == objective.pk:
            return objectives, item
    raise Http404


# --- Forms -----------------------------------------------------------------------


def _objective_form(request, base_id: str, data=None, initial=None) -> ObjectiveForm:
    form = ObjectiveForm(
        data, initial=initial, organisation=request.organisation, auto_id=f"{base_id}-%s"
    )
    form.base_id = base_id
    return form


def _key_result_form(request, base_id: str, data=None, initial=None) -> KeyResultForm:
    form = KeyResultForm(
        data,
        initial=initial,
        organisation=request.organisation,
        auto_id=f"{base_id}-%s",
        rollup=True,  # a strategic key result says how its direct contributions combine
    )
    form.base_id = base_id
    return form


def _context(request, year: int, **extra) -> dict:
    return {"can_edit": _can_edit(request), "year": year, **extra}


def _page(request, year: int, **extra):
    """The whole page for ``year``; ``extra`` opens a form in place (editing_*, adding_key_result)."""
    organisation = request.organisation
    cycles = revision.cached(
        organisation.pk, "year-cycles", [], lambda: selectors.year_cycles(organisation)
    )
    cycle = next((c for c in cycles if c.year == year), None)
    context = _context(
        request,
        year,
        year_label=_year_label(organisation, year),
        years=_year_options(organisation, cycles, year),
        cycle=cycle,
        **extra,
    )
    if extra:  # a form open in place (no JavaScript): this person's own page
        context["objectives"] = _objectives_of_year(request, cycle)
    else:
        context["objective_list_html"] = _objective_list_html(request, cycle, context)
    if context["can_edit"] and context.get("new_objective_form") is not None:  # typed, refused
        context["new_objective_form"] = wire_coach(
            request, context["new_objective_form"], "objective"
        )
    elif context["can_edit"]:
        context["new_objective_html"] = _new_objective_html(request, context)
    return render(request, TEMPLATE, context)


def _new_objective_html(request, context: dict):
    """The empty form for a new objective of the year: the same for every editor, so rendered
    once per revision (its owner choices are the organisation's people), year and language."""

    def render_form(csrf_token: str) -> str:
        form = wire_coach(request, _objective_form(request, "objective-new"), "objective")
        extra = {"new_objective_form": form, "csrf_token": csrf_token}
        return render_to_string(f"{TEMPLATE}#add-objective", {**context, **extra}, request=request)

    parts = [context["year"], request.LANGUAGE_CODE]
    return revision.cached_html(
        request, request.organisation.pk, "strategic-new-objective", parts, render_form
    )


def _objective_list_html(request, cycle: Cycle | None, context: dict):
    """The year's objectives as everyone who may (or may not) edit them sees them.

    Rendered once per revision of the organisation (any write makes a new
    one), day (the verdicts) and language, for editors and for readers; each
    response puts in its own CSRF token (``revision.cached_html``).
    """
    organisation = request.organisation

    def render_list(csrf_token: str) -> str:
        objectives = _objectives_of_year(request, cycle)
        return render_to_string(
            f"{TEMPLATE}#objective-list",
            {**context, "objectives": objectives, "csrf_token": csrf_token},
            request=request,
        )

    return revision.cached_html(
        request,
        organisation.pk,
        "strategic-list",
        [
            cycle.pk if cycle else None,
            context["year"],
            context["can_edit"],
            calendar.today(organisation),
            request.LANGUAGE_CODE,
        ],
        render_list,
    )


def _edit_page(request, objective: Objective, **extra):
    """No-JS editing of an objective that is not on the strategic page (a team objective)."""
    return render(
        request,
        EDIT_TEMPLATE,
        _context(
            request,
            objective.cycle.year,
            objective=objective,
            return_url=_return_url(request, objective),
            **extra,
        ),
    )


def _objective_fields(form: ObjectiveForm) -> dict:
    """What the objective services take from the strategic form (no parent: the top of the tree)."""
    return {name: form.cleaned_data[name] for name in ("title", "why", "owner")}


# --- Views -----------------------------------------------------------------------


@org_view
def strategic(request):
    """The page; with HTMX and ``objective``/``key_result``/``add_key_result`` one fragment (Cancel)."""
    if request.htmx:
        if code := request.GET.get("objective"):
            objective = _live_objective(request, code)
            _objectives, shown = _shown(request, objective)
            return render(
                request,
                f"{TEMPLATE}#objective-card",
                _context(request, objective.cycle.year, objective=shown),
            )
        if code := request.GET.get("key_result"):
            kr = _live_key_result(request, code)
            _objectives, shown = _shown(request, kr.objective)
            return render(
                request,
                f"{TEMPLATE}#key-result-item",
                _context(
                    request,
                    kr.objective.cycle.year,
                    objective=shown,
                    kr=shown_key_result(shown, kr.pk),
                ),
            )
        if code := request.GET.get("add_key_result"):
            objective = _live_objective(request, code)
            return render(
                request,
                f"{TEMPLATE}#key-result-new",
                _context(request, objective.cycle.year, objective=objective),
            )
    year = calendar.parse_year(request.GET.get("year"), _current_year(request.organisation))
    return _page(request, year)


@org_view(action=Action.OBJECTIVE_CREATE)
def objective_new(request):
    """Add a strategic objective to a year; the year's cycle is created with the first one."""
    organisation = request.organisation
    year = calendar.parse_year(
        request.POST.get("year") or request.GET.get("year"), _current_year(organisation)
    )
    if request.method == "POST":
        form = _objective_form(request, "objective-new", data=request.POST)
        objective = create_from(
            request,
            form,
            lambda form: services.objective_create(
                organisation=organisation,
                cycle=services.cycle_year_get_or_create(organisation=organisation, year=year),
                level=Objective.Level.STRATEGIC,
                title=form.cleaned_data["title"],
                why=form.cleaned_data["why"],
                owner=form.cleaned_data["owner"],
                # A year leadership is still drafting (okr.years) gets another draft.
                status=Objective.Status.DRAFT if is_drafting(organisation, year) else None,
                author=request.user,
            ),
            _("Objective added."),
        )
        if objective is not None and not request.htmx:
            return redirect(_page_url(organisation, year, f"objective-{objective.uuid}"))
        if objective is not None:
            _objectives, shown = _shown(request, objective)
            fresh = wire_coach(request, _objective_form(request, "objective-new"), "objective")
            return render(
                request,
                f"{TEMPLATE}#objective-created",
                _context(request, year, objective=shown, new_objective_form=fresh, created=shown),
            )
    else:
        form = _objective_form(request, "objective-new")
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#objective-new",
            _context(request, year, new_objective_form=wire_coach(request, form, "objective")),
        )
    return _page(request, year, new_objective_form=form)


@org_view
def objective_edit(request, code):
    """GET: the form in place of the card. POST: save (version-checked) and show the card again."""
    objective = _live_objective(request, code)
    policy.require(request.membership, Action.OBJECTIVE_EDIT, objective)
    base_id = f"objective-{objective.uuid}"
    stale = None
    if request.method == "POST":
        edit = save_objective(
            request, objective, partial(_objective_form, request, base_id), _objective_fields
        )
        form, stale = edit.form, edit.stale
        if edit.saved:
            if not request.htmx:
                messages.success(request, _("Objective saved."))
                return redirect(_return_url(request, objective))
            _objectives, shown = _shown(request, objective)
            shown.focus = "heading"
            return render(
                request,
                f"{TEMPLATE}#objective-card",
                _context(request, objective.cycle.year, objective=shown),
            )
    else:
        form = _objective_form(request, base_id, initial=ObjectiveForm.initial_for(objective))
    form = wire_coach(request, form, "objective")
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#objective-form",
            _context(
                request, objective.cycle.year, objective=objective, objective_form=form, stale=stale
            ),
        )
    if objective.level != Objective.Level.STRATEGIC:
        return _edit_page(request, objective, objective_form=form, stale=stale, editing="objective")
    return _page(
        request,
        objective.cycle.year,
        objective_form=form,
        stale=stale,
        editing_objective=objective.uuid,
    )


@org_view
def objective_move(request, code):
    objective = _live_objective(request, code)
    direction = request.POST.get("direction", "")
    refused = move_objective(request, objective)
    if refused is not None:
        return refused
    if not request.htmx:
        return redirect(_return_url(request, objective))
    objectives, shown = _shown(request, objective)
    shown.focus = focus_after_move(shown, direction)
    return render(
        request,
        f"{TEMPLATE}#objective-list",
        _context(request, objective.cycle.year, objectives=objectives, moved=shown),
    )


@org_view
def objective_archive(request, code):
    objective = get_objective_for_user(request, code)
    refused = archive_objective(request, objective)
    if refused is not None:
        return refused
    if not request.htmx:
        if objective.level == Objective.Level.STRATEGIC:
            return redirect(_page_url(request.organisation, objective.cycle.year, "objective-list"))
        return redirect(_return_url(request, objective))
    objective.status = Objective.Status.ARCHIVED
    return render(
        request,
        f"{TEMPLATE}#objective-list",
        _context(
            request,
            objective.cycle.year,
            objectives=_siblings_of(request, objective),
            archived=objective,
        ),
    )


@org_view
def key_result_new(request, code):
    """GET: the form under the objective. POST: add the key result (metric, milestone or pending)."""
    objective = _live_objective(request, code)
    policy.require(request.membership, Action.KEY_RESULT_CREATE, objective)
    base_id = f"kr-new-{objective.uuid}"
    if request.method == "POST":
        form = _key_result_form(request, base_id, data=request.POST)
        kr = create_key_result(request, objective, form)
        if kr is not None and not request.htmx:
            return redirect(_return_url(request, objective, f"key-result-{kr.uuid}"))
        if kr is not None:
            _objectives, shown = _shown(request, objective)
            fresh = wire_coach(request, _key_result_form(request, base_id), "key_result")
            return render(
                request,
                f"{TEMPLATE}#key-result-created",
                _context(
                    request,
                    objective.cycle.year,
                    objective=shown,
                    kr=shown_key_result(shown, kr.pk),
                    kr_form=fresh,
                    created=kr,
                ),
            )
    else:
        form = _key_result_form(request, base_id)
    form = wire_coach(request, form, "key_result")
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#key-result-form",
            _context(request, objective.cycle.year, objective=objective, kr=None, kr_form=form),
        )
    if objective.level != Objective.Level.STRATEGIC:
        return _edit_page(request, objective, kr_form=form, kr=None, editing="key_result")
    return _page(request, objective.cycle.year, adding_key_result=objective.uuid, kr_form=form)


@org_view
def key_result_edit(request, code):
    """GET: the form in place of the key result. POST: save (version-checked) and show it again."""
    kr = _live_key_result(request, code)
    policy.require(request.membership, Action.KEY_RESULT_EDIT, kr)
    objective = kr.objective
    base_id = f"kr-{kr.uuid}"
    stale = None
    if request.method == "POST":
        edit = save_key_result(request, kr, partial(_key_result_form, request, base_id))
        form, stale = edit.form, edit.stale
        if edit.saved:
            if not request.htmx:
                messages.success(request, _("Key result saved."))
                return redirect(_return_url(request, objective, f"key-result-{kr.uuid}"))
            _objectives, shown = _shown(request, objective)
            shown_kr = shown_key_result(shown, kr.pk)
            shown_kr.focus = "heading"
            context = _context(request, objective.cycle.year, objective=shown, kr=shown_kr)
            if shown_kr.weight != kr.weight:
                # Every key result's share of the objective moved: the whole list again.
                response = render(request, f"{TEMPLATE}#weights-changed", context)
                return retarget(response, f"#kr-list-{objective.uuid}")
            return render(request, f"{TEMPLATE}#key-result-saved", context)
    else:
        form = _key_result_form(request, base_id, initial=KeyResultForm.initial_for(kr))
    form = wire_coach(request, form, "key_result")
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#key-result-form",
            _context(
                request, objective.cycle.year, objective=objective, kr=kr, kr_form=form, stale=stale
            ),
        )
    if objective.level != Objective.Level.STRATEGIC:
        return _edit_page(
            request, objective, kr_form=form, kr=kr, stale=stale, editing="key_result"
        )
    return _page(
        request, objective.cycle.year, editing_key_result=kr.uuid, kr_form=form, stale=stale
    )


@org_view
def key_result_move(request, code):
    kr = _live_key_result(request, code)
    direction = request.POST.get("direction", "")
    refused = move_key_result(request, kr)
    if refused is not None:
        return refused
    if not request.htmx:
        return redirect(_return_url(request, kr.objective, f"key-result-{kr.uuid}"))
    _objectives, shown = _shown(request, kr.objective)
    moved = shown_key_result(shown, kr.pk)
    moved.focus = focus_after_move(moved, direction)
    return render(
        request,
        f"{TEMPLATE}#key-result-list",
        _context(request, kr.objective.cycle.year, objective=shown, moved=moved),
    )


@org_view
def key_result_archive(request, code):
    kr = get_key_result_for_user(request, code)
    objective = kr.objective
    refused = archive_key_result(request, kr)
    if refused is not None:
        return refused
    if not request.htmx:
        return redirect(_return_url(request, objective))
    _objectives, shown = _shown(request, objective)
    return render(
        request,
        f"{TEMPLATE}#key-results-changed",
        _context(request, objective.cycle.year, objective=shown, archived=kr),
    )


@org_view
def coach(request):
    """The coach's hints for a title being typed (``kind`` objective|key_result, ``text``).

    Open to every member (the workshop uses it too); it reads nothing and writes nothing.
    Returns the content of the page's ``aria-live`` hints region.
    """
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "")
    if kind not in {"objective", "key_result"}:
        return HttpResponseBadRequest(_("Unknown kind."))
    text = (data.get("text") or data.get("title") or "")[:COACH_MAX_CHARS]
    if kind == "objective":
        hints = coaching.lint_objective(text, request.LANGUAGE_CODE)
    else:
        # The form's fields come along: a typed target means "NPS på X" is no longer pending.
        target_set = bool((data.get("target_value") or "").strip())
        hints = coaching.lint_key_result(text, request.LANGUAGE_CODE, target_set=target_set)
    return render(request, "objectives/includes/coach_hints.html", {"hints": hints})
