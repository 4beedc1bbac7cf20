"""The home page's shared parts (strategic OKRs, team blocks, first steps, next review) are
read once per revision of the organisation: every write through a service shows at once,
and each person still sees only their own teams, key results and checklist."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.lib import calendar
from okr.objectives import services
from tests.support.factories import (
    TeamFactory,
    TeamMembershipFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def home(user) -> str:
    response = client_for(user).get(reverse("okr:home", args=["acme"]))
    assert response.status_code == 200
    return response.content.decode()


def team_objective(cast, quarter, team, title):
    return services.objective_create(
        organisation=cast.org,
        cycle=quarter,
        level="team",
        team=team,
        title=title,
        status="approved",
    )


def test_a_new_objective_and_a_check_in_show_on_the_next_request(cast):
    year, quarter = year_and_quarter(cast.org)
    growth = cast.member.team_memberships.get().team
    objective = team_objective(cast, quarter, growth, "Fler kunder i Bergen")
    kr = metric_kr(objective, title="40 kundmöten", owner=cast.member, target=40)
    assert "Fler kunder i Bergen" in home(cast.member)  # now cached

    team_objective(cast, quarter, growth, "Nöjdare kunder")
    services.check_in_record(
        key_result=kr, author=cast.member, confidence="on_track", value=Decimal(20)
    )
    body = home(cast.member)
    assert "Nöjdare kunder" in body
    assert 'value="50"' in body  # 20 of 40: the team block and my key results moved


def test_a_strategic_objective_renamed_shows_at_once(cast):
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Starkast i Norden")
    assert "Starkast i Norden" in home(cast.member)
    services.objective_update(
        objective=objective, version=objective.version, author=cast.leader, title="Störst i Norden"
    )
    body = home(cast.member)
    assert "Störst i Norden" in body and "Starkast i Norden" not in body


def test_each_person_sees_their_own_teams(cast):
    _, quarter = year_and_quarter(cast.org)
    growth = cast.member.team_memberships.get().team
    sales = TeamFactory(organisation=cast.org, name="Försäljning")
    TeamMembershipFactory(team=sales, user=cast.leader)
    team_objective(cast, quarter, growth, "Tillväxtmål")
    team_objective(cast, quarter, sales, "Säljmål")
    member, leader = home(cast.member), home(cast.leader)
    assert "Tillväxtmål" in member and "Säljmål" not in member
    assert "Säljmål" in leader and "Tillväxtmål" not in leader
    # The shared block is the same for both members of Growth, from the cache or not.
    assert "Tillväxtmål" in home(cast.lead) and "Säljmål" not in home(cast.lead)


def test_the_checklist_follows_an_invitation(cast):
    from accounts import services as accounts_services
    from accounts.models import Membership

    assert "steps done" not in home(cast.member)  # the checklist is for who can do its steps
    # The admin alone: "Invite people" is the step an invitation completes.
    Membership.objects.filter(organisation=cast.org).exclude(user=cast.admin).delete()
    before = home(cast.admin).count("steps done")
    done_before = _steps_done(home(cast.admin))
    accounts_services.invitation_create(
        organisation=cast.org, invited_by=cast.admin, email="ny@acme.example", role="member"
    )
    assert before == 1
    assert _steps_done(home(cast.admin)) == done_before + 1


def _steps_done(body: str) -> int:
    import re

    return int(re.search(r"(\d) of 5 steps done", body).group(1))


def test_a_moved_review_shows_on_the_next_request(cast):
    from okr.reviews import days
    from okr.reviews import services as review_services

    year_and_quarter(cast.org)
    today = calendar.today(cast.org)
    first = days.next_review(cast.org, today)
    review = review_services.review_create(organisation=cast.org, day=first.date, user=cast.leader)
    assert first.date.isoformat() in home(cast.member)
    moved = first.date + timedelta(days=1)
    review_services.review_move(review=review, day=moved, user=cast.leader)
    assert moved.isoformat() in home(cast.member)
