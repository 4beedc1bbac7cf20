"""The team workshop, leadership's approval queue and the kick-off presentation.

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
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import get_team_for_user, org_view
from accounts.models import Team
from okr import coach as coaching
from okr.models import Cycle, KeyResult, Objective, ParkingLotItem
from okr.objectives import selectors, services
from okr.objectives.access import get_key_result_for_user, get_objective_for_user
from okr.objectives.form_wiring import add_service_errors, wire_coach, with_version
from okr.objectives.forms import KeyResultForm
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import (
    ParkingLotForm,
    RequestChangesForm,
    ToInitiativeForm,
    ToKeyResultForm,
    WorkshopObjectiveForm,
)

TEMPLATE = "workshop/workshop.html"
INDEX_TEMPLATE = "workshop/workshop_index.html"
APPROVALS_TEMPLATE = "workshop/approvals.html"
PRESENTATION_TEMPLATE = "workshop/presentation.html"
MOVES = {"up": -1, "down": 1}


# --- Small helpers -------------------------------------------------------------------------


def _page_url(organisation, team: Team, cycle: Cycle | None = None, anchor: str = "") -> str:
    url = reverse("okr:team_workshop", args=[organisation.slug, team.uuid])
    if cycle is not None:
        url = f"{url}?quarter={cycle.uuid}"
    return f"{url}#{anchor}" if anchor else url


def _quarter_for_write(request) -> Cycle:
    """The quarter a POST writes to; its year (and quarters) are created on the first write."""
    choice = queries.choose_quarter(
        request.organisation, request.POST.get("quarter") or request.GET.get("quarter")
    )
    selected = choice.selected
    if selected.cycle is not None:
        return selected.cycle
    year = services.cycle_year_get_or_create(organisation=request.organisation, year=selected.year)
    return year.quarters.select_related("parent").get(quarter=selected.quarter)


def _team_objective(request, code) -> Objective:
    objective = get_objective_for_user(request, code)
    if objective.level != Objective.Level.TEAM or objective.status == Objective.Status.ARCHIVED:
        raise Http404
    return objective


def _team_key_result(request, code) -> KeyResult:
    kr = get_key_result_for_user(request, code)
    objective = kr.objective
    if (
        kr.archived
        or objective.level != Objective.Level.TEAM
        or objective.status == Objective.Status.ARCHIVED
    ):
        raise Http404
    return kr


def _role(request, team: Team, need: str = "") -> queries.WorkshopRole:
    role = queries.workshop_role(request.membership, team)
    if need == "edit" and not role.can_edit:
        raise PermissionDenied
    if need == "submit" and not role.can_submit:
        raise PermissionDenied
    return role


def _position_offset(request, current_index: int) -> int | None:
    """The move asked for: ``direction`` up/down (buttons) or a 1-based ``position`` (drag and drop)."""
    if "position" in request.POST:
        try:
            position = int(request.POST["position"])
        except (TypeError, ValueError):
            return None
        return max(position, 1) - 1 - current_index
    return MOVES.get(request.POST.get("direction", ""))


def _focus_after_move(item, direction: str) -> str:
    if direction == "up" and not item.is_first:
        return "up"
    if direction == "down" and not item.is_last:
        return "down"
    return "heading"


# --- The workshop's data ----------------------------------------------------------------------


@dataclass
class Workshop:
    """Everything one team's quarter shows (a fixed number of queries)."""

    team: Team
    cycle: Cycle | None
    role: queries.WorkshopRole
    strategic: list[Objective]
    objectives: list[Objective]
    set_hints: list
    language: str

    def objective(self, pk: int) -> Objective:
        for item in self.objectives:
            if item.pk == pk:
                return item
        raise Http404

    def key_result(self, objective: Objective, pk: int) -> KeyResult:
        for kr in objective.key_results.all():
            if kr.pk == pk:
                return kr
        raise Http404

    @property
    def editable_objectives(self) -> list[Objective]:
        return [o for o in self.objectives if o.editable]


