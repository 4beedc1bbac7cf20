"""The year-end review (everyone reads) and next year's strategic drafts (leadership).

The review, like every OKR, is open to every member (transparency); starting next
year, carrying objectives on and publishing are leadership's (``accounts.policy``:
``YEAR_START_NEXT``, ``YEAR_CARRY_ON``, ``YEAR_PUBLISH``), asked by each view and
again by the services. Every form works without JavaScript (POST, then redirect;
a form with errors renders the page again with the input kept); the new-objective
form's title asks the coach as it is typed (``wire_coach``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts import policy
from accounts.access import org_view
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Cycle
from okr.objectives import selectors as objective_selectors
from okr.objectives.access import get_objective_for_user
from okr.objectives.board import create_from, mark_positions
from okr.objectives.form_wiring import add_service_errors, wire_coach
from okr.objectives.forms import ObjectiveForm
from okr.years import selectors, services
from okr.years.forms import PublishForm, StartYearForm

REVIEW_TEMPLATE = "years/review.html"
NEXT_TEMPLATE = "years/next_year.html"


def review_url(organisation, year: int) -> str:
    return f"{reverse('okr:year_review', args=[organisation.slug])}?year={year}"


def next_url(organisation, from_year: int, anchor: str = "") -> str:
    url = f"{reverse('okr:next_year', args=[organisation.slug])}?year={from_year}"
    return f"{url}#{anchor}" if anchor else url


def _year_options(organisation, selected: int) -> list[dict]:
    """The years with a cycle, this one and the one asked for (1 query)."""
    years = {c.year for c in objective_selectors.year_cycles(organisation)}
    years |= {calendar.current_fiscal_year(organisation), selected}
    return [
        {"year": y, "label": selectors.year_label(organisation, y), "selected": y == selected}
        for y in sorted(years)
    ]


@org_view
@require_safe
def year_review(request):
    """The fiscal year in one page: strategic scores, team scores per quarter, notes, carry-overs."""
    organisation = request.organisation
    year = calendar.parse_year(request.GET.get("year"), calendar.current_fiscal_year(organisation))
    review = selectors.year_review(organisation, year)
    membership = request.membership
    return render(
        request,
        REVIEW_TEMPLATE,
        {
            "review": review,
            "years": _year_options(organisation, year),
            "can_plan": policy.can(membership, Action.YEAR_START_NEXT)
            and review.next_year >= calendar.current_fiscal_year(organisation),
            "can_close": policy.can(membership, Action.QUARTER_CLOSE),
        },
    )


# --- Next year (leadership) -------------------------------------------------------------------


def _objective_form(request, data=None) -> ObjectiveForm:
    form = ObjectiveForm(data, organisation=request.organisation, auto_id="objective-new-%s")
    form.base_id = "objective-new"
    return form


def _from_cycle(organisation, from_year: int) -> Cycle | None:
    return Cycle.objects.filter(
        organisation=organisation, kind=Cycle.Kind.YEAR, year=from_year
    ).first()


def _next_page(request, from_year: int, *, new_form=None, start_form=None, status=200):
    organisation = request.organisation
    plan = selectors.next_year(organisation, from_year)
    mark_positions(plan.objectives, request.LANGUAGE_CODE, with_hints=True)
    for item in plan.last_year:
        item.carried_to = plan.carried_to.get(item.objective.pk)
    if start_form is None:
        start_form = StartYearForm(
            initial={"year": plan.year},
            organisation=organisation,
            from_cycle=_from_cycle(organisation, from_year),
        )
    new_form = wire_coach(request, new_form or _objective_form(request), "objective")
    context = {
        "plan": plan,
        "new_objective_form": new_form,
        "start_form": start_form,
        "publish_form": PublishForm(initial={"year": plan.year}),
        "is_over": plan.year < calendar.current_fiscal_year(organisation),
    }
    return render(request, NEXT_TEMPLATE, context, status=status)


def _from_year(request) -> int:
    current = calendar.current_fiscal_year(request.organisation)
    return calendar.parse_year(request.POST.get("from_year") or request.GET.get("year"), current)


@org_view(action=Action.YEAR_START_NEXT)
def next_year(request):
    """Next year's strategic OKRs in the workshop manner: last year's beside, the coach helping.

    POST adds a new draft objective (title, why, owner) to next year.
    """
    organisation = request.organisation
    from_year = _from_year(request)
    if request.method != "POST":
        return _next_page(request, from_year)
    form = _objective_form(request, request.POST)
    created = create_from(
        request,
        form,
        lambda form: services.draft_create(
            organisation=organisation,
            year=from_year + 1,
            title=form.cleaned_data["title"],
            why=form.cleaned_data["why"],
            owner=form.cleaned_data["owner"],
            author=request.user,
        ),
        _("Draft objective added."),
    )
    if created is not None:
        return redirect(next_url(organisation, from_year, f"objective-{created.uuid}"))
    return _next_page(request, from_year, new_form=form, status=400)


@org_view(action=Action.YEAR_START_NEXT)
@require_POST
def year_start(request):
    """Open next year, carrying on the chosen strategic objectives as drafts."""
    organisation = request.organisation
    from_year = _from_year(request)
    form = StartYearForm(
        request.POST, organisation=organisation, from_cycle=_from_cycle(organisation, from_year)
    )
    if form.is_valid():
        try:
            services.year_start(
                organisation=organisation,
                year=from_year + 1,
                carry=list(form.cleaned_data["carry"]),
                author=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(year)s is started: its strategic objectives are drafts until you publish them."
                )
                % {"year": selectors.year_label(organisation, from_year + 1)},
            )
            return redirect(next_url(organisation, from_year))
    return _next_page(request, from_year, start_form=form, status=400)


@org_view(action=Action.YEAR_CARRY_ON)
@require_POST
def carry_on(request, code):
    """Carry one of last year's strategic objectives on into next year, as a draft."""
    objective = get_objective_for_user(request, code)
    try:
        draft = services.objective_carry_on(objective=objective, author=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(next_url(request.organisation, objective.cycle.year))
    messages.success(request, _("Carried on as a draft: %(title)s") % {"title": draft.title})
    return redirect(next_url(request.organisation, objective.cycle.year, f"objective-{draft.uuid}"))


@org_view(action=Action.YEAR_PUBLISH)
@require_POST
def year_publish(request):
    """Publish next year's drafts: they become the year's strategic OKRs for everyone."""
    organisation = request.organisation
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2000 and 2100."))
        return redirect(next_url(organisation, calendar.current_fiscal_year(organisation)))
    year = form.cleaned_data["year"]
    try:
        count = services.year_publish(organisation=organisation, year=year, author=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(next_url(organisation, year - 1))
    messages.success(
        request,
        ngettext(
            "%(count)d strategic objective of %(year)s is published.",
            "%(count)d strategic objectives of %(year)s are published.",
            count,
        )
        % {"count": count, "year": selectors.year_label(organisation, year)},
    )
    return redirect(f"{reverse('okr:strategic', args=[organisation.slug])}?year={year}")
