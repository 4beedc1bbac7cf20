"""The team workshop: one team's quarter of draft objectives and key results, edited in place.

The workshop (``workshop/workshop.html``) is one team's quarter: draft objectives
and key results as cards, a parent picker, live coach hints, the set-level
hints, a parking lot, reordering (buttons, and drag and drop by
``static/js/reorder.js``) and "submit for approval". One template serves the
page and every fragment; an HTMX request gets a named partial, a plain
request the whole page or a redirect after a successful POST, so everything
works without JavaScript.

Who does what: members of the team, its lead and leadership edit; the lead
and leadership submit; everyone else in the organisation reads. A proposed
objective is read-only in the workshop until leadership approves it or asks
for changes. Edits carry the version they were read at (``StaleEdit``), and
adding a card never touches another one.

Reading never writes: a quarter whose year has no cycle yet shows an empty
workshop, and the first POST creates the year (``cycle_year_get_or_create``).

The parking lot is in ``okr.workshop.parking``, leadership's approval queue in
``okr.workshop.approvals``, the kick-off presentation in ``okr.workshop.kick_off``
and the loading and rendering they share in ``okr.workshop.page``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import get_team_for_user, org_view
from accounts.models import Team
from okr.models import KeyResult, Objective
from okr.objectives import services
from okr.objectives.board import focus_after_move, move_offset, save_versioned
from okr.objectives.form_wiring import add_service_errors
from okr.objectives.forms import KeyResultForm
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import WorkshopObjectiveForm
from okr.workshop.page import (
    TEMPLATE,
    Workshop,
    full_choice,
    key_result_form,
    load_workshop,
    objective_form,
    page_url,
    quarter_for_write,
    role_for,
    team_key_result,
    team_objective,
    whole_page,
    ws_context,
)

INDEX_TEMPLATE = "workshop/workshop_index.html"


# --- Pages ------------------------------------------------------------------------------------


@org_view
def workshop_index(request):
    """Pick a team: the member's own teams first, then every other team."""
    choice = queries.choose_quarter(request.organisation, request.GET.get("quarter"))
    teams = queries.teams_for_index(request.organisation, request.membership, choice.selected)
    return render(
        request,
        INDEX_TEMPLATE,
        {
            "my_teams": [t for t in teams if t.is_mine],
            "other_teams": [t for t in teams if not t.is_mine],
            "quarter": choice.selected,
        },
    )


