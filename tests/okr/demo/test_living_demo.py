"""`load_demo --today`: on any day DPAB is in the middle of its year (okr/demo/story.py).

The demo is loaded as of days across a year, the first and last days of a
fiscal year and of quarters among them, and its shape is checked as the
pages see it on that day (the clock stopped there): nothing for the quarter
close to do, the current quarter approved and checked in, the next quarter's
proposal in the approval queue, past reviews with decisions and notes and the
next one within two weeks.
"""

from datetime import date, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organisation, User
from conftest import client_for
from okr.demo import specs, story
from okr.lib import calendar, schedule
from okr.models import (
    CheckIn,
    Cycle,
    KeyResult,
    Objective,
    ObjectiveEvent,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    Score,
)
from okr.reviews import selectors as review_sel
from okr.workshop import selectors as workshop_sel

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")

DAYS = [
    date(2026, 1, 1),  # first day of a fiscal year and of Q1 (a public holiday, a Thursday)
    date(2026, 3, 31),  # last day of Q1
    date(2026, 4, 1),  # first day of Q2
    date(2026, 8, 17),  # a review Monday in the middle of Q3
    date(2026, 12, 31),  # last day of the fiscal year and of Q4
    date(2028, 2, 29),  # a leap day, in Q1
]


def load(day: date | None = None) -> str:
    out = StringIO()
    args = ["--today", day.isoformat()] if day else []
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def frozen(day: date):
    return story.frozen(day, STOCKHOLM)


def quarter_cycle(org, fiscal_quarter) -> Cycle:
    year, quarter = fiscal_quarter
    return Cycle.objects.get(organisation=org, kind="quarter", year=year, quarter=quarter)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_is_in_the_middle_of_its_year_on(day):
    load(day)
    org = Organisation.objects.get(slug="dpab")
    with frozen(day):
        plan = story.plan_for(org)
        assert plan.today == day == calendar.today(org)
        year, quarter = plan.current
        _strategic_okrs_of_the_year(org, year)
        _past_quarters_closed(org, plan)
        _current_quarter_approved_and_checked_in(org, plan)
        _next_quarter_workshop_under_way(org, plan)
        _reviews_held_and_the_next_within_two_weeks(org, plan)


def _strategic_okrs_of_the_year(org, year):
    titles = set(
        Objective.objects.filter(
            organisation=org, level="strategic", cycle__kind="year", cycle__year=year
        ).values_list("title", flat=True)
    )
    assert titles == {spec.title for spec in specs.STRATEGIC}


def _past_quarters_closed(org, plan):
    out = StringIO()
    call_command("close_quarter", "--dry-run", "--org", "dpab", stdout=out)
    assert "Nothing to close." in out.getvalue()
    # Stronger than the grace period: every cycle that has ended is closed.
    assert not Cycle.objects.filter(organisation=org, end_date__lt=plan.today).exclude(
        state="closed"
    )
    past = [q for q, role in plan.quarters if role == story.Role.PAST]
    assert past, "a quarter is always over: the previous year's last one in Q1"
    if plan.current.quarter == 1:
        assert past == [calendar.FiscalQuarter(plan.current.year - 1, 4)]
        last_year = Cycle.objects.get(organisation=org, kind="year", year=plan.current.year - 1)
        assert last_year.state == "closed"
        assert RetrospectiveNote.objects.filter(cycle=last_year, team=None).exists()
        assert Score.objects.filter(cycle=last_year, objective__level="strategic").count() == 3
    else:
        assert past == [
            calendar.FiscalQuarter(plan.current.year, q) for q in range(1, plan.current.quarter)
        ]
    for fiscal_quarter in past:
        cycle = quarter_cycle(org, fiscal_quarter)
        approved = Objective.objects.filter(cycle=cycle, level="team", status="approved")
        assert approved.count() >= 3
        assert Score.objects.filter(cycle=cycle, objective__in=approved).count() == approved.count()
        assert Score.objects.filter(cycle=cycle, key_result__objective__in=approved).exists()
        teams = set(
            RetrospectiveNote.objects.filter(cycle=cycle).values_list("team__name", flat=True)
        )
        assert teams == {"Produktion", "Marknad", "Försäljning"}
        # Checked in right up to its last weeks.
        last = CheckIn.objects.filter(key_result__objective__cycle=cycle).latest("created_at")
        assert cycle.end_date - last.created_at.date() < timedelta(days=14)


def _current_quarter_approved_and_checked_in(org, plan):
    cycle = quarter_cycle(org, plan.current)
    objectives = Objective.objects.filter(cycle=cycle, level="team")
    assert objectives.count() >= 3
    assert set(objectives.values_list("status", flat=True)) == {"approved"}
    assert set(objectives.values_list("team__name", flat=True)) == {
        "Produktion",
        "Marknad",
        "Försäljning",
    }
    # Every objective went through the workshop before the quarter; one was sent back once.
    events = ObjectiveEvent.objects.filter(objective__in=objectives)
    assert all(e.created_at.astimezone(STOCKHOLM).date() < cycle.start_date for e in events)
    sent_back = events.filter(to_status="changes_requested")
    assert sent_back.count() == 1
    assert sent_back.get().author.email == "vilma@dpab.example" and sent_back.get().comment
    for objective in objectives:
        steps = list(
            objective.events.order_by("created_at", "id").values_list("to_status", flat=True)
        )
        assert steps[:2] == ["draft", "proposed"] and steps[-1] == "approved", objective.title
        assert objective.parent is not None, objective.title
    # Check-ins every second week up to today, none in the future.
    assert not CheckIn.objects.filter(organisation=org, created_at__gt=plan.now).exists()
    latest = CheckIn.objects.filter(organisation=org).latest("created_at")
    assert plan.today - latest.created_at.astimezone(STOCKHOLM).date() <= timedelta(days=14)
    if plan.today - cycle.start_date >= timedelta(days=14):
        for kr in KeyResult.objects.filter(objective__in=objectives):
            moments = sorted(kr.check_ins.values_list("created_at", flat=True))
            assert moments, kr.title
            assert plan.now - moments[-1] <= timedelta(days=14), kr.title
            assert all(
                b - a >= timedelta(days=13) for a, b in zip(moments, moments[1:], strict=False)
            )


