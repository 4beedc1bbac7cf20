"""The team workshop: one team's quarter of draft objectives and key results, edited in place.

The workshop (``workshop/workshop.html``) is one team's quarter: draft objectives
and key results as cards, a parent picker, live coach hints, the set-level
hints, a parking lot, reordering (buttons, and drag and drop by
``static/js/reorder.js``) and "submit for approval". One template serves the
page and every fragment; an HTMX request gets a named partial, a plain
request the whole page or a redirect after a successful POST, so everything
works without JavaScript.

Who does what is ``accounts.policy``'s answer, asked by the services (which
refuse) and by the page (which shows only the controls the person may use):
members of the team, its lead, the owners and leadership draft; the lead and
leadership submit; everyone else in the organisation reads. A proposed
objective is read-only until leadership approves it or asks for changes; a
refused save keeps the typed text and answers 403 or 409 with the policy's
message. Edits carry the version they were read at (``StaleEdit``), and
adding a card never touches another one.

Reading never writes: a quarter whose year has no cycle yet shows an empty
workshop, and the first POST creates the year (``cycle_year_get_or_create``).

The parking lot is in ``okr.workshop.parking``, leadership's approval queue in
``okr.workshop.approvals``, the kick-off presentation in ``okr.workshop.kick_off``
and the loading and rendering they share in ``okr.workshop.page``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import retarget

from accounts import policy
from accounts.access import get_team_for_user, org_view
from accounts.models import Team
from accounts.policy import Action
from okr.models import KeyResult, Objective
from okr.objectives.board import (
    archive_key_result,
    archive_objective,
    create_from,
    create_key_result,
    focus_after_move,
    move_key_result,
    move_objective,
    save_key_result,
    save_objective,
)
from okr.objectives.form_wiring import refusal_status
from okr.objectives.forms import KeyResultForm
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import WorkshopObjectiveForm
from okr.workshop.page import (
    TEMPLATE,
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
    policy.require(request.membership, Action.OBJECTIVE_CREATE, team)
    role = role_for(request, team)
    if request.method != "POST":
        return redirect(page_url(request.organisation, team))
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    cycle = choice.selected.cycle
    ws = load_workshop(request, team, cycle, role)
    form = objective_form(request, ws, "objective-new", data=request.POST)
    if form.is_valid():
        cycle = cycle or quarter_for_write(request)  # the year is created by its first objective
    objective = create_from(
        request,
        form,
        lambda form: workshop.workshop_objective_create(
            organisation=request.organisation,
            team=team,
            cycle=cycle,
            author=request.user,
            **form.service_fields(),
        ),
        _("Objective added."),
    )
    if objective is not None and not request.htmx:
        return redirect(page_url(request.organisation, team, cycle, f"objective-{objective.uuid}"))
    if objective is not None:
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


def _may_open(request, action: Action, obj) -> bool:
    """May the person open the edit form? A refusal for who they are is a 403 right away;
    one for the object's state (say, proposed) shows the card with the policy's message."""
    decision = policy.may(request.membership, action, obj)
    if not decision and not decision.conflict:
        decision.raise_if_denied()
    if not decision and not request.htmx:
        messages.warning(request, decision.message)
    return decision.allowed


def _sent_back(request, objective: Objective) -> bool:
    """Did the save just send this approved objective back to leadership? Say so when it did."""
    if objective.status != Objective.Status.APPROVED:
        return False
    sent_back = Objective.objects.filter(pk=objective.pk, status=Objective.Status.PROPOSED).exists()
    if sent_back and not request.htmx:
        messages.warning(
            request,
            _("The change needs leadership's approval: the objective awaits approval again."),
        )
    return sent_back


@org_view
def objective_edit(request, code):
    """GET: the form in place of the card. POST: save (version-checked) and show the card again."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team)
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"objective-{objective.uuid}"
    stale = None
    if request.method == "POST":
        edit = save_objective(
            request,
            objective,
            lambda data: objective_form(request, ws, base_id, data=data),
            lambda form: form.service_fields(),
            check=lambda: policy.require(request.membership, Action.OBJECTIVE_EDIT, objective),
        )
        form, stale = edit.form, edit.stale
        if edit.saved:
            _sent_back(request, objective)
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
        if not _may_open(request, Action.OBJECTIVE_EDIT, objective):
            if request.htmx:
                return render(
                    request, f"{TEMPLATE}#objective-card", ws_context(request, ws, objective=shown)
                )
            return redirect(page_url(request.organisation, team, cycle, base_id))
        form = objective_form(
            request, ws, base_id, initial=WorkshopObjectiveForm.initial_for(objective)
        )
    status = refusal_status(form)
    extra = {"objective": shown, "objective_form": form, "stale": stale}
    if request.htmx:
        return render(
            request, f"{TEMPLATE}#objective-form", ws_context(request, ws, **extra), status=status
        )
    return whole_page(
        request,
        team,
        full_choice(request, cycle),
        role,
        status=status,
        editing_objective=objective.uuid,
        objective_form=form,
        stale=stale,
    )


