"""OKR pages for everyone: the organisation's home and "my check-ins"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import policy, revision
from accounts.access import org_view
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Objective
from okr.objectives import selectors, services
from okr.objectives.first_steps import first_steps
from okr.objectives.form_wiring import add_service_errors
from okr.objectives.forms import CheckInForm
from okr.reminders import selectors as selectors_reminders
from okr.reviews import decisions
from okr.reviews import selectors as selectors_review


@org_view
def home(request):
    """Vision, mission, this year's strategic OKRs, this quarter's team OKRs, my key results, next review."""
    organisation = request.organisation
    today = calendar.today(organisation)
    year, quarter = selectors.cycles_containing(organisation, today)
    statuses = [Objective.Status.APPROVED, Objective.Status.PROPOSED]
    # My teams' objectives in full; every team as one summary row (the tree has the rest).
    okrs = selectors.home_okrs(organisation, request.user, year, quarter, statuses)
    teams = {}
    for objective in okrs.my_team_objectives:
        teams.setdefault(objective.team, []).append(objective)
    # The same for everyone: rendered once per revision of the organisation (any write
    # makes a new one), not for each of the thousands who open the page on a Monday.
    team_summary_html = revision.cached(
        organisation.pk,
        "home-team-summary",
        [quarter.pk if quarter else None, translation.get_language()],
        lambda: render_to_string(
            "objectives/home.html#team-summary",
            {
                "team_summary": selectors.team_progress_summary(organisation, quarter, statuses)
                if quarter
                else []
            },
        ),
    )
    next_review = selectors_review.next_review(organisation)
    return render(
        request,
        "objectives/home.html",
        {
            "first_steps": _first_steps(request),
            "year": year,
            "quarter": quarter,
            "strategic": okrs.strategic,
            "teams": teams,
            "team_summary_html": team_summary_html,
            "my_key_results": okrs.my_key_results,
            "my_personal": okrs.my_personal,  # personal OKRs (okr/personal), beside my key results
            "personal_pilot": organisation.personal_okrs,
            "my_actions": _my_actions(request),
            "next_review": next_review,
        },
    )


def _my_actions(request):
    """My open actions from reviews (okr.reviews.decisions): one query, a bounded list."""
    actions = decisions.open_actions_of(request.organisation, request.user)
    for entry in actions:
        entry.can_mark_done = policy.can(request.membership, Action.REVIEW_ACTION_DONE, entry)
    return actions


def _first_steps(request):
    """The new organisation's checklist, for those who can do its steps, until all are done."""
    membership = request.membership
    if not any(policy.can(membership, action) for action in _FIRST_STEP_ACTIONS):
        return None
    steps = first_steps(request.organisation)
    return None if steps.all_done else steps


#: Who sees the checklist: whoever may do one of its steps (admins and leadership).
_FIRST_STEP_ACTIONS = (Action.SETTINGS_EDIT, Action.OBJECTIVE_CREATE, Action.INVITE)


def _initial(kr, confidence=None) -> dict:
    return {
        "confidence": confidence or kr.confidence or "",  # a first check-in: none assumed
        "done": kr.done,
        "steps_done": kr.steps_done,
    }


def _check_in_rows(request, key_results, data=None):
    return [
        (kr, CheckInForm(data, key_result=kr, prefix=str(kr.uuid), initial=_initial(kr)))
        for kr in key_results
    ]


@org_view
@require_http_methods(["GET", "POST"])
def my_check_ins(request):
    """Every key result I own on one page; check in on any number of them in one submit.

    Rows left untouched are skipped. Valid rows are saved; a row with bad
    input keeps what was typed and says what is wrong, and the page says
    clearly which were saved and which were not.
    """
    organisation = request.organisation
    key_results = selectors.owned_key_results(organisation, request.user)
    if request.method == "GET":
        return render(
            request,
            "objectives/my_check_ins.html",
            {
                "rows": _check_in_rows(request, key_results),
                "last_reminded_at": selectors_reminders.last_reminded_at(
                    organisation, request.user
                ),
            },
        )

    rows = _check_in_rows(request, key_results, request.POST)
    saved, failed, kept_rows = [], [], []
    for kr, form in rows:
        if form.is_blank():
            kept_rows.append(
                (kr, CheckInForm(key_result=kr, prefix=str(kr.uuid), initial=_initial(kr)))
            )
            continue
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.check_in_record(
                        key_result=kr, author=request.user, **form.service_fields()
                    )
            except ValidationError as error:
                add_service_errors(form, error)
                failed.append(kr)
                kept_rows.append((kr, form))
                continue
            saved.append(kr)
            kept_rows.append(
                (
                    kr,
                    CheckInForm(
                        key_result=kr,
                        prefix=str(kr.uuid),
                        initial=_initial(kr, form.cleaned_data["confidence"]),
                    ),
                )
            )
        else:
            failed.append(kr)
            kept_rows.append((kr, form))

    if saved:
        messages.success(
            request,
            ngettext("Saved %(count)d check-in.", "Saved %(count)d check-ins.", len(saved))
            % {"count": len(saved)},
        )
    if not saved and not failed:
        messages.info(request, _("Nothing to save: type a value or a note on a key result first."))
    if not failed:
        return redirect("okr:my_check_ins", organisation.slug)
    messages.error(
        request,
        ngettext(
            "%(count)d check-in was not saved: fix the marked row and save again.",
            "%(count)d check-ins were not saved: fix the marked rows and save again.",
            len(failed),
        )
        % {"count": len(failed)},
    )
    if saved:
        key_results = selectors.owned_key_results(organisation, request.user)
        current = {kr.pk: kr for kr in key_results}
        kept_rows = [(current.get(kr.pk, kr), form) for kr, form in kept_rows]
    return render(
        request,
        "objectives/my_check_ins.html",
        {
            "rows": kept_rows,
            "failed": failed,
            "last_reminded_at": selectors_reminders.last_reminded_at(organisation, request.user),
        },
        status=200,
    )
