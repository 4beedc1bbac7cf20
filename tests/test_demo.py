"""`manage.py load_demo`: everything in dpab.md, verbatim, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, Team, TeamMembership, User
from okr.models import CheckIn, Cycle, KeyResult, Objective

pytestmark = pytest.mark.django_db


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
            )
        ),
        "check_ins": CheckIn.objects.count(),
    }


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
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
    call_command("load_demo", stdout=StringIO())
    strategic = set(Objective.objects.filter(level="strategic").values_list("title", flat=True))
    assert strategic == {
        "Kommande år vårt starkaste tillväxtår någonsin",
        "Leverera branschens bästa upplevelse",
        "Marknadstest i Norge",
    }
    sales = KeyResult.objects.get(title="20MSEK försäljning till nya kunder")
    assert sales.commitment == "committed" and sales.target_value == 20 and sales.unit == "MSEK"
    churn = KeyResult.objects.get(title="5% churn")
    assert (churn.direction, churn.start_value, churn.target_value) == ("decrease", 15, 5)
    nps = KeyResult.objects.get(title="Rullande 3-månaders NPS på X")
    assert nps.is_pending and nps.progress is None
    team = Objective.objects.filter(level="team")
    assert team.count() == 7
    assert not team.filter(parent_objective=None, parent_key_result=None).exists()
    aggressive = Objective.objects.get(title="Aggressiv försäljningstillväxt")
    assert aggressive.parent_key_result == sales and aggressive.alignment == "direct"
    assert aggressive.cycle.kind == "quarter" and aggressive.cycle.quarter == 1
    milestone = KeyResult.objects.get(title="Lansera översatt hemsida senast 15/2")
    assert (
        milestone.kind == "milestone"
        and milestone.due_date.month == 2
        and milestone.due_date.day == 15
    )
    assert (
        KeyResult.objects.get(title="Merförsäljning om 1,5MSEK till befintliga kunder").target_value
        == 1.5
    )
    # Every check-in history is ordered and the key result follows its latest check-in.
    for kr in KeyResult.objects.filter(kind="metric").exclude(target_value=None):
        latest = kr.check_ins.order_by("-created_at").first()
        assert latest is not None
        assert kr.current_value == latest.value
