"""`manage.py load_demo`: everything in docs/dpab.md, verbatim, and idempotent.

The story moves with today (okr/demo/story.py; its shape on many days is in
test_living_demo.py). Tests that name a quarter load it as of a day in the
third quarter of 2026 (``DAY``) and read the pages with the clock stopped there.
"""

from datetime import date
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, Team, TeamMembership, User
from alignment.models import Dependency, KeyResultStep
from okr.demo import story
from okr.lib import calendar
from okr.models import (
    CheckIn,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    ObjectiveEvent,
    ParkingLotItem,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    Score,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 8, 17)  # a review Monday in Q3: Q1 and Q2 closed, Q4's workshop under way
YEAR = 2026


def load_on_day():
    call_command("load_demo", "--today", DAY.isoformat(), stdout=StringIO())


def on_day():
    """The clock stopped at noon of DAY in Stockholm, as the demo was loaded."""
    return story.frozen(DAY, ZoneInfo("Europe/Stockholm"))


def snapshot():
    return {
        "users": sorted(User.objects.values_list("email", "name")),
        "memberships": sorted(Membership.objects.values_list("user__email", "role", "title")),
        "teams": sorted(Team.objects.values_list("name", "parent_id")),
        "team_memberships": sorted(
            TeamMembership.objects.values_list("team__name", "user__email", "is_lead")
        ),
        "cycles": sorted(
            Cycle.objects.values_list("kind", "year", "quarter", "start_date", "end_date")
        ),
        "objectives": sorted(
            Objective.objects.values_list("title", "level", "status", "alignment", "version")
        ),
        "key_results": sorted(
            KeyResult.objects.values_list(
                "title",
                "kind",
                "start_value",
                "target_value",
                "current_value",
                "commitment",
                "direction",
                "version",
            ),
            key=str,  # the drafts of the coming quarter have no current value yet
        ),
        "check_ins": CheckIn.objects.count(),
        "objective_events": sorted(
            ObjectiveEvent.objects.values_list(
                "objective__title", "from_status", "to_status", "comment", "author__email"
            )
        ),
        "parking_lot": sorted(
            ParkingLotItem.objects.values_list("team__name", "text", "state", "author__email")
        ),
        "initiatives": sorted(Initiative.objects.values_list("key_result__title", "title")),
        "dependencies": sorted(
            Dependency.objects.values_list(
                "needing_key_result__title", "delivering_key_result__title", "needed_by", "state"
            )
        ),
        "key_result_steps": sorted(
            KeyResultStep.objects.values_list(
                "key_result__title", "quarter__quarter", "target_value"
            )
        ),
        "reviews": sorted(
            Review.objects.values_list("date", "state", "moved_from", "closed_at"), key=str
        ),
        "review_entries": sorted(
            ReviewEntry.objects.values_list("review__date", "team__name", "kind", "text"), key=str
        ),
        "review_rows": sorted(
            ReviewKeyResult.objects.values_list("review__date", "title", "progress", "confidence"),
            key=str,
        ),
        "scores": sorted(
            Score.objects.values_list(
                "cycle__quarter", "key_result__title", "objective__title", "computed", "computed_at"
            ),
            key=str,
        ),
        "closed_cycles": sorted(
            Cycle.objects.filter(state="closed").values_list("kind", "quarter", "closed_at"),
            key=str,
        ),
        "retrospective": sorted(RetrospectiveNote.objects.values_list("team__name", "text")),
    }


@pytest.mark.parametrize("day", [None, DAY], ids=["today", "a-fixed-day"])
def test_load_demo_twice_changes_nothing(day):
    args = ["--today", day.isoformat()] if day else []
    call_command("load_demo", *args, stdout=StringIO())
    first = snapshot()
    call_command("load_demo", *args, stdout=StringIO())
    assert snapshot() == first
    assert first["check_ins"] > 50


def test_demo_organisation_people_and_teams():
    call_command("load_demo", stdout=StringIO())
    org = Organisation.objects.get(slug="dpab")
    assert org.vision == "Snabb och miljövänlig kommunikation genom pappersfri post"
    assert org.mission == "att vara den föredragna partnern i digitalisering av kommunikation"
    assert org.language == "sv"
    roles = dict(Membership.objects.filter(organisation=org).values_list("user__email", "role"))
    assert roles["vilma@dpab.example"] == "admin"
    assert roles["mats@dpab.example"] == "leadership"
    assert roles["per@dpab.example"] == "member"
    leads = dict(
        TeamMembership.objects.filter(is_lead=True).values_list("team__name", "user__email")
    )
    assert leads == {
        "Produktion": "pernilla@dpab.example",
        "Marknad": "mats@dpab.example",
        "Försäljning": "fredrika@dpab.example",
    }
    assert TeamMembership.objects.filter(team__name="Marknad").count() == 4
    assert User.objects.get(email="par@dpab.example").name == "Pär"


