"""Every surface agrees on an organisation's today and current quarter (``okr.lib.calendar``).

The clock is frozen at instants where the date in Stockholm or Auckland is not
the date in UTC (nor, in Auckland, the server's, which is Stockholm's), for an
organisation in Europe/Stockholm with a calendar fiscal year and one in
Pacific/Auckland whose fiscal year starts in July. The home page, my
check-ins, the strategic page, the workshop, the review list, the tree (page
and API), the cycles and objectives API, the reminder sweep and the quarter
close must all see the organisation's local date and quarter.

The freeze patches ``okr.lib.calendar.clock`` only, while ``timezone.now``
keeps running: a surface that asked Django's clock or the server's zone itself
would see the real date (December 2026) and fail. A second run patches
``django.utils.timezone.now`` instead, which the calendar's clock reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.models import Membership
from conftest import client_for
from okr.closing import services as closing
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, Review
from okr.objectives import numbers, services
from okr.reminders import services as reminders
from okr.workshop.selectors import PLANNING_WINDOW_DAYS
from tests.support.api import api, session_api
from tests.support.factories import (
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganisationFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = ("Europe/Stockholm", 1)
AUCKLAND = ("Pacific/Auckland", 7)  # fiscal year from 1 July

# (instant, organisation, its local date, its fiscal quarter)
CASES = [
    # 01:30 on 1 April in Stockholm (Q2 begins; UTC is still in Q1), 12:30 in Auckland (FY Q4).
    (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), STOCKHOLM, date(2026, 4, 1), (2026, 2)),
    (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), AUCKLAND, date(2026, 4, 1), (2025, 4)),
    # 14:05 on 30 June in Stockholm; 00:05 on 1 July in Auckland, the first day of its fiscal year.
    (datetime(2026, 6, 30, 12, 5, tzinfo=UTC), STOCKHOLM, date(2026, 6, 30), (2026, 2)),
    (datetime(2026, 6, 30, 12, 5, tzinfo=UTC), AUCKLAND, date(2026, 7, 1), (2026, 1)),
    # 00:30 on 1 January 2027 in Stockholm: a new fiscal year there, while UTC is in 2026.
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), STOCKHOLM, date(2027, 1, 1), (2027, 1)),
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), AUCKLAND, date(2027, 1, 1), (2026, 3)),
]


def _id(case) -> str:
    instant, (zone, _month), _day, _quarter = case
    return f"{instant:%Y-%m-%dT%H:%M}Z-{zone.split('/')[1]}"


def _build(zone: str, start_month: int, today: date, quarter: tuple[int, int]) -> dict:
    """An organisation reviewing weekly on today's weekday, plus an added review yesterday.

    A surface that took yesterday (UTC's date) for today would find that review
    instead of today's.
    """
    org = OrganisationFactory(
        slug=f"cal-{zone.split('/')[1].lower()}",
        timezone=zone,
        fiscal_year_start_month=start_month,
        review_weekday=today.weekday(),
        review_every_weeks=1,
        reminders_enabled=True,
    )
    years = {
        y: services.cycle_year_get_or_create(organisation=org, year=y)
        for y in (quarter[0] - 1, quarter[0], quarter[0] + 1)
    }
    quarters = {(c.year, c.quarter): c for c in Cycle.objects.filter(parent__in=years.values())}
    Review.objects.create(organisation=org, date=today - timedelta(days=1))
    leader = UserFactory()
    member = UserFactory()
    MembershipFactory(organisation=org, user=leader, role=Membership.Role.LEADERSHIP)
    MembershipFactory(organisation=org, user=member, role=Membership.Role.MEMBER)
    team = TeamFactory(organisation=org, name="Team")
    TeamMembershipFactory(team=team, user=member, is_lead=True)
    strategic = ObjectiveFactory(organisation=org, cycle=years[quarter[0]], owner=leader)
    year_kr = KeyResultFactory(objective=strategic, owner=member)
    team_objective = ObjectiveFactory(
        organisation=org,
        cycle=quarters[quarter],
        level=Objective.Level.TEAM,
        team=team,
        status=Objective.Status.APPROVED,
        parent_objective=strategic,
    )
    quarter_kr = KeyResultFactory(objective=team_objective, owner=member)
    return {
        "org": org,
        "leader": leader,
        "member": member,
        "year": years[quarter[0]],
        "quarter": quarters[quarter],
        "previous": quarters[calendar.previous_quarter(*quarter)],
        "objectives": {strategic.uuid, team_objective.uuid},
        "krs": [year_kr, quarter_kr],
    }


def _page(client, name: str, org, query: str = ""):
    namespace = "alignment" if name == "tree" else "okr"
    response = client.get(reverse(f"{namespace}:{name}", args=[org.slug]) + query)
    assert response.status_code == 200, (name, response.status_code)
    return response.context


def _expected(kr: KeyResult, day: date) -> float | None:
    """The engine's expected pace of ``kr`` on ``day`` (what a page on ``day`` must show)."""
    fresh = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
    numbers.annotate_key_results([fresh], day)
    return fresh.numbers.expected


def _check_every_surface(world: dict, today: date, quarter: tuple[int, int]) -> None:
    org = world["org"]
    start_month = org.fiscal_year_start_month
    assert calendar.today(org) == today
    assert calendar.current_quarter(org) == quarter
    leader, member = client_for(world["leader"]), client_for(world["member"])

    # The home page: this year, this quarter, the next review (today's, not yesterday's).
    home = _page(member, "home", org)
    assert home["year"] == world["year"]
    assert home["quarter"] == world["quarter"]
    assert home["next_review"].date == today

    # My check-ins: the expected pace of each key result is the one of the local date.
    rows = _page(member, "my_check_ins", org)["rows"]
    assert {kr.pk for kr, _form in rows} == {kr.pk for kr in world["krs"]}
    for kr, _form in rows:
        assert kr.numbers.expected == _expected(kr, today), kr.title

    # The strategic page opens on the current fiscal year.
    assert _page(leader, "strategic", org)["year"] == quarter[0]

    # The workshop opens on the current quarter, or the next one in its last two weeks.
    following = calendar.next_quarter(*quarter)
    window = timedelta(days=PLANNING_WINDOW_DAYS)
    ends_soon = calendar.quarter_start(*following, start_month) - today <= window
    shown = _page(member, "workshop", org)["quarter"]
    assert shown.key == (following if ends_soon else quarter)

    # The review list: today's review comes first among the upcoming ones.
    assert _page(member, "reviews", org)["overview"].upcoming[0].date == today

    # The tree, page and API.
    tree = _page(member, "tree", org)
    assert tree["today"] == today
    assert tree["year"] == world["year"]
    client = session_api(world["member"])
    answer = client.get(api(org.slug, "alignment/tree/"))
    assert answer.status_code == 200
    assert answer.json()["today"] == today.isoformat()

    # The API: the current cycles, and the objectives in them.
    answer = client.get(api(org.slug, "cycles/"), {"current": "true"})
    assert answer.status_code == 200, answer.content
    current = {(c["kind"], c["year"], c["quarter"]) for c in answer.json()["results"]}
    assert current == {("year", quarter[0], None), ("quarter", *quarter)}
    answer = client.get(api(org.slug, "objectives/"), {"current": "true"})
    assert answer.status_code == 200, answer.content
    assert {o["id"] for o in answer.json()["results"]} == {str(u) for u in world["objectives"]}

    # The reminder sweep works towards today's review.
    sweep = reminders.reminders_sweep(organisation=org, dry_run=True)
    assert sweep.due, "today's review is within the reminder window"
    assert {r.review_date for r in sweep.due} == {today}

    # The quarter close: what has ended is what ended before the local today.
    with override_settings(OKR_QUARTER_CLOSE_GRACE_DAYS=0):
        due = {r.cycle.pk for r in closing.close_due_cycles(organisation=org, dry_run=True)}
    ended = set(
        Cycle.objects.filter(organisation=org, end_date__lt=today).values_list("pk", flat=True)
    )
    assert world["previous"].pk in ended
    assert due == ended
    url = reverse("okr:quarter_close", args=[org.slug])
    assert leader.get(url, {"cycle": world["previous"].uuid}).context["has_ended"] is True
    assert leader.get(url, {"cycle": world["quarter"].uuid}).context["has_ended"] is False
    with pytest.raises(ValidationError):
        closing.cycle_close(cycle=world["quarter"])
    assert closing.cycle_close(cycle=world["previous"]).closed is True


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_every_surface_agrees_with_the_calendar(case):
    instant, (zone, start_month), today, quarter = case
    with mock.patch.object(calendar, "clock", return_value=instant):
        world = _build(zone, start_month, today, quarter)
        _check_every_surface(world, today, quarter)


@pytest.mark.parametrize("case", CASES[2:4], ids=[_id(c) for c in CASES[2:4]])
def test_the_calendar_clock_is_djangos_clock(case):
    instant, (zone, start_month), today, quarter = case
    with mock.patch("django.utils.timezone.now", return_value=instant):
        world = _build(zone, start_month, today, quarter)
        _check_every_surface(world, today, quarter)


def test_the_cases_tell_the_local_date_from_utcs_and_the_servers():
    # The cases would prove little if the local date were UTC's or the server's throughout.
    server = ZoneInfo("Europe/Stockholm")
    for org in (STOCKHOLM, AUCKLAND):
        cases = [c for c in CASES if c[1] == org]
        assert any(day != instant.date() for instant, _org, day, _q in cases)
        assert any(
            q != calendar.quarter_of(instant.date(), org[1]) for instant, _org, _day, q in cases
        )
    auckland = [c for c in CASES if c[1] == AUCKLAND]
    assert any(day != instant.astimezone(server).date() for instant, _org, day, _q in auckland)
    assert any(
        q != calendar.quarter_of(instant.astimezone(server).date(), AUCKLAND[1])
        for instant, _org, _day, q in auckland
    )