def _decorate(objectives, role, language, labels) -> None:
    """Positions, parents' texts, editability and the coach's saved hints (no queries)."""
    last = len(objectives) - 1
    for index, objective in enumerate(objectives):
        objective.is_first, objective.is_last = index == 0, index == last
        objective.editable = role.can_edit and objective.status in workshop.EDITABLE
        objective.can_archive = role.can_edit and objective.status in workshop.SUBMITTABLE
        parent = None
        if objective.parent_key_result_id:
            parent = labels.get(("key_result", objective.parent_key_result_id))
            parent = parent or (objective.parent_key_result.title, None)
        elif objective.parent_objective_id:
            parent = labels.get(("objective", objective.parent_objective_id))
            parent = parent or (objective.parent_objective.title, None)
        objective.parent_text, objective.parent_of = parent or (None, None)
        objective.hints = (
            coaching.lint_objective(objective.title, language) if role.can_edit else []
        )
        krs = list(objective.key_results.all())
        for kr_index, kr in enumerate(krs):
            kr.is_first, kr.is_last = kr_index == 0, kr_index == len(krs) - 1
            kr.hints = coaching.lint_key_result(kr.title, language) if role.can_edit else []


def _set_hints(objectives, language) -> list:
    return coaching.lint_objective_set(
        [
            coaching.ObjectiveInput(
                title=o.title,
                key_result_titles=[kr.title for kr in o.key_results.all()],
                has_parent=bool(o.parent_objective_id or o.parent_key_result_id),
            )
            for o in objectives
        ],
        language,
        level="team",
    )


def _load(request, team: Team, cycle: Cycle | None, role=None) -> Workshop:
    organisation = request.organisation
    role = role or _role(request, team)
    language = request.LANGUAGE_CODE
    year_cycle = cycle.parent if cycle is not None else None
    strategic = queries.strategic_of_year(organisation, year_cycle)
    objectives = queries.workshop_objectives(organisation, team, cycle)
    _decorate(objectives, role, language, queries.parent_labels(strategic))
    return Workshop(
        team=team,
        cycle=cycle,
        role=role,
        strategic=strategic,
        objectives=objectives,
        set_hints=_set_hints(objectives, language) if role.can_edit else [],
        language=language,
    )


# --- Forms ------------------------------------------------------------------------------------


def _objective_form(request, ws: Workshop, base_id: str, data=None, initial=None):
    form = WorkshopObjectiveForm(
        data,
        initial=initial,
        organisation=request.organisation,
        strategic=ws.strategic,
        auto_id=f"{base_id}-%s",
    )
    form.base_id = base_id
    return wire_coach(request, form, "objective")


def _key_result_form(request, base_id: str, data=None, initial=None):
    form = KeyResultForm(
        data, initial=initial, organisation=request.organisation, auto_id=f"{base_id}-%s"
    )
    form.base_id = base_id
    return wire_coach(request, form, "key_result")


def _coach_attrs(request, hints_id: str) -> dict:
    return {
        "hx-post": reverse("okr:coach", args=[request.organisation.slug]),
        "hx-trigger": "input changed delay:400ms",
        "hx-target": f"#{hints_id}",
        "hx-vals": '{"kind": "key_result"}',
        "hx-sync": "this:replace",
        "aria-describedby": hints_id,
    }


def _parking_forms(request, ws: Workshop, items: list[ParkingLotItem], bound=None) -> None:
    """The two conversion forms of every open item (choices from the loaded objectives)."""
    targets = ws.editable_objectives
    for item in items:
        if item.state != ParkingLotItem.State.OPEN:
            continue
        bound_kr = bound_initiative = None
        if bound and bound[0] == item.pk:
            bound_kr = bound[1] if bound[2] == "key_result" else None
            bound_initiative = bound[1] if bound[2] == "initiative" else None
        item.to_key_result = bound_kr or ToKeyResultForm(
            initial={"title": item.text},
            objectives=targets,
            auto_id=f"park-{item.uuid}-kr-%s",
        )
        item.to_key_result.fields["title"].widget.attrs.update(
            _coach_attrs(request, f"park-{item.uuid}-kr-hints")
        )
        item.to_initiative = bound_initiative or ToInitiativeForm(
            initial={"title": item.text},
            objectives=targets,
            auto_id=f"park-{item.uuid}-initiative-%s",
        )


def _parking_context(request, ws: Workshop, new_form=None, bound=None, notice="") -> dict:
    items = queries.parking_lot(ws.team, ws.cycle)
    if ws.role.can_edit:
        _parking_forms(request, ws, items, bound)
    return {
        "open_items": [i for i in items if i.state == ParkingLotItem.State.OPEN],
        "closed_items": [i for i in items if i.state != ParkingLotItem.State.OPEN],
        "parking_form": new_form
        or (ParkingLotForm(auto_id="park-new-%s") if ws.role.can_edit else None),
        "parking_notice": notice,
    }