def test_demo_okrs_verbatim_with_parents_and_special_key_results():
    load_on_day()
    strategic = set(
        Objective.objects.filter(level="strategic", cycle__year=YEAR).values_list(
            "title", flat=True
        )
    )
    assert strategic == {
        "Kommande år vårt starkaste tillväxtår någonsin",
        "Leverera branschens bästa upplevelse",
        "Marknadstest i Norge",
    }
    this_year = KeyResult.objects.filter(objective__cycle__year=YEAR, objective__level="strategic")
    sales = this_year.get(title="20MSEK försäljning till nya kunder")
    assert sales.commitment == "committed" and sales.target_value == 20 and sales.unit == "MSEK"
    churn = this_year.get(title="5% churn")
    assert (churn.direction, churn.start_value, churn.target_value) == ("decrease", 15, 5)
    nps = this_year.get(title="Rullande 3-månaders NPS på X")
    assert nps.is_pending and nps.progress is None
    team = Objective.objects.filter(level="team")
    assert team.filter(cycle__quarter=1).count() == 7
    assert not team.filter(parent_objective=None, parent_key_result=None).exists()
    aggressive = Objective.objects.get(title="Aggressiv försäljningstillväxt", cycle__quarter=1)
    assert aggressive.parent_key_result == sales and aggressive.alignment == "direct"
    assert aggressive.cycle.kind == "quarter" and aggressive.cycle.quarter == 1
    milestone = KeyResult.objects.get(title="Lansera översatt hemsida senast 15/2")
    assert (
        milestone.kind == "milestone"
        and milestone.due_date.month == 2
        and milestone.due_date.day == 15
    )
    assert (
        KeyResult.objects.get(
            title="Merförsäljning om 1,5MSEK till befintliga kunder", objective__cycle__quarter=1
        ).target_value
        == 1.5
    )
    # Every check-in history is ordered and the key result follows its latest check-in...
    approved = KeyResult.objects.filter(kind="metric", objective__status="approved")
    for kr in approved.exclude(target_value=None).exclude(rollup="sum"):
        latest = kr.check_ins.order_by("-created_at").first()
        assert latest is not None
        assert kr.current_value == latest.value
    # ...but "20MSEK" is what the quarters' invoicing directly aligned to it adds up to.
    assert sales.rollup == "sum" and not sales.check_ins.exists()
    children = KeyResult.objects.filter(
        objective__parent_key_result=sales, objective__alignment="direct", unit="MSEK"
    )
    assert children.count() == 6  # Q1, Q2 and Q3 of "Aggressiv försäljningstillväxt"
    assert sales.current_value == sum(kr.current_value for kr in children) > 8


def test_demo_workshop_history_and_parking_lot():
    load_on_day()
    q1 = Objective.objects.filter(level="team", cycle__year=YEAR, cycle__quarter=1)
    # Every Q1 team objective went through the workshop and was approved before the quarter.
    assert q1.count() == 7 and set(q1.values_list("status", flat=True)) == {"approved"}
    for objective in q1:
        steps = list(
            objective.events.order_by("created_at", "id").values_list("to_status", flat=True)
        )
        assert steps[:2] == ["draft", "proposed"], objective.title
        assert steps[-1] == objective.status, objective.title
    campaign = q1.get(
        title="Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter"
    )
    sent_back = campaign.events.get(to_status="changes_requested")
    assert sent_back.author.email == "vilma@dpab.example" and "leads" in sent_back.comment
    assert list(
        campaign.events.order_by("created_at", "id").values_list("to_status", flat=True)
    ) == [
        "draft",
        "proposed",
        "changes_requested",
        "proposed",
        "approved",
    ]
    # The workshop and the decisions came before the quarter started.
    assert all(e.created_at.date() < campaign.cycle.start_date for e in campaign.events.all())
    # Q4's workshop is under way: Produktion's set waits for leadership, the others draft.
    q4 = Objective.objects.filter(level="team", cycle__year=YEAR, cycle__quarter=4)
    assert dict(q4.values_list("title", "status")) == {
        "Överträffa våra kunders förväntningar": "proposed",
        "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter": "draft",
        "Stå rustade för framtida ökad tillväxttakt": "draft",
    }
    waiting = q4.get(status="proposed")
    assert waiting.carried_from == q1.get(title=waiting.title)
    assert list(waiting.events.values_list("to_status", flat=True)) == ["draft", "proposed"]
    items = dict(ParkingLotItem.objects.filter(team__name="Marknad").values_list("text", "state"))
    assert items == {
        "Skriva fem blogginlägg": "converted",
        "Ha en monter på Postmässan": "open",
    }
    blog = Initiative.objects.get(title="Skriva fem blogginlägg")
    assert blog.key_result.title == "Nå 1000 beslutsfattare med vårt budskap"


