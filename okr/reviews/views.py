"""The biweekly review pages: the list, one review, meeting mode and print.

Views parse the request, call a service or selector and render. Everyone in
the organisation reads reviews; leadership starts, moves and closes them and
records decisions. Reading never writes: a scheduled review without a row
is shown from the schedule (``/reviews/?date=YYYY-MM-DD``) and its row is
created by the first POST ("Start review"). Every form also works without
JavaScript (POST, then redirect); the decision form swaps in place with htmx.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, revision
from accounts.access import org_view
from accounts.cleaning import Refused
from accounts.fields import message
from accounts.policy import Action
from okr.lib import calendar
from okr.lib.fields import parse_day
from okr.models import KeyResult, Review
from okr.objectives.access import get_review_for_user
from okr.objectives.form_wiring import add_service_errors
from okr.objectives.forms import member_queryset
from okr.reminders.services import queue_reminders
from okr.reviews import decisions
from okr.reviews import selectors as sel
from okr.reviews import services as svc
from okr.reviews.forms import STRATEGIC, ReviewDateForm, ReviewEntryForm, ReviewMoveForm

logger = logging.getLogger(__name__)

LIST_TEMPLATE = "reviews/reviews.html"
REVIEW_TEMPLATE = "reviews/review.html"
MEETING_TEMPLATE = "reviews/review_meeting.html"
ENTRIES_TEMPLATE = "reviews/review_entries.html"


def _only_get(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _can_start(request) -> bool:
    return policy.can(request.membership, Action.REVIEW_START)


def _review_url(organisation, review: Review, team: str = "") -> str:
    url = reverse("okr:review", args=[organisation.slug, review.uuid])
    return f"{url}?team={team}" if team else url


def _preview_url(organisation, day: date, team: str = "") -> str:
    url = f"{reverse('okr:reviews', args=[organisation.slug])}?date={day.isoformat()}"
    return f"{url}&team={team}" if team else url


# --- The list -------------------------------------------------------------------------------


def _list_context(request, add_form=None, move_forms=None) -> dict:
    organisation = request.organisation
    overview = sel.reviews_overview(organisation)
    move_forms = move_forms or {}
    for day in overview.upcoming:
        if day.review is None and day.scheduled:
            key = day.date.isoformat()
            day.move_form = move_forms.get(key) or ReviewDateForm(
                prefix_id=f"move-{key}", initial={"moved_from": day.date}
            )
    return {
        "overview": overview,
        "can_lead": _can_start(request),
        "add_form": add_form or ReviewDateForm(),
    }


def _list_page(request, context: dict | None = None, status: int = 200):
    """The list page. Unbound, the list is the same for everyone with the same role (whether
    they may move and add reviews) on the day: rendered once per revision of the organisation,
    day and language (``accounts.revision``); with a form's errors it is rendered anew."""
    organisation = request.organisation

    def render_list(csrf_token) -> str:
        parts = context or _list_context(request)
        extra = {"organisation": organisation, "csrf_token": csrf_token}
        return render_to_string(f"{LIST_TEMPLATE}#list", parts | extra, request=request)

    if context is not None:
        html = render_list(get_token(request))
    else:
        key = [calendar.today(organisation), translation.get_language(), _can_start(request)]
        html = revision.cached_html(request, organisation.pk, "reviews-list", key, render_list)
    return render(request, LIST_TEMPLATE, {"list_html": html}, status=status)


@org_view
def reviews(request):
    """Upcoming reviews from the schedule and past ones; ``?date=`` shows a scheduled review."""
    if (response := _only_get(request)) is not None:
        return response
    organisation = request.organisation
    raw = request.GET.get("date")
    if raw is None:
        return _list_page(request)
    try:
        day = parse_day(raw.strip())  # within 2000..2100: the schedule needs no year 1
    except Refused as refused:
        # A hand-edited address: say what was wrong and show the list instead.
        messages.error(request, message(refused))
        return _list_page(request, status=400)
    sched = sel.schedule_of(organisation)
    row = sched.row_for(day)
    team = request.GET.get("team", "")
    if row is not None:
        return redirect(_review_url(organisation, row, team))
    if not sched.cadence.is_review(day):
        raise Http404
    board = sel.review_board(organisation, day, sched=sched)
    return _render_board(request, board, team)