@org_view
def team_workshop(request, code):
    """The page; with HTMX and ``objective``/``key_result``/``add_key_result`` one fragment (Cancel)."""
    team = get_team_for_user(request, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if request.htmx:
        for name in ("objective", "key_result", "add_key_result"):
            if value := request.GET.get(name):
                return _fragment(request, team, name, value)
    choice = queries.choose_quarter(request.organisation, request.GET.get("quarter"))
    return whole_page(request, team, choice)


def _focused(kr: KeyResult) -> KeyResult:
    kr.focus = "heading"
    return kr


def _fragment(request, team: Team, name: str, code):
    if name == "key_result":
        kr = team_key_result(request, code)
        objective = kr.objective
    else:
        objective = team_objective(request, code)
    if objective.team_id != team.pk:
        raise Http404
    ws = load_workshop(request, team, objective.cycle)
    shown = ws.objective(objective.pk)
    shown.focus = "heading"
    if name == "objective":
        return render(
            request, f"{TEMPLATE}#objective-card", ws_context(request, ws, objective=shown)
        )
    if name == "key_result":
        return render(
            request,
            f"{TEMPLATE}#key-result-item",
            ws_context(request, ws, objective=shown, kr=_focused(ws.key_result(shown, kr.pk))),
        )
    return render(request, f"{TEMPLATE}#key-result-new", ws_context(request, ws, objective=shown))


# --- Objectives -------------------------------------------------------------------------------


@org_view
def objective_new(request, code):
    """Add a draft objective to the team's quarter (the year is created with the first one)."""
    team = get_team_for_user(request, code)
    role = role_for(request, team, "edit")
    if request.method != "POST":
        return redirect(page_url(request.organisation, team))
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    cycle = choice.selected.cycle
    ws = load_workshop(request, team, cycle, role)
    form = objective_form(request, ws, "objective-new", data=request.POST)
    if form.is_valid():
        cycle = cycle or quarter_for_write(request)  # the year is created by its first objective
        try:
            objective = workshop.workshop_objective_create(
                organisation=request.organisation,
                team=team,
                cycle=cycle,
                author=request.user,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Objective added."))
                return redirect(
                    page_url(request.organisation, team, cycle, f"objective-{objective.uuid}")
                )
            ws = load_workshop(request, team, cycle, role)
            shown = ws.objective(objective.pk)
            return render(
                request,
                f"{TEMPLATE}#objective-created",
                ws_context(
                    request,
                    ws,
                    objective=shown,
                    created=shown,
                    new_objective_form=objective_form(request, ws, "objective-new"),
                ),
            )
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#objective-new",
            ws_context(request, ws, new_objective_form=form, quarter_token=choice.selected.token),
        )
    return whole_page(request, team, choice, role, new_objective_form=form)


def _read_only_notice(objective: Objective) -> str:
    return _(
        "This objective is proposed to leadership and read-only until leadership approves it "
        "or asks for changes."
    )


@org_view
def objective_edit(request, code):
    """GET: the form in place of the card. POST: save (version-checked) and show the card again."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"objective-{objective.uuid}"
    stale = locked = None
    if request.method == "POST":
        edit = save_versioned(
            request,
            lambda data: objective_form(request, ws, base_id, data=data),
            lambda form: services.objective_update(
                objective=objective,
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            ),
            allowed=shown.editable,
        )
        form, stale = edit.form, edit.stale
        locked = None if shown.editable else _read_only_notice(objective)
        if edit.saved:
            if not request.htmx:
                messages.success(request, _("Objective saved."))
                return redirect(
                    page_url(request.organisation, team, cycle, f"objective-{objective.uuid}")
                )
            ws = load_workshop(request, team, cycle, role)
            shown = ws.objective(objective.pk)
            shown.focus = "heading"
            return render(
                request, f"{TEMPLATE}#objective-saved", ws_context(request, ws, objective=shown)
            )
    else:
        if not shown.editable:
            if request.htmx:
                return render(
                    request, f"{TEMPLATE}#objective-card", ws_context(request, ws, objective=shown)
                )
            messages.warning(request, _read_only_notice(objective))
            return redirect(page_url(request.organisation, team, cycle, base_id))
        form = objective_form(
            request, ws, base_id, initial=WorkshopObjectiveForm.initial_for(objective)
        )
    extra = {"objective": shown, "objective_form": form, "stale": stale, "locked": locked}
    if request.htmx:
        return render(request, f"{TEMPLATE}#objective-form", ws_context(request, ws, **extra))
    return whole_page(
        request,
        team,
        full_choice(request, cycle),
        role,
        editing_objective=objective.uuid,
        objective_form=form,
        stale=stale,
        locked=locked,
    )


@org_view
def objective_move(request, code):
    """Move a card up or down (buttons), or to a position (drag and drop)."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    siblings = list(
        Objective.objects.filter(
            organisation=request.organisation, cycle=cycle, level=Objective.Level.TEAM, team=team
        )
        .exclude(status=Objective.Status.ARCHIVED)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    offset = move_offset(request, siblings.index(objective.pk))
    if offset is None:
        return HttpResponseBadRequest(_("Choose up or down."))
    services.objective_move(objective=objective, offset=offset)
    if not request.htmx:
        return redirect(page_url(request.organisation, team, cycle, f"objective-{objective.uuid}"))
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    shown.focus = focus_after_move(shown, request.POST.get("direction", ""))
    return render(request, f"{TEMPLATE}#objective-list", ws_context(request, ws, moved=shown))


@org_view
def objective_archive(request, code):
    """Take a draft off the workshop (drafts and sets sent back only; approved ones are leadership's)."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.SUBMITTABLE:
        raise PermissionDenied
    services.objective_archive(objective=objective)
    if not request.htmx:
        messages.success(request, _("Objective archived: %(title)s") % {"title": objective.title})
        return redirect(page_url(request.organisation, team, cycle, "objective-list"))
    ws = load_workshop(request, team, cycle, role)
    return render(
        request, f"{TEMPLATE}#objectives-changed", ws_context(request, ws, archived=objective)
    )


# --- Key results ------------------------------------------------------------------------------


def _editable_objective_or_403(ws: Workshop, objective: Objective) -> Objective:
    shown = ws.objective(objective.pk)
    if not shown.editable:
        raise PermissionDenied
    return shown


@org_view
def key_result_new(request, code):
    """GET: the form under the objective. POST: add the key result."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    ws = load_workshop(request, team, cycle, role)
    shown = _editable_objective_or_403(ws, objective)
    base_id = f"kr-new-{objective.uuid}"
    if request.method == "POST":
        form = key_result_form(request, base_id, data=request.POST)
        if form.is_valid():
            try:
                kr = services.key_result_create(objective=objective, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Key result added."))
                    return redirect(
                        page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}")
                    )
                ws = load_workshop(request, team, cycle, role)
                shown = ws.objective(objective.pk)
                return render(
                    request,
                    f"{TEMPLATE}#key-result-created",
                    ws_context(
                        request,
                        ws,
                        objective=shown,
                        kr=ws.key_result(shown, kr.pk),
                        kr_form=key_result_form(request, base_id),
                        created=kr,
                    ),
                )
    else:
        form = key_result_form(request, base_id)
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#key-result-form",
            ws_context(request, ws, objective=shown, kr=None, kr_form=form),
        )
    return whole_page(
        request,
        team,
        full_choice(request, cycle),
        role,
        adding_key_result=objective.uuid,
        kr_form=form,
    )


