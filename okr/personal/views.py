"""The My OKRs page: a person's own objectives and key results under their team's (the pilot).

One page, plain forms (the coach's live hints on the titles through HTMX), a
redirect after each successful POST. Editing an objective or a key result and
checking in reuse the OKR pages (``okr:objective_edit``, ``okr:key_result_edit``,
the key result's page and "my check-ins"). The pilot off: 404.
"""

from __future__ import annotations

from functools import partial

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.access import org_view
from accounts.policy import Action
from okr.models import Objective
from okr.objectives.access import get_key_result_for_user, get_objective_for_user
from okr.objectives.board import create_from
from okr.objectives.form_wiring import wire_coach
from okr.personal import selectors, services
from okr.personal.forms import PersonalKeyResultForm, PersonalObjectiveForm

TEMPLATE = "personal/my_okrs.html"


def _pilot(request) -> None:
    if not selectors.pilot_on(request.organisation):
        raise Http404


def _page_url(request, anchor: str = "") -> str:
    url = reverse("okr:my_okrs", args=[request.organisation.slug])
    return f"{url}#{anchor}" if anchor else url


def _objective_form(request, parents, data=None, quarter=None) -> PersonalObjectiveForm:
    """The new objective's form; a posted parent is any team OKR of ``quarter`` (the policy
    refuses one outside the person's teams, with 403, as the API does)."""
    form = PersonalObjectiveForm(
        data,
        organisation=request.organisation,
        parents=parents,
        lookup=partial(selectors.parent_by_token, request.organisation, quarter),
        auto_id="personal-new-%s",
    )
    form.base_id = "personal-new"
    return wire_coach(request, form, "objective")


def _key_result_form(request, objective: Objective, data=None) -> PersonalKeyResultForm:
    base_id = f"personal-kr-{objective.uuid}"
    form = PersonalKeyResultForm(data, organisation=request.organisation, auto_id=f"{base_id}-%s")
    form.base_id = base_id
    return wire_coach(request, form, "key_result")


def _render(request, *, objective_form=None, kr_forms=None, status=200):
    organisation = request.organisation
    quarter = selectors.current_quarter(organisation)
    parents = selectors.parents_for(organisation, request.user, quarter)
    objectives = selectors.personal_objectives(organisation, request.user, quarter)
    kr_forms = kr_forms or {}
    for objective in objectives:
        objective.kr_form = kr_forms.get(objective.pk) or _key_result_form(request, objective)
        objective.kr_form_open = objective.pk in kr_forms
        objective.can_edit = policy.can(request.membership, Action.OBJECTIVE_EDIT, objective)
    can_create = any(
        policy.can(request.membership, Action.PERSONAL_OKR_CREATE, o.team)
        for o in parents.objectives
    )
    return render(
        request,
        TEMPLATE,
        {
            "quarter": quarter,
            "objectives": objectives,
            "parents": parents,
            "can_create": can_create,
            "objective_form": objective_form or _objective_form(request, parents),
        },
        status=status,
    )


@org_view
def my_okrs(request):
    """My personal objectives of this quarter, each with its key results, and a form for a new one."""
    _pilot(request)
    return _render(request)


@org_view
@require_POST
def objective_new(request):
    _pilot(request)
    organisation = request.organisation
    quarter = selectors.current_quarter(organisation)
    parents = selectors.parents_for(organisation, request.user, quarter)
    form = _objective_form(request, parents, data=request.POST, quarter=quarter)
    created = create_from(
        request,
        form,
        lambda form: services.personal_objective_create(
            organisation=organisation,
            author=request.user,
            title=form.cleaned_data["title"],
            why=form.cleaned_data["why"],
            parent_objective=form.cleaned_data["parent"][0],
            parent_key_result=form.cleaned_data["parent"][1],
        ),
        _("Personal objective added."),
    )
    if created is not None:
        return redirect(_page_url(request, f"objective-{created.uuid}"))
    return _render(request, objective_form=form)


def _personal(request, code) -> Objective:
    objective = get_objective_for_user(request, code)
    if objective.level != Objective.Level.PERSONAL or objective.status == Objective.Status.ARCHIVED:
        raise Http404
    return objective


@org_view
@require_POST
def key_result_new(request, code):
    _pilot(request)
    objective = _personal(request, code)
    policy.require(request.membership, Action.KEY_RESULT_CREATE, objective)
    form = _key_result_form(request, objective, data=request.POST)
    created = create_from(
        request,
        form,
        lambda form: services.personal_key_result_create(
            objective=objective, author=request.user, **form.service_fields()
        ),
        _("Key result added."),
    )
    if created is not None:
        return redirect(_page_url(request, f"objective-{objective.uuid}"))
    return _render(request, kr_forms={objective.pk: form})


@org_view
@require_POST
def objective_archive(request, code):
    _pilot(request)
    objective = _personal(request, code)
    services.personal_objective_archive(objective=objective, author=request.user)
    return redirect(_page_url(request))


@org_view
@require_POST
def key_result_archive(request, code):
    _pilot(request)
    kr = get_key_result_for_user(request, code)
    if kr.archived or kr.objective.level != Objective.Level.PERSONAL:
        raise Http404
    services.personal_key_result_archive(key_result=kr, author=request.user)
    return redirect(_page_url(request, f"objective-{kr.objective.uuid}"))