@org_view(action=Action.REVIEW_START)
@require_POST
def review_new(request):
    """Start a scheduled review, add one on another day, or move a scheduled one."""
    organisation = request.organisation
    moved_key = request.POST.get("moved_from", "")
    form = ReviewDateForm(
        request.POST, prefix_id=f"move-{moved_key}" if moved_key else "review-new"
    )
    if form.is_valid():
        day, moved_from = form.cleaned_data["date"], form.cleaned_data["moved_from"]
        try:
            if moved_from is None and request.POST.get("start"):
                review = svc.review_start(organisation=organisation, day=day, user=request.user)
            else:
                review = svc.review_create(
                    organisation=organisation, day=day, user=request.user, moved_from=moved_from
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            queue_reminders(organisation)
            if moved_from is not None:
                messages.success(
                    request,
                    _("The review of %(old)s is moved to %(new)s.")
                    % {
                        "old": date_format(moved_from, "MONTH_DAY_FORMAT"),
                        "new": date_format(review.date, "MONTH_DAY_FORMAT"),
                    },
                )
            return redirect(_review_url(organisation, review))
    if request.POST.get("start"):
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("okr:reviews", organisation.slug)
    if moved_key:
        context = _list_context(request, move_forms={moved_key: form})
        if not any(getattr(d, "move_form", None) is form for d in context["overview"].upcoming):
            # Not a scheduled day of the list (a bad or old ``moved_from``): the add form
            # says what is wrong, with ids of its own (never built from the posted value).
            form.auto_id = "review-new-%s"
            context["add_form"] = form
    else:
        context = _list_context(request, add_form=form)
    return _list_page(request, context)


# --- One review -------------------------------------------------------------------------------


def _render_board(request, board, team_key: str = "", *, move_form=None, status=200):
    review = board.review
    can_lead = (
        policy.can(request.membership, Action.REVIEW_NOTE, review)
        if review is not None
        else _can_start(request) and not board.closed
    )
    teams = [t.team for t in board.teams if t.team is not None]
    choices = _entry_choices(request, board) if can_lead and board.review is not None else {}
    for team in board.teams:
        if getattr(team, "entry_form", None) is None:
            team.entry_form = (
                ReviewEntryForm(teams=teams, team_key=team.uuid, **choices)
                if can_lead and board.review is not None
                else None
            )
        _may_mark_done(request, team.entries)
    for team in board.teams:
        team.meeting_url = _board_url(request, board, team.uuid)
    earlier = decisions.earlier_actions(request.organisation, board.day.date, board.review)
    _may_mark_done(request, earlier)
    context = {
        "board": board,
        "review": board.review,
        "day": board.day,
        "earlier_actions": earlier,
        "can_lead": can_lead,
        "can_start": _can_start(request),
        "move_form": move_form
        or (
            ReviewMoveForm(initial={"date": board.day.date}) if can_lead and board.review else None
        ),
    }
    if team_key:
        current = board.team(team_key)
        if current is None:
            raise Http404
        index = board.teams.index(current)
        context |= {
            "team": current,
            "position": index + 1,
            "previous_team": board.teams[index - 1] if index > 0 else None,
            "next_team": board.teams[index + 1] if index + 1 < len(board.teams) else None,
        }
        context["overview_url"] = _board_url(request, board)
        return render(request, MEETING_TEMPLATE, context, status=status)
    context["first_team_url"] = board.teams[0].meeting_url if board.teams else None
    return render(request, REVIEW_TEMPLATE, context, status=status)


def _entry_choices(request, board) -> dict:
    """Who may carry a decision out and which key results it may be about (one query)."""
    return {
        "members": list(member_queryset(request.organisation)),
        "key_results": [r.payload for r in board.rows if isinstance(r.payload, KeyResult)],
    }


def _may_mark_done(request, entries) -> None:
    for entry in entries:
        entry.can_mark_done = entry.owner_id is not None and policy.can(
            request.membership, Action.REVIEW_ACTION_DONE, entry
        )


def _board_url(request, board, team_key: str = "") -> str:
    if board.review is not None:
        return _review_url(request.organisation, board.review, team_key)
    return _preview_url(request.organisation, board.day.date, team_key)


@org_view
def review(request, code):
    review = get_review_for_user(request, code)
    if (response := _only_get(request)) is not None:
        return response
    board = sel.review_board(request.organisation, review.date, review=review)
    return _render_board(request, board, request.GET.get("team", ""))


@org_view
@require_POST
def review_move(request, code):
    review = get_review_for_user(request, code)
    policy.require(request.membership, Action.REVIEW_MOVE, review)
    form = ReviewMoveForm(request.POST)
    if form.is_valid():
        try:
            moved = svc.review_move(review=review, day=form.cleaned_data["date"], user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            queue_reminders(request.organisation)
            messages.success(
                request,
                _("The review is now on %(date)s.")
                % {"date": date_format(moved.date, "WEEKDAY_MONTH_DAY_FORMAT")},
            )
            return redirect(_review_url(request.organisation, moved))
    board = sel.review_board(request.organisation, review.date, review=review)
    return _render_board(request, board, move_form=form)


@org_view
@require_POST
def review_entry_new(request, code):
    review = get_review_for_user(request, code)
    policy.require(request.membership, Action.REVIEW_NOTE, review)
    organisation = request.organisation
    board = sel.review_board(organisation, review.date, review=review, charts=not request.htmx)
    teams = [t.team for t in board.teams if t.team is not None]
    team_key = request.POST.get("team", STRATEGIC)
    if board.team(team_key) is None:
        raise Http404
    choices = _entry_choices(request, board)
    form = ReviewEntryForm(request.POST, teams=teams, team_key=team_key, **choices)
    meeting = request.POST.get("meeting") == "1"
    notice = ""
    if form.is_valid():
        try:
            svc.review_entry_add(
                review=review,
                team=form.cleaned_data["team"],
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                author=request.user,
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                key_result=form.cleaned_data["key_result"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("Saved.")
            if not request.htmx:
                messages.success(request, notice)
                url = _review_url(organisation, review, team_key if meeting else "")
                return redirect(url if meeting else f"{url}#team-{team_key}")
            board = sel.review_board(organisation, review.date, review=review, charts=False)
            form = ReviewEntryForm(teams=teams, team_key=team_key, **choices)
    target = board.team(team_key)
    if target is None:
        raise Http404
    target.entry_form = form
    _may_mark_done(request, target.entries)
    if request.htmx:
        return render(
            request,
            ENTRIES_TEMPLATE,
            {
                "team": target,
                "review": review,
                "board": board,
                "can_lead": not board.closed,
                "meeting": meeting,
                "sub": 2 if meeting else 3,
                "entry_notice": notice,
            },
        )
    return _render_board(request, board, team_key if meeting else "")


@org_view
@require_POST
def review_close(request, code):
    review = get_review_for_user(request, code)
    policy.require(request.membership, Action.REVIEW_CLOSE, review)
    result = svc.review_close(review=review, user=request.user)
    if result.closed:
        messages.success(
            request, _("The review is closed: its figures are frozen as they stand now.")
        )
    else:
        messages.info(request, _("This review was already closed."))
    return redirect(_review_url(request.organisation, review))


@org_view
@require_POST
def action_done(request, code):
    """Mark an action done (or not yet): its owner or leadership, also after the review closed."""
    entry = decisions.get_review_entry_for_user(request, code)
    policy.require(request.membership, Action.REVIEW_ACTION_DONE, entry)
    done = request.POST.get("done", "1") != "0"
    try:
        svc.action_mark_done(entry=entry, done=done, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked done.") if done else _("Marked not done."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not back.startswith(f"/{request.organisation.slug}/"):
        back = _review_url(request.organisation, entry.review)
    return redirect(back)
