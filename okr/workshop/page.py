"""The team workshop's data and page, shared by its views (``views``, ``parking``, ``approvals``).

``load_workshop`` reads one team's quarter in a fixed number of queries
(``okr.workshop.rows``), marks what the person may do and sets what each card
shows (``okr.workshop.cards``); ``ws_context`` and ``whole_page`` render it, the
whole page its cards from stamps (``cards.stamp``) and its body once per revision of
the organisation for everyone with the same standing (``_kept_body``).
One template (``workshop/workshop.html``) serves the page and every fragment.
Reading never writes: a quarter whose year has no cycle yet shows an empty
workshop, and the first POST creates the year (``quarter_for_write``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from accounts import policy, revision
from accounts.models import Team
from accounts.policy import Action
from okr import coach as coaching
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, ParkingLotItem
from okr.objectives import services
from okr.objectives.access import get_key_result_for_user, get_objective_for_user
from okr.objectives.board import mark_positions
from okr.objectives.form_wiring import wire_coach
from okr.objectives.forms import KeyResultForm
from okr.workshop import cards, rows
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import (
    ParkingLotForm,
    ToInitiativeForm,
    ToKeyResultForm,
    WorkshopObjectiveForm,
)

TEMPLATE = "workshop/workshop.html"


# --- Small helpers -------------------------------------------------------------------------


def page_url(organisation, team: Team, cycle: Cycle | None = None, anchor: str = "") -> str:
    url = reverse("okr:team_workshop", args=[organisation.slug, team.uuid])
    if cycle is not None:
        url = f"{url}?quarter={cycle.uuid}"
    return f"{url}#{anchor}" if anchor else url


def quarter_for_write(request) -> Cycle:
    """The quarter a POST writes to; its year (and quarters) are created on the first write."""
    choice = queries.choose_quarter(
        request.organisation, request.POST.get("quarter") or request.GET.get("quarter")
    )
    selected = choice.selected
    if selected.cycle is not None:
        return selected.cycle
    year = services.cycle_year_get_or_create(organisation=request.organisation, year=selected.year)
    return year.quarters.select_related("parent").get(quarter=selected.quarter)


def team_objective(request, code) -> Objective:
    objective = get_objective_for_user(request, code)
    if objective.level != Objective.Level.TEAM or objective.status == Objective.Status.ARCHIVED:
        raise Http404
    return objective


def team_key_result(request, code) -> KeyResult:
    kr = get_key_result_for_user(request, code)
    objective = kr.objective
    if (
        kr.archived
        or objective.level != Objective.Level.TEAM
        or objective.status == Objective.Status.ARCHIVED
    ):
        raise Http404
    return kr


@dataclass(frozen=True)
class Rights:
    """What the person may do in one team's workshop as a whole: the policy's answers.

    What they may do to each objective and key result is marked on it (``mark_rights``).
    """

    can_edit: bool = False  # draft here: add objectives, park ideas, see the coach
    can_submit: bool = False  # propose the drafts to leadership


def role_for(request, team: Team) -> Rights:
    membership = request.membership
    return Rights(
        can_edit=policy.can(membership, Action.WORKSHOP_PARK, team),
        can_submit=policy.can(membership, Action.OBJECTIVES_SUBMIT, team),
    )


def mark_rights(membership, objectives: list[Objective]) -> None:
    """The policy's answer for every control on the cards (no queries: the teams are cached)."""
    for objective in objectives:
        objective.editable = policy.can(membership, Action.OBJECTIVE_EDIT, objective)
        objective.can_archive = policy.can(membership, Action.OBJECTIVE_ARCHIVE, objective)
        objective.can_reorder = policy.can(membership, Action.OBJECTIVE_REORDER, objective)
        objective.can_add_key_result = policy.can(membership, Action.KEY_RESULT_CREATE, objective)
        for kr in objective.krs:
            kr.can_edit = policy.can(membership, Action.KEY_RESULT_EDIT, kr)


# --- The workshop's data ----------------------------------------------------------------------


@dataclass
class Workshop:
    """Everything one team's quarter shows (a fixed number of queries)."""

    team: Team
    cycle: Cycle | None
    role: Rights
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
        """The key result as loaded for the page (under its objective), or 404."""
        for kr in objective.krs:
            if kr.pk == pk:
                return kr
        raise Http404

    @property
    def editable_objectives(self) -> list[Objective]:
        """Where the parking lot may add key results and initiatives."""
        return [o for o in self.objectives if o.can_add_key_result]


def _decorate(objectives, role, language, labels) -> None:
    """Positions, parents' texts and the coach's saved hints (no queries)."""
    mark_positions(objectives, language, role.can_edit, key_results=lambda o: o.krs)
    for objective in objectives:
        parent = None
        if objective.parent_key_result_id:
            parent = labels.get(("key_result", objective.parent_key_result_id))
            parent = parent or (objective.parent_key_result.title, None)
        elif objective.parent_objective_id:
            parent = labels.get(("objective", objective.parent_objective_id))
            parent = parent or (objective.parent_objective.title, None)
        objective.parent_text, objective.parent_of = parent or (None, None)


def _set_hints(objectives, language) -> list:
    return coaching.lint_objective_set(
        [
            coaching.ObjectiveInput(
                title=o.title,
                key_result_titles=[kr.title for kr in o.krs],
                has_parent=bool(o.parent_objective_id or o.parent_key_result_id),
            )
            for o in objectives
        ],
        language,
        level="team",
    )