def _next_quarter_workshop_under_way(org, plan):
    cycle = quarter_cycle(org, plan.next)
    assert cycle.state == "planning"
    statuses = sorted(
        Objective.objects.filter(cycle=cycle, level="team").values_list("status", flat=True)
    )
    assert statuses == ["draft", "draft", "proposed"]
    # The proposal waits in leadership's queue, with a parent in the strategy of its year.
    queue = workshop_sel.approval_queue(org)
    assert [q.cycle for q in queue] == [cycle]
    (team_set,) = queue[0].teams
    (proposal,) = team_set.proposed
    assert (team_set.team.name, proposal.title) == (
        "Produktion",
        "Överträffa våra kunders förväntningar",
    )
    assert proposal.parent.cycle.year == cycle.year
    vilma = client_for(User.objects.get(email="vilma@dpab.example"))
    page = vilma.get(reverse("okr:approvals", args=["dpab"])).content.decode()
    assert "Överträffa våra kunders förväntningar" in page


def _reviews_held_and_the_next_within_two_weeks(org, plan):
    reviews = list(Review.objects.filter(organisation=org).order_by("date"))
    assert len(reviews) >= 6
    assert all(r.is_closed and r.date <= plan.today and r.closed_at <= plan.now for r in reviews)
    assert reviews[0].date - plan.history_start < timedelta(days=14)
    for earlier, later in zip(reviews, reviews[1:], strict=False):
        assert timedelta(days=10) <= later.date - earlier.date <= timedelta(days=18)
        assert later.previous_date == earlier.date  # compared with the review held before
    for review in reviews:
        assert ReviewEntry.objects.filter(review=review).exists(), review.date
        assert review.date.weekday() < 5 and not schedule.public_holiday(review.date, "SE")
    kinds = set(ReviewEntry.objects.filter(organisation=org).values_list("kind", flat=True))
    assert kinds == {"decision", "note"}
    upcoming = review_sel.next_review(org)
    assert plan.today <= upcoming.date <= plan.today + timedelta(days=14)
    assert upcoming.review is None or not upcoming.review.is_closed
    vilma = client_for(User.objects.get(email="vilma@dpab.example"))
    page = vilma.get(reverse("okr:reviews", args=["dpab"])).content.decode()
    assert reverse("okr:review", args=["dpab", reviews[-1].uuid]) in page


def test_a_review_on_a_public_holiday_was_held_the_next_working_day():
    load(date(2027, 4, 1))
    org = Organisation.objects.get(slug="dpab")
    # Easter Monday, 29 March 2027, was a review Monday.
    easter = Review.objects.get(organisation=org, moved_from=date(2027, 3, 29))
    assert easter.date == date(2027, 3, 30) and easter.is_closed
    assert ReviewEntry.objects.filter(review=easter).exists()
    assert Review.objects.filter(organisation=org).exclude(moved_from=None).count() == 1
    with frozen(date(2027, 4, 1)):
        vilma = client_for(User.objects.get(email="vilma@dpab.example"))
        page = vilma.get(reverse("okr:reviews", args=["dpab"])).content.decode()
    assert reverse("okr:review", args=["dpab", easter.uuid]) in page


def test_loading_twice_on_a_day_changes_nothing_and_a_later_day_adds_the_weeks_since():
    load(date(2026, 5, 4))
    org = Organisation.objects.get(slug="dpab")
    ids = set(Objective.objects.values_list("pk", flat=True))
    check_ins, reviews = CheckIn.objects.count(), Review.objects.count()
    load(date(2026, 5, 4))
    assert (CheckIn.objects.count(), Review.objects.count()) == (check_ins, reviews)
    # Four weeks later, the same quarter: the same rows, two more meeting days.
    out = load(date(2026, 6, 1))
    assert "laying it out anew" not in out
    assert set(Objective.objects.values_list("pk", flat=True)) == ids
    assert Review.objects.count() == reviews + 2
    assert CheckIn.objects.count() > check_ins
    with frozen(date(2026, 6, 1)):
        assert review_sel.next_review(org).date == date(2026, 6, 8)


@pytest.mark.parametrize(
    ("first", "then"),
    [(date(2026, 6, 30), date(2026, 7, 1)), (date(2026, 12, 6), date(2026, 2, 10))],
    ids=["into-the-next-quarter", "back-in-time"],
)
def test_another_quarter_or_an_earlier_day_lays_the_story_out_anew(first, then):
    load(first)
    out = load(then)
    assert f"laying it out anew for {then}" in out
    org = Organisation.objects.get(slug="dpab")
    with frozen(then):
        plan = story.plan_for(org)
        _past_quarters_closed(org, plan)
        _current_quarter_approved_and_checked_in(org, plan)
        _next_quarter_workshop_under_way(org, plan)
        _reviews_held_and_the_next_within_two_weeks(org, plan)
    # Nothing of the first layout is left over.
    assert not Cycle.objects.filter(organisation=org, year__gt=plan.next.year)
    assert Objective.history.filter(organisation_id=org.pk, history_type="-").count() == 0


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("load_demo", "--today", "6/12/2026", stdout=StringIO())