def _context(request, ws: Workshop, **extra) -> dict:
    return {
        "ws": ws,
        "team": ws.team,
        "cycle": ws.cycle,
        "role": ws.role,
        "can_edit": ws.role.can_edit,
        "objectives": ws.objectives,
        "set_hints": ws.set_hints,
        "drafts": sum(o.status in workshop.SUBMITTABLE for o in ws.objectives),
        **extra,
        "quarter_token": extra.get("quarter_token") or (str(ws.cycle.uuid) if ws.cycle else ""),
    }


def _page(request, team: Team, choice: queries.QuarterChoice, role=None, status=200, **extra):
    """The whole workshop page; ``extra`` opens forms in place (no-JS editing)."""
    cycle = choice.selected.cycle
    ws = _load(request, team, cycle, role)
    year_cycle = cycle.parent if cycle is not None else None
    context = _context(
        request,
        ws,
        quarter=choice.selected,
        quarter_token=choice.selected.token,
        quarters=choice.options,
        strategic=ws.strategic,
        year_cycle=year_cycle,
        **_parking_context(
            request, ws, extra.pop("parking_form", None), extra.pop("parking_bound", None)
        ),
        **extra,
    )
    if ws.role.can_edit:
        context["new_objective_form"] = context.get("new_objective_form") or _objective_form(
            request, ws, "objective-new"
        )
    return render(request, TEMPLATE, context, status=status)


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
    return _page(request, team, choice)


def _focused(kr: KeyResult) -> KeyResult:
    kr.focus = "heading"
    return kr


def _fragment(request, team: Team, name: str, code):
    if name == "key_result":
        kr = _team_key_result(request, code)
        objective = kr.objective
    else:
        objective = _team_objective(request, code)
    if objective.team_id != team.pk:
        raise Http404
    ws = _load(request, team, objective.cycle)
    shown = ws.objective(objective.pk)
    shown.focus = "heading"
    if name == "objective":
        return render(request, f"{TEMPLATE}#objective-card", _context(request, ws, objective=shown))
    if name == "key_result":
        return render(
            request,
            f"{TEMPLATE}#key-result-item",
            _context(request, ws, objective=shown, kr=_focused(ws.key_result(shown, kr.pk))),
        )
    return render(request, f"{TEMPLATE}#key-result-new", _context(request, ws, objective=shown))


def _full_choice(request, cycle: Cycle) -> queries.QuarterChoice:
    return queries.choose_quarter(request.organisation, str(cycle.uuid))


# --- Objectives -------------------------------------------------------------------------------


@org_view
def objective_new(request, code):
    """Add a draft objective to the team's quarter (the year is created with the first one)."""
    team = get_team_for_user(request, code)
    role = _role(request, team, "edit")
    if request.method != "POST":
        return redirect(_page_url(request.organisation, team))
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    cycle = choice.selected.cycle
    ws = _load(request, team, cycle, role)
    form = _objective_form(request, ws, "objective-new", data=request.POST)
    if form.is_valid():
        cycle = cycle or _quarter_for_write(request)  # the year is created by its first objective
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
                    _page_url(request.organisation, team, cycle, f"objective-{objective.uuid}")
                )
            ws = _load(request, team, cycle, role)
            shown = ws.objective(objective.pk)
            return render(
                request,
                f"{TEMPLATE}#objective-created",
                _context(
                    request,
                    ws,
                    objective=shown,
                    created=shown,
                    new_objective_form=_objective_form(request, ws, "objective-new"),
                ),
            )
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#objective-new",
            _context(request, ws, new_objective_form=form, quarter_token=choice.selected.token),
        )
    return _page(request, team, choice, role, new_objective_form=form)


def _read_only_notice(objective: Objective) -> str:
    return _(
        "This objective is proposed to leadership and read-only until leadership approves it "
        "or asks for changes."
    )