@org_view
def objective_move(request, code):
    """Move a card up or down (buttons), or to a position (drag and drop)."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team)
    refused = move_objective(
        request,
        objective,
        index=lambda: list(
            Objective.objects.filter(
                organisation=request.organisation,
                cycle=cycle,
                level=Objective.Level.TEAM,
                team=team,
            )
            .exclude(status=Objective.Status.ARCHIVED)
            .order_by("order", "id")
            .values_list("pk", flat=True)
        ).index(objective.pk),
    )
    if refused is not None:
        return refused
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
    role = role_for(request, team)
    refused = archive_objective(request, objective)
    if refused is not None:
        return refused
    if not request.htmx:
        return redirect(page_url(request.organisation, team, cycle, "objective-list"))
    ws = load_workshop(request, team, cycle, role)
    return render(
        request, f"{TEMPLATE}#objectives-changed", ws_context(request, ws, archived=objective)
    )


# --- Key results ------------------------------------------------------------------------------


@org_view
def key_result_new(request, code):
    """GET: the form under the objective. POST: add the key result."""
    objective = team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    policy.require(request.membership, Action.KEY_RESULT_CREATE, objective)
    role = role_for(request, team)
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"kr-new-{objective.uuid}"
    if request.method == "POST":
        form = key_result_form(request, base_id, data=request.POST)
        kr = create_key_result(request, objective, form)
        if kr is not None and not request.htmx:
            return redirect(page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}"))
        if kr is not None:
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
    role = role_for(request, team)
    ws = load_workshop(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"kr-{kr.uuid}"
    stale = None
    if request.method == "POST":
        edit = save_key_result(
            request,
            kr,
            lambda data: key_result_form(request, base_id, data=data),
            check=lambda: policy.require(request.membership, Action.KEY_RESULT_EDIT, kr),
        )
        form, stale = edit.form, edit.stale
        if edit.saved:
            sent_back = _sent_back(request, objective)
            if not request.htmx:
                messages.success(request, _("Key result saved."))
                return redirect(
                    page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}")
                )
            ws = load_workshop(request, team, cycle, role)
            shown = ws.objective(objective.pk)
            if sent_back:
                # The change sent the approved objective back to leadership: the card changes.
                shown.focus = "heading"
                response = render(
                    request, f"{TEMPLATE}#objective-saved", ws_context(request, ws, objective=shown)
                )
                return retarget(response, f"#objective-{objective.uuid}")
            shown_kr = ws.key_result(shown, kr.pk)
            shown_kr.focus = "heading"
            context = ws_context(request, ws, objective=shown, kr=shown_kr)
            if shown_kr.weight != kr.weight:
                # Every key result's share of the objective moved: the whole list again.
                response = render(request, f"{TEMPLATE}#key-result-list", context)
                return retarget(response, f"#kr-list-{objective.uuid}")
            return render(request, f"{TEMPLATE}#key-result-saved", context)
    else:
        policy.require(request.membership, Action.KEY_RESULT_EDIT, kr)
        form = key_result_form(request, base_id, initial=KeyResultForm.initial_for(kr))
    status = refusal_status(form)
    extra = {"objective": shown, "kr": kr, "kr_form": form, "stale": stale}
    if request.htmx:
        return render(
            request, f"{TEMPLATE}#key-result-form", ws_context(request, ws, **extra), status=status
        )
    return whole_page(
        request,
        team,
        full_choice(request, cycle),
        role,
        status=status,
        editing_key_result=kr.uuid,
        kr_form=form,
        stale=stale,
    )


@org_view
def key_result_move(request, code):
    kr = team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = role_for(request, team)
    refused = move_key_result(
        request,
        kr,
        index=lambda: list(
            objective.key_results.filter(archived=False)
            .order_by("order", "id")
            .values_list("pk", flat=True)
        ).index(kr.pk),
    )
    if refused is not None:
        return refused
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
    role = role_for(request, team)
    refused = archive_key_result(request, kr)
    if refused is not None:
        return refused
    if not request.htmx:
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
    policy.require(request.membership, Action.OBJECTIVES_SUBMIT, team)
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
