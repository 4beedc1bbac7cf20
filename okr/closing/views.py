"""The quarter (and year) close page: scores, overrides with a reason, retrospectives, carry-over.

Leadership only. Before the close the page previews the scores computed now;
once closed it shows the frozen scores with their override forms. Every form
works without JavaScript (POST, then redirect; a form with errors renders the
page again with the input kept).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import org_view
from accounts.models import Team
from accounts.policy import Action
from okr.closing import selectors as sel
from okr.closing import services as svc
from okr.closing.forms import RetrospectiveForm, ScoreOverrideForm
from okr.lib import calendar
from okr.models import Cycle
from okr.objectives.access import get_cycle_for_user, get_objective_for_user, get_score_for_user
from okr.objectives.form_wiring import add_service_errors

CLOSE_TEMPLATE = "closing/quarter_close.html"


def _group_by_team(objective_scores) -> list[dict]:
    groups: dict = {}
    for item in objective_scores:
        team = item.objective.team
        key = team.pk if team else None
        groups.setdefault(key, {"team": team, "objectives": []})["objectives"].append(item)
    return list(groups.values())


def _close_context(request, cycle: Cycle | None, *, forms_by_score=None, retro_form=None) -> dict:
    organisation = request.organisation
    today = calendar.today(organisation)
    cycles = sel.closable_cycles(organisation, today)
    context = {"cycles": cycles, "cycle": cycle, "today": today}
    if cycle is None:
        return context
    frozen = cycle.state == Cycle.State.CLOSED
    objective_scores = sel.frozen_scores(cycle) if frozen else sel.compute_scores(cycle)
    forms_by_score = forms_by_score or {}
    carried = sel.carried(cycle) if frozen else {}
    can_carry = frozen and cycle.kind == Cycle.Kind.QUARTER
    context["carry_targets"] = sel.carry_targets(cycle, today) if can_carry else []
    for item in objective_scores:
        item.carried_to = carried.get(item.objective.pk)
        for score_item in [item, *item.key_results]:
            if frozen and score_item.score is not None:
                key = str(score_item.score.uuid)
                score_item.override_form = forms_by_score.get(key) or ScoreOverrideForm(
                    key=key,
                    initial={
                        "value": score_item.score.override,
                        "reason": score_item.score.override_reason,
                    },
                )
    notes = list(cycle.retrospective.select_related("team", "author").order_by("created_at", "id"))
    teams = list(Team.objects.filter(organisation=organisation).order_by("order", "name"))
    groups = _group_by_team(objective_scores)
    for group in groups:
        group["notes"] = [
            n for n in notes if n.team_id == (group["team"].pk if group["team"] else None)
        ]
    shown = {g["team"].pk if g["team"] else None for g in groups}
    context |= {
        "frozen": frozen,
        "groups": groups,
        "other_notes": [n for n in notes if n.team_id not in shown],
        "retro_form": retro_form or RetrospectiveForm(teams=teams),
        "has_ended": cycle.end_date < today,
    }
    return context


@org_view(action=Action.QUARTER_CLOSE)
@require_safe
def quarter_close(request):
    """Scores of an ended quarter (or year): frozen once closed, a preview before."""
    organisation = request.organisation
    cycle = None
    if request.GET.get("cycle"):
        cycle = get_cycle_for_user(request, request.GET["cycle"])
    else:
        cycle = sel.default_close_cycle(organisation, calendar.today(organisation))
    return render(request, CLOSE_TEMPLATE, _close_context(request, cycle))


def _close_url(organisation, cycle: Cycle, anchor: str = "") -> str:
    url = f"{reverse('okr:quarter_close', args=[organisation.slug])}?cycle={cycle.uuid}"
    return f"{url}#{anchor}" if anchor else url


@org_view(action=Action.QUARTER_CLOSE)
@require_POST
def quarter_close_run(request, code):
    cycle = get_cycle_for_user(request, code)
    try:
        result = svc.cycle_close(cycle=cycle, author=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.closed:
            messages.success(
                request,
                _("%(cycle)s is closed: %(count)d scores are frozen.")
                % {"cycle": cycle.label, "count": result.scores},
            )
        else:
            messages.info(request, _("%(cycle)s was already closed.") % {"cycle": cycle.label})
    return redirect(_close_url(request.organisation, cycle))


@org_view(action=Action.SCORE_OVERRIDE)
@require_POST
def score_override(request, code):
    score = get_score_for_user(request, code)
    key = str(score.uuid)
    form = ScoreOverrideForm(request.POST, key=key)
    if form.is_valid():
        try:
            svc.score_override(
                score=score,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Score saved; the computed score is kept beside it."))
            return redirect(_close_url(request.organisation, score.cycle, f"score-{key}"))
    context = _close_context(request, score.cycle, forms_by_score={key: form})
    return render(request, CLOSE_TEMPLATE, context)


@org_view(action=Action.RETROSPECTIVE_ADD)
@require_POST
def retrospective_new(request, code):
    cycle = get_cycle_for_user(request, code)
    teams = list(Team.objects.filter(organisation=request.organisation))
    form = RetrospectiveForm(request.POST, teams=teams)
    if form.is_valid():
        try:
            svc.retrospective_add(
                cycle=cycle,
                team=form.cleaned_data["team"],
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Retrospective note saved."))
            return redirect(_close_url(request.organisation, cycle, "retrospective"))
    return render(request, CLOSE_TEMPLATE, _close_context(request, cycle, retro_form=form))


@org_view(action=Action.CARRY_OVER)
@require_POST
def objective_carry(request, code):
    objective = get_objective_for_user(request, code)
    # The quarter chosen on the page ("YEAR-Qn"); none posted: the default one.
    raw = request.POST.get("into")
    into = sel.parse_carry_token(raw) if raw is not None else None
    try:
        if raw is not None and into is None:
            raise ValidationError(
                _("Choose an open or coming quarter to carry the objective into.")
            )
        draft = svc.objective_carry(objective=objective, user=request.user, into=into)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” is carried to %(cycle)s as a draft.")
            % {"title": draft.title, "cycle": draft.cycle.label},
        )
    return redirect(
        _close_url(request.organisation, objective.cycle, f"objective-{objective.uuid}")
    )