def load_workshop(request, team: Team, cycle: Cycle | None, role=None) -> Workshop:
    organisation = request.organisation
    role = role or role_for(request, team)
    language = request.LANGUAGE_CODE
    objectives, strategic = rows.workshop_and_strategic(organisation, team, cycle)
    _decorate(objectives, role, language, rows.parent_labels(strategic))
    mark_rights(request.membership, objectives)
    cards.decorate(objectives, strategic, organisation)
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


def objective_form(request, ws: Workshop, base_id: str, data=None, initial=None):
    form = WorkshopObjectiveForm(
        data,
        initial=initial,
        organisation=request.organisation,
        strategic=ws.strategic,
        auto_id=f"{base_id}-%s",
    )
    form.base_id = base_id
    return wire_coach(request, form, "objective")


def key_result_form(request, base_id: str, data=None, initial=None):
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


def parking_context(request, ws: Workshop, new_form=None, bound=None, notice="") -> dict:
    items = queries.parking_lot(ws.team, ws.cycle)
    if ws.role.can_edit:
        _parking_forms(request, ws, items, bound)
    empty = new_form is None and ws.role.can_edit
    return {
        "open_items": [i for i in items if i.state == ParkingLotItem.State.OPEN],
        "closed_items": [i for i in items if i.state != ParkingLotItem.State.OPEN],
        "parking_form": new_form or (ParkingLotForm(auto_id="park-new-%s") if empty else None),
        "parking_field": _empty_parking_field(get_language()) if empty else "",
        "parking_notice": notice,
    }


@lru_cache(maxsize=16)
def _empty_parking_field(language: str | None) -> str:
    """The empty "Park it" field: the same for everyone in a language (no data, no token)."""
    return ParkingLotForm(auto_id="park-new-%s")["text"].as_field_group()


def ws_context(request, ws: Workshop, **extra) -> dict:
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


def whole_page(request, team: Team, choice: queries.QuarterChoice, role=None, status=200, **extra):
    """The whole workshop page; ``extra`` opens forms in place (no-JS editing)."""
    if extra or status != 200:
        body = _body(request, team, choice, role, get_token(request), **extra)
    else:
        body = _kept_body(request, team, choice, role)
    context = {"team": team, "quarter": choice.selected, "workshop_body": body}
    return render(request, TEMPLATE, context, status=status)


def _kept_body(request, team: Team, choice: queries.QuarterChoice, role) -> str:
    """The page's body as everyone with the viewer's standing sees it, rendered once per
    revision of the organisation (a write to anything it shows moves it), address, day
    and language; each response puts in its own CSRF token (``revision.cached_html``).

    What the body shows of the person is the policy's answers only, and those follow
    their standing (role, teams, teams led: the drafting and submitting controls, the
    dependencies') and whether they own one of the team's objectives or key results: an
    owner may do more than others with the same standing, so an owner's copy is their own.
    """
    organisation, membership = request.organisation, request.membership
    owner = membership.user_id in rows.owners(organisation, team, choice.selected.cycle)
    return revision.cached_html(
        request,
        organisation.pk,
        "workshop-page",
        [
            team.pk,
            request.get_full_path(),  # the quarter asked for; where the dependency forms go back
            policy.standing(membership),
            membership.user_id if owner else None,
            calendar.today(organisation),  # the quarter it opens on
            request.LANGUAGE_CODE,
            get_current_timezone_name(),  # the times of the status history
        ],
        lambda csrf_token: _body(request, team, choice, role, csrf_token),
    )


def _body(request, team: Team, choice: queries.QuarterChoice, role, csrf_token: str, **extra):
    """The page's body (``workshop-body``) rendered with ``csrf_token`` as the token."""
    cycle = choice.selected.cycle
    ws = load_workshop(request, team, cycle, role)
    year_cycle = cycle.parent if cycle is not None else None
    context = ws_context(
        request,
        ws,
        quarter=choice.selected,
        quarter_token=choice.selected.token,
        quarter_options=[
            (option.token, option.label, option.key == choice.selected.key)
            for option in choice.options
        ],
        strategic=ws.strategic,
        year_cycle=year_cycle,
        **parking_context(
            request, ws, extra.pop("parking_form", None), extra.pop("parking_bound", None)
        ),
        **extra,
    )
    if ws.role.can_edit and context.get("new_objective_form") is None:
        context["new_objective_fields"] = _new_objective_fields(request, ws)
    # The cards from their stamps, with the token the page's other forms get.
    context["csrf_token"] = csrf_token
    cards.stamp(ws.objectives, csrf_token, context)
    return render_to_string(f"{TEMPLATE}#workshop-body", context, request=request)


def _new_objective_fields(request, ws: Workshop):
    """The fields of the empty "Add objective" form, rendered once per revision of the
    organisation: they are the same for everyone who may draft (the year's strategic
    OKRs to support, the members to own it, no CSRF token: that is in the form around them)."""
    cycle = ws.cycle.pk if ws.cycle is not None else None
    return revision.cached(
        request.organisation.pk,
        "workshop-new-objective-fields",
        [cycle, request.LANGUAGE_CODE],
        lambda: render_to_string(
            "objectives/includes/objective_fields.html",
            {"form": objective_form(request, ws, "objective-new")},
        ),
    )


def full_choice(request, cycle: Cycle) -> queries.QuarterChoice:
    return queries.choose_quarter(request.organisation, str(cycle.uuid))