@org_view
def objective_edit(request, code):
    """GET: the form in place of the card. POST: save (version-checked) and show the card again."""
    objective = _team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    ws = _load(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"objective-{objective.uuid}"
    stale = locked = None
    if request.method == "POST":
        form = _objective_form(request, ws, base_id, data=request.POST)
        if not shown.editable:
            locked = _read_only_notice(objective)
            form.is_valid()
        elif form.is_valid():
            try:
                workshop_update = services.objective_update(
                    objective=objective,
                    version=form.cleaned_data["version"] or 0,
                    **form.service_fields(),
                )
            except services.StaleEdit as exc:
                stale = exc.current
                form = _objective_form(
                    request, ws, base_id, data=with_version(request.POST, stale.version)
                )
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Objective saved."))
                    return redirect(
                        _page_url(request.organisation, team, cycle, f"objective-{objective.uuid}")
                    )
                ws = _load(request, team, cycle, role)
                shown = ws.objective(workshop_update.pk)
                shown.focus = "heading"
                return render(
                    request, f"{TEMPLATE}#objective-saved", _context(request, ws, objective=shown)
                )
    else:
        if not shown.editable:
            if request.htmx:
                return render(
                    request, f"{TEMPLATE}#objective-card", _context(request, ws, objective=shown)
                )
            messages.warning(request, _read_only_notice(objective))
            return redirect(_page_url(request.organisation, team, cycle, base_id))
        form = _objective_form(
            request, ws, base_id, initial=WorkshopObjectiveForm.initial_for(objective)
        )
    extra = {"objective": shown, "objective_form": form, "stale": stale, "locked": locked}
    if request.htmx:
        return render(request, f"{TEMPLATE}#objective-form", _context(request, ws, **extra))
    return _page(
        request,
        team,
        _full_choice(request, cycle),
        role,
        editing_objective=objective.uuid,
        objective_form=form,
        stale=stale,
        locked=locked,
    )


@org_view
def objective_move(request, code):
    """Move a card up or down (buttons), or to a position (drag and drop)."""
    objective = _team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
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
    offset = _position_offset(request, siblings.index(objective.pk))
    if offset is None:
        return HttpResponseBadRequest(_("Choose up or down."))
    services.objective_move(objective=objective, offset=offset)
    if not request.htmx:
        return redirect(_page_url(request.organisation, team, cycle, f"objective-{objective.uuid}"))
    ws = _load(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    shown.focus = _focus_after_move(shown, request.POST.get("direction", ""))
    return render(request, f"{TEMPLATE}#objective-list", _context(request, ws, moved=shown))


@org_view
def objective_archive(request, code):
    """Take a draft off the workshop (drafts and sets sent back only; approved ones are leadership's)."""
    objective = _team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.SUBMITTABLE:
        raise PermissionDenied
    services.objective_archive(objective=objective)
    if not request.htmx:
        messages.success(request, _("Objective archived: %(title)s") % {"title": objective.title})
        return redirect(_page_url(request.organisation, team, cycle, "objective-list"))
    ws = _load(request, team, cycle, role)
    return render(
        request, f"{TEMPLATE}#objectives-changed", _context(request, ws, archived=objective)
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
    objective = _team_objective(request, code)
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    ws = _load(request, team, cycle, role)
    shown = _editable_objective_or_403(ws, objective)
    base_id = f"kr-new-{objective.uuid}"
    if request.method == "POST":
        form = _key_result_form(request, base_id, data=request.POST)
        if form.is_valid():
            try:
                kr = services.key_result_create(objective=objective, **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Key result added."))
                    return redirect(
                        _page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}")
                    )
                ws = _load(request, team, cycle, role)
                shown = ws.objective(objective.pk)
                return render(
                    request,
                    f"{TEMPLATE}#key-result-created",
                    _context(
                        request,
                        ws,
                        objective=shown,
                        kr=ws.key_result(shown, kr.pk),
                        kr_form=_key_result_form(request, base_id),
                        created=kr,
                    ),
                )
    else:
        form = _key_result_form(request, base_id)
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#key-result-form",
            _context(request, ws, objective=shown, kr=None, kr_form=form),
        )
    return _page(
        request,
        team,
        _full_choice(request, cycle),
        role,
        adding_key_result=objective.uuid,
        kr_form=form,
    )


@org_view
def key_result_edit(request, code):
    """GET: the form in place of the key result. POST: save (version-checked)."""
    kr = _team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    ws = _load(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    base_id = f"kr-{kr.uuid}"
    stale = locked = None
    if request.method == "POST":
        form = _key_result_form(request, base_id, data=request.POST)
        if not shown.editable:
            locked = _read_only_notice(objective)
            form.is_valid()
        elif form.is_valid():
            try:
                services.key_result_update(
                    key_result=kr,
                    version=form.cleaned_data["version"] or 0,
                    **form.service_fields(),
                )
            except services.StaleEdit as exc:
                stale = exc.current
                form = _key_result_form(
                    request, base_id, data=with_version(request.POST, stale.version)
                )
                form.is_valid()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Key result saved."))
                    return redirect(
                        _page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}")
                    )
                ws = _load(request, team, cycle, role)
                shown = ws.objective(objective.pk)
                shown_kr = ws.key_result(shown, kr.pk)
                shown_kr.focus = "heading"
                return render(
                    request,
                    f"{TEMPLATE}#key-result-saved",
                    _context(request, ws, objective=shown, kr=shown_kr),
                )
    else:
        if not shown.editable:
            raise PermissionDenied
        form = _key_result_form(request, base_id, initial=KeyResultForm.initial_for(kr))
    extra = {"objective": shown, "kr": kr, "kr_form": form, "stale": stale, "locked": locked}
    if request.htmx:
        return render(request, f"{TEMPLATE}#key-result-form", _context(request, ws, **extra))
    return _page(
        request,
        team,
        _full_choice(request, cycle),
        role,
        editing_key_result=kr.uuid,
        kr_form=form,
        stale=stale,
        locked=locked,
    )


@org_view
def key_result_move(request, code):
    kr = _team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.EDITABLE:
        raise PermissionDenied
    siblings = list(
        objective.key_results.filter(archived=False)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    offset = _position_offset(request, siblings.index(kr.pk))
    if offset is None:
        return HttpResponseBadRequest(_("Choose up or down."))
    services.key_result_move(key_result=kr, offset=offset)
    if not request.htmx:
        return redirect(_page_url(request.organisation, team, cycle, f"key-result-{kr.uuid}"))
    ws = _load(request, team, cycle, role)
    shown = ws.objective(objective.pk)
    moved = ws.key_result(shown, kr.pk)
    moved.focus = _focus_after_move(moved, request.POST.get("direction", ""))
    return render(
        request, f"{TEMPLATE}#key-result-list", _context(request, ws, objective=shown, moved=moved)
    )


@org_view
def key_result_archive(request, code):
    kr = _team_key_result(request, code)
    objective = kr.objective
    team, cycle = objective.team, objective.cycle
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if objective.status not in workshop.EDITABLE:
        raise PermissionDenied
    services.key_result_archive(key_result=kr)
    if not request.htmx:
        messages.success(request, _("Key result archived: %(title)s") % {"title": kr.title})
        return redirect(_page_url(request.organisation, team, cycle, f"objective-{objective.uuid}"))
    ws = _load(request, team, cycle, role)
    return render(
        request,
        f"{TEMPLATE}#key-results-changed",
        _context(request, ws, objective=ws.objective(objective.pk), archived=kr),
    )


# --- Submit -----------------------------------------------------------------------------------


@org_view
def submit(request, code):
    """The lead (or leadership) proposes the team's drafts of the quarter to leadership."""
    team = get_team_for_user(request, code)
    _role(request, team, "submit")
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
    return redirect(_page_url(request.organisation, team, cycle))


# --- Parking lot ------------------------------------------------------------------------------


def _parking_response(request, ws: Workshop, cycle: Cycle, **extra):
    if not request.htmx:
        return None
    return render(
        request,
        f"{TEMPLATE}#parking-lot-changed",
        _context(request, ws, **_parking_context(request, ws, **extra)),
    )


@org_view
def parking_add(request, code):
    team = get_team_for_user(request, code)
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ParkingLotForm(request.POST, auto_id="park-new-%s")
    cycle = _quarter_for_write(request) if form.is_valid() else None
    if cycle is not None:
        try:
            workshop.parking_lot_add(
                organisation=request.organisation,
                team=team,
                cycle=cycle,
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(
                    request, _("Parked: %(text)s") % {"text": form.cleaned_data["text"]}
                )
                return redirect(_page_url(request.organisation, team, cycle, "parking-lot"))
            ws = _load(request, team, cycle, role)
            return _parking_response(
                request,
                ws,
                cycle,
                notice=_("Parked: %(text)s") % {"text": form.cleaned_data["text"]},
            )
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    if request.htmx:
        ws = _load(request, team, choice.selected.cycle, role)
        return render(
            request,
            f"{TEMPLATE}#parking-lot-changed",
            _context(
                request,
                ws,
                quarter_token=choice.selected.token,
                **_parking_context(request, ws, new_form=form),
            ),
        )
    return _page(request, team, choice, role, parking_form=form)


@org_view
def parking_convert(request, code):
    """Turn an open item into a key result (``into=key_result``) or an initiative (``into=initiative``)."""
    item = queries.get_parking_lot_item_for_user(request, code)
    team, cycle = item.team, item.cycle
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    into = request.POST.get("into")
    if into not in ("key_result", "initiative"):
        return HttpResponseBadRequest(_("Choose a key result or an initiative."))
    ws = _load(request, team, cycle, role)
    form_class = ToKeyResultForm if into == "key_result" else ToInitiativeForm
    form = form_class(
        request.POST,
        objectives=ws.editable_objectives,
        auto_id=f"park-{item.uuid}-{'kr' if into == 'key_result' else 'initiative'}-%s",
    )
    if form.is_valid():
        try:
            if into == "key_result":
                created = workshop.parking_lot_to_key_result(
                    item=item,
                    objective=form.cleaned_data["objective"],
                    title=form.cleaned_data["title"],
                )
                notice = _("Now a key result: %(title)s") % {"title": created.title}
            else:
                created = workshop.parking_lot_to_initiative(
                    item=item,
                    key_result=form.cleaned_data["key_result"],
                    title=form.cleaned_data["title"],
                )
                notice = _("Now an initiative: %(title)s") % {"title": created.title}
        except ValidationError as exc:
            if "item" in getattr(exc, "error_dict", {}):
                # Someone converted or discarded it meanwhile: say so, nothing else to fix.
                notice = " ".join(exc.message_dict["item"])
                if not request.htmx:
                    messages.warning(request, notice)
                    return redirect(_page_url(request.organisation, team, cycle, "parking-lot"))
                return _parking_response(request, ws, cycle, notice=notice)
            add_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, notice)
                anchor = f"key-result-{created.uuid}" if into == "key_result" else "parking-lot"
                return redirect(_page_url(request.organisation, team, cycle, anchor))
            ws = _load(request, team, cycle, role)
            target = (
                form.cleaned_data["objective"]
                if into == "key_result"
                else form.cleaned_data["key_result"].objective
            )
            return render(
                request,
                f"{TEMPLATE}#parking-lot-converted",
                _context(
                    request,
                    ws,
                    objective=ws.objective(target.pk),
                    **_parking_context(request, ws, notice=notice),
                ),
            )
    bound = (item.pk, form, into)
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#parking-lot-changed",
            _context(request, ws, **_parking_context(request, ws, bound=bound)),
        )
    return _page(request, team, _full_choice(request, cycle), role, parking_bound=bound)


@org_view
def parking_discard(request, code):
    item = queries.get_parking_lot_item_for_user(request, code)
    team, cycle = item.team, item.cycle
    role = _role(request, team, "edit")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notice = _("Discarded: %(text)s") % {"text": item.text}
    try:
        workshop.parking_lot_discard(item=item)
    except ValidationError as exc:
        notice = " ".join(exc.messages)
    if not request.htmx:
        messages.info(request, notice)
        return redirect(_page_url(request.organisation, team, cycle, "parking-lot"))
    ws = _load(request, team, cycle, role)
    return _parking_response(request, ws, cycle, notice=notice)


# --- The approval queue -----------------------------------------------------------------------


def _approvals_page(request, **extra):
    queue = queries.approval_queue(request.organisation)
    forms_by_objective = extra.pop("forms", {})
    for quarter in queue:
        for team_set in quarter.teams:
            for objective in team_set.proposed:
                objective.changes_form = forms_by_objective.get(
                    objective.pk, RequestChangesForm(auto_id=f"changes-{objective.uuid}-%s")
                )
    return render(request, APPROVALS_TEMPLATE, {"queue": queue, **extra})


@org_view(role="leadership")
def approvals(request):
    """Every proposed team OKR set beside the strategic OKR each supports; flags orphans and gaps."""
    return _approvals_page(request)


def _queue_item(request, objective: Objective, form=None, **extra):
    """The objective's entry in the queue after a decision, or with the comment form's errors (HTMX)."""
    fresh = (
        selectors.objectives_with_key_results(request.organisation, pk=objective.pk)
        .select_related("parent_key_result__objective")
        .prefetch_related(queries.events_prefetch())
        .first()
    )
    fresh.event_list = list(fresh.events.all())
    fresh.is_orphan = fresh.parent is None
    fresh.changes_form = form or RequestChangesForm(auto_id=f"changes-{objective.uuid}-%s")
    return render(
        request,
        f"{APPROVALS_TEMPLATE}#queue-objective",
        {"objective": fresh, "open_changes": fresh.pk if form is not None else None, **extra},
    )


@org_view(role="leadership")
def approve(request, code):
    objective = _team_objective(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        workshop.objective_approve(objective=objective, author=request.user)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if request.htmx:
            return _queue_item(request, objective, notice=message, notice_error=True)
        messages.error(request, message)
    else:
        notice = _("Approved: %(title)s") % {"title": objective.title}
        if request.htmx:
            return _queue_item(request, objective, notice=notice)
        messages.success(request, notice)
    return redirect(reverse("okr:approvals", args=[request.organisation.slug]))


@org_view(role="leadership")
def request_changes(request, code):
    """Send a proposed objective back to the team with a comment (shown on its workshop card)."""
    objective = _team_objective(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RequestChangesForm(request.POST, auto_id=f"changes-{objective.uuid}-%s")
    if form.is_valid():
        try:
            workshop.objective_request_changes(
                objective=objective, author=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = _("Changes requested: %(title)s") % {"title": objective.title}
            if request.htmx:
                return _queue_item(request, objective, notice=notice)
            messages.success(request, notice)
            return redirect(reverse("okr:approvals", args=[request.organisation.slug]))
    if request.htmx:
        return _queue_item(request, objective, form=form)
    return _approvals_page(request, forms={objective.pk: form}, open_changes=objective.pk)


@org_view(role="leadership")
def approve_team(request, code):
    """Approve every proposed objective of a team's quarter at once."""
    team = get_team_for_user(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    choice = queries.choose_quarter(request.organisation, request.POST.get("quarter"))
    cycle = choice.selected.cycle
    approved = (
        workshop.objective_approve_team(
            organisation=request.organisation, team=team, cycle=cycle, author=request.user
        )
        if cycle is not None
        else []
    )
    messages.success(
        request,
        ngettext(
            "Approved %(count)d objective of %(team)s.",
            "Approved %(count)d objectives of %(team)s.",
            len(approved),
        )
        % {"count": len(approved), "team": team.name},
    )
    return redirect(reverse("okr:approvals", args=[request.organisation.slug]))


# --- The kick-off presentation ----------------------------------------------------------------


def _int(raw, default: int, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


@org_view
def presentation(request):
    """Vision, mission and the year's strategic OKRs, one objective per screen, for the kick-off.

    ``?slide=0`` is vision and mission, ``1..n`` the objectives, ``n+1`` the
    way to the team workshops; ``?all=1`` shows every slide for printing.
    """
    organisation = request.organisation
    today = timezone.localdate(timezone=organisation.tz)
    current = services.fiscal_year_of(organisation, today)
    year = _int(request.GET.get("year"), current, queries.MIN_YEAR, queries.MAX_YEAR)
    year_cycle = queries.year_cycle_of(organisation, year)
    strategic = queries.strategic_of_year(organisation, year_cycle)
    last = len(strategic) + 1
    show_all = request.GET.get("all") == "1"
    slide = _int(request.GET.get("slide"), 0, 0, last)
    base = reverse("okr:presentation", args=[organisation.slug])
    return render(
        request,
        PRESENTATION_TEMPLATE,
        {
            "year": year,
            "year_label": year_cycle.label if year_cycle else str(year),
            "strategic": strategic,
            "slide": slide,
            "last": last,
            "show_all": show_all,
            "objective": strategic[slide - 1] if 1 <= slide <= len(strategic) else None,
            "previous_url": f"{base}?year={year}&slide={slide - 1}" if slide > 0 else "",
            "next_url": f"{base}?year={year}&slide={slide + 1}" if slide < last else "",
            "print_url": f"{base}?year={year}&all=1",
            "first_url": f"{base}?year={year}&slide=0",
        },
    )