@org_view
def key_result_edit(request, code):
    """GET: the form in place of the key result. POST: save (version-checked)."""
    kr = team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"kr-{kr.uuid}"
    stale = locked = None
    if request.method == "POST":
        edit = save_versioned(
            request,
            lambda data: key_result_form(request, base_id, data=data),
            lambda form: services.key_result_update(
                key_result=kr, version=form.cleaned_data["version"] or 0, **form.service_fields()
            ),
            allowed=shown.editable,
        )
        form, stale = edit.form, edit.stale
        locked = None if shown.editable else _read_only_notice(objective)
        if edit.saved:
            if not request.htmx:
                messages.success(request, _("Key result saved."))
                return redirect(
                    page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}")
                )
            ws = load_workshop(request, team, cycle, role)
            shown = ws.objective(objective.pk)
            shown_kr = ws.key_result(shown, kr.pk)
            shown_kr.focus = "heading"
            return render(
                request,
                f"{TEMPLATE}#key-result-saved",
                ws_context(request, ws, objective=shown, kr=shown_kr),
            )
    else:
        if not shown.editable:
            raise PermissionDenied
        form = key_result_form(request, base_id, initial=KeyResultForm.initial_for(kr))
    extra = {"objective": shown, "kr": kr, "kr_form": form, "stale": stale, "locked": locked}
    if request.htmx:
        return render(request, f"{TEMPLATE}#key-result-form", ws_context(request, ws, **extra))
    return whole_page(
        request,
        team,
        full_choice(request, cycle),
        role,
        editing_key_result=kr.uuid,
        kr_form=form,
        stale=stale,
        locked=locked,
    )


@org_view
def key_result_move(request, code):
    kr = team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.EDITABLE:
        raise PermissionDenied
    siblings = list(
        objective.key_results.filter(archived=False)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    offset = move_offset(request, siblings.index(kr.pk))
    if offset is None:
        return HttpResponseBadRequest(_("Choose up or down."))
    services.key_result_move(key_result=kr, offset=offset)
    if not request.htmx:
        return redirect(page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}"))
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    moved = ws.key_result(shown, kr.pk)
    moved.focus = focus_after_move(moved, request.POST.get("direction", ""))
    return render(
        request,
        f"{TEMPLATE}#key-result-list",
        ws_context(request, ws, objective=shown, moved=moved),
    )


@org_view
def key_result_archive(request, code):
    kr = team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.EDITABLE:
        raise PermissionDenied
    services.key_result_archive(key_result=kr)
    if not request.htmx:
        messages.success(request, _("Key result archived: %(title)s") % {"title": kr.title})
        return redirect(page_url(request.organisation, team, cycle, f"objective-{objective.uuid}"))
    ws = load_workshop(request, team, cycle, role)
    return render(
        request,
        f"{TEMPLATE}#key-results-changed",
        ws_context(request, ws, objective=ws.objective(objective.pk), archived=kr),
    )


# --- Submit -----------------------------------------------------------------------------------


@org_view
def submit(request, code):
    """The lead (or leadership) proposes the team's drafts of the quarter to leadership."""
    team = get_team_for_user(request, code)
    role_for(request, team, "submit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cycle = queries.choose_quarter(request.organisation, request.POST.get("quarter")).selected.cycle
    proposed = (
        workshop.objective_submit(
            organisation=request.organisation, team=team, cycle=cycle, author=request.user
        )
        if cycle is not None
        else []
    )
    if proposed:
        messages.success(
            request,
            ngettext(
                "%(count)d objective proposed to leadership.",
                "%(count)d objectives proposed to leadership.",
                len(proposed),
            )
            % {"count": len(proposed)},
        )
    else:
        messages.info(request, _("Nothing to submit: every objective is proposed or approved."))
    return redirect(page_url(request.organisation, team, cycle))