def test_demo_review_history_and_closed_first_quarter():
    from datetime import timedelta

    from django.urls import reverse

    from conftest import client_for

    load_on_day()
    org = Organisation.objects.get(slug="dpab")
    q1 = Cycle.objects.get(organisation=org, kind="quarter", year=YEAR, quarter=1)
    reviews = list(Review.objects.filter(organisation=org).order_by("date"))
    in_q1 = [r for r in reviews if q1.start_date <= r.date <= q1.end_date]
    # Every second Monday from the first week of the year up to DAY, closed with snapshots.
    assert [r.date for r in in_q1][:2] == [date(2026, 1, 5), date(2026, 1, 19)]
    assert len(in_q1) == 7 and reviews[-1].date == DAY
    assert all(r.is_closed for r in reviews)
    assert all(
        b.date - a.date == timedelta(weeks=2) for a, b in zip(in_q1, in_q1[1:], strict=False)
    )
    assert all(r.date.weekday() == org.review_weekday for r in reviews)
    for review in reviews:
        assert ReviewKeyResult.objects.filter(review=review).count() >= 5
        assert ReviewEntry.objects.filter(review=review).exists()
    assert ReviewEntry.objects.filter(
        kind="decision", text__startswith="Produktion får resurser"
    ).exists()
    # The first quarter is closed with scores as of its end plus the grace period.
    q1.refresh_from_db()
    assert q1.state == "closed"
    assert q1.closed_at.date() == q1.end_date + timedelta(days=8)
    team_objectives = Objective.objects.filter(cycle=q1, status="approved")
    assert Score.objects.filter(objective__in=team_objectives).count() == team_objectives.count()
    website = Score.objects.get(key_result__title="Lansera översatt hemsida senast 15/2")
    assert website.computed == 1.0
    catalogue = Score.objects.get(
        key_result__title="Produktkatalog på norska till tryck senast 15/3"
    )
    assert catalogue.computed == 0.0
    assert RetrospectiveNote.objects.filter(cycle=q1, team__name="Produktion").exists()
    assert Cycle.objects.get(organisation=org, year=YEAR, quarter=2).state == "closed"
    # The pages show it.
    with on_day():
        vilma = client_for(User.objects.get(email="vilma@dpab.example"))
        listing = vilma.get(reverse("okr:reviews", args=["dpab"])).content.decode()
        assert all(reverse("okr:review", args=["dpab", r.uuid]) in listing for r in reviews)
        march = next(r for r in in_q1 if r.date == date(2026, 3, 2))
        page = vilma.get(reverse("okr:review", args=["dpab", march.uuid]))
        assert page.status_code == 200
        assert "Produktkatalogen flyttas till Q2" in page.content.decode()
        close = vilma.get(reverse("okr:quarter_close", args=["dpab"]) + f"?cycle={q1.uuid}")
        assert close.status_code == 200 and "Felfri hantering" in close.content.decode()


def test_demo_current_quarter_carries_on_from_the_ones_before():
    load_on_day()
    with on_day():
        today = calendar.today(Organisation.objects.get(slug="dpab"))
    assert today == DAY
    current = Objective.objects.filter(
        level="team", cycle__start_date__lte=today, cycle__end_date__gte=today
    )
    assert current.count() == 3
    for objective in current:
        assert objective.status == "approved"
        # Q3 carries on from Q2, which carried on from Q1.
        assert objective.carried_from.cycle.quarter == 2
        assert objective.carried_from.carried_from.cycle.quarter == 1
        assert objective.carried_from.title == objective.title
    per_krs = KeyResult.objects.filter(owner__email="per@dpab.example", objective__in=current)
    assert per_krs.count() == 2
    assert all(kr.check_ins.exists() for kr in per_krs)
