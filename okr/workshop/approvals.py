"""Leadership's approval queue: every proposed team OKR set beside the strategic OKR it supports.

Leadership approves an objective, a whole team's quarter at once, or asks for
changes with a comment (shown on the team's workshop card); ``accounts.policy``
decides who may, and the services enforce it. HTMX requests get
the objective's queue entry back; plain requests a redirect to the queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import policy, revision
from accounts.access import get_team_for_user, org_view
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Objective
from okr.objectives import approval, selectors
from okr.objectives.form_wiring import add_service_errors
from okr.workshop import selectors as queries
from okr.workshop import services as workshop
from okr.workshop.forms import RequestChangesForm
from okr.workshop.page import team_objective

APPROVALS_TEMPLATE = "workshop/approvals.html"


# --- The approval queue -----------------------------------------------------------------------


def _queue_context(request, containing: Objective | None = None, forms=None) -> dict:
    page = queries.approval_queue_page(
        request.organisation, request.GET.get("page"), containing=containing
    )
    forms = forms or {}
    for quarter in page.quarters:
        for team_set in quarter.teams:
            for objective in team_set.proposed:
                objective.changes_form = forms.get(
                    objective.pk, RequestChangesForm(auto_id=f"changes-{objective.uuid}-%s")
                )
    return {"queue": page.quarters, "queue_page": page}


def _approvals_page(request, containing: Objective | None = None, **extra):
    """A page of the queue (``?page=``, or the one that shows ``containing``).

    The queue as it stands is the same for everyone with the same standing
    (the dependency controls in it follow the viewer's teams and role): it is
    rendered once per revision of the organisation, address, language and day,
    and every response puts in its own CSRF token. A page with a refused
    comment in it (``containing``) is this person's own and is rendered.
    """
    if containing is not None or extra:
        context = _queue_context(request, containing, extra.pop("forms", None))
        return render(request, APPROVALS_TEMPLATE, {**context, **extra})
    organisation = request.organisation

    def render_queue(csrf_token: str) -> str:
        context = {**_queue_context(request), "csrf_token": csrf_token}
        return render_to_string(f"{APPROVALS_TEMPLATE}#queue-body", context, request=request)

    queue_html = revision.cached_html(
        request,
        organisation.pk,
        "approval-queue",
        [
            request.get_full_path(),  # the page, and the way back its forms send people to
            policy.standing(request.membership),
            calendar.today(organisation),
            request.LANGUAGE_CODE,
        ],
        render_queue,
    )
    return render(request, APPROVALS_TEMPLATE, {"queue_html": queue_html})


@org_view(action=Action.OBJECTIVES_APPROVE_TEAM)
def approvals(request):
    """Every proposed team OKR set beside the strategic OKR each supports; flags orphans and gaps."""
    return _approvals_page(request)


def _queue_item(request, objective: Objective, form=None, status=200, **extra):
    """The objective's entry in the queue after a decision, or with the comment form's errors (HTMX)."""
    fresh = (
        selectors.objectives_with_key_results(request.organisation, pk=objective.pk)
        .select_related("parent_key_result__objective")
        .prefetch_related(queries.events_prefetch())
        .first()
    )
    approval.attach_events(fresh, list(fresh.events.all()))
    fresh.is_orphan = fresh.parent is None
    fresh.changes_form = form or RequestChangesForm(auto_id=f"changes-{objective.uuid}-%s")
    return render(
        request,
        f"{APPROVALS_TEMPLATE}#queue-objective",
        {"objective": fresh, "open_changes": fresh.pk if form is not None else None, **extra},
        status=status,
    )


@org_view
def approve(request, code):
    objective = team_objective(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        workshop.objective_approve(objective=objective, author=request.user)
    except policy.StateConflict as exc:  # decided by someone else meanwhile: say so in place
        if not request.htmx:
            raise
        return _queue_item(
            request, objective, status=exc.status_code, notice=exc.message, notice_error=True
        )
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


@org_view
def request_changes(request, code):
    """Send a proposed objective back to the team with a comment (shown on its workshop card)."""
    objective = team_objective(request, code)
    policy.require(request.membership, Action.OBJECTIVE_REQUEST_CHANGES, objective)
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
    return _approvals_page(
        request, containing=objective, forms={objective.pk: form}, open_changes=objective.pk
    )


@org_view(action=Action.OBJECTIVES_APPROVE_TEAM)
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
