"""A new organisation's home page shows its first steps until every one is done."""

import pytest
from django.urls import reverse

from accounts import services
from conftest import client_for
from okr.models import Objective
from okr.objectives.first_steps import first_steps
from tests.support.factories import (
    InvitationFactory,
    ObjectiveFactory,
    TeamFactory,
    UserFactory,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db

STEP_LINKS = [
    ("settings:organisation", "Write the vision and mission"),
    ("okr:strategic", "Set the year's strategic OKRs"),
    ("settings:teams", "Create the teams"),
    ("settings:invitations", "Invite people"),
    ("okr:workshop", "Hold the first workshop"),
]


@pytest.fixture
def founder():
    return UserFactory(email="nora@new.example", name="Nora", language="en")


@pytest.fixture
def new_org(founder):
    return services.organisation_create(user=founder, name="Nora AS", slug="nora", language="en")


def home(client, slug="nora") -> str:
    response = client.get(reverse("okr:home", args=[slug]))
    assert response.status_code == 200
    return body(response)


def test_a_new_organisation_shows_every_step_with_its_link(founder, new_org):
    page = home(client_for(founder))
    assert "Get started" in page
    assert "0 of 5 steps done" in page
    for name, title in STEP_LINKS:
        link = f'<a href="{reverse(name, args=["nora"])}">{title}</a>'
        assert link in page, name
    assert page.count("Not done yet") == 5


def test_each_step_is_done_by_doing_it_and_the_list_goes_away(founder, new_org):
    client = client_for(founder)
    steps = first_steps(new_org)
    assert (steps.vision, steps.strategic, steps.teams, steps.people, steps.workshop) == (
        False,
        False,
        False,
        False,
        False,
    )

    new_org.vision = "Snabb och miljövänlig kommunikation"
    new_org.save()
    assert not first_steps(new_org).vision  # the mission too
    new_org.mission = "Att vara den föredragna partnern"
    new_org.save()
    assert first_steps(new_org).vision

    year, quarter = year_and_quarter(new_org)
    archived = strategic_objective(new_org, year, title="Ett gammalt mål")
    archived.status = Objective.Status.ARCHIVED
    archived.save()
    assert not first_steps(new_org).strategic
    strategic_objective(new_org, year)
    assert first_steps(new_org).strategic

    team = TeamFactory(organisation=new_org, name="Marknad")
    assert first_steps(new_org).teams

    revoked = InvitationFactory(organisation=new_org, email="gone@new.example")
    revoked.revoked_at = revoked.created_at
    revoked.save()
    assert not first_steps(new_org).people
    InvitationFactory(organisation=new_org, email="per@new.example")
    assert first_steps(new_org).people

    def team_objective(status):
        return ObjectiveFactory(
            organisation=new_org, cycle=quarter, level="team", team=team, status=status
        )

    team_objective(Objective.Status.DRAFT)
    assert not first_steps(new_org).workshop  # drafted, not yet proposed
    page = home(client)
    assert "4 of 5 steps done" in page and page.count("Not done yet") == 1
    team_objective(Objective.Status.PROPOSED)
    assert first_steps(new_org).all_done
    assert "Get started" not in home(client)


def test_a_second_member_counts_as_people(founder, new_org):
    from tests.support.factories import MembershipFactory

    MembershipFactory(organisation=new_org, user=UserFactory())
    assert first_steps(new_org).people


def test_members_who_cannot_do_the_steps_do_not_see_the_list(cast):
    # Acme lacks strategic OKRs and a workshop: admins and leadership see the list.
    assert "Get started" in home(client_for(cast.admin), "acme")
    assert "Get started" in home(client_for(cast.leader), "acme")
    assert "Get started" not in home(client_for(cast.member), "acme")


def test_leadership_sees_links_only_to_what_it_may_do(cast):
    page = home(client_for(cast.leader), "acme")
    assert f'href="{reverse("okr:strategic", args=["acme"])}">Set the year' in page
    assert f'href="{reverse("settings:teams", args=["acme"])}"' not in page.split("Get started")[1]


def test_the_steps_take_one_query(new_org, django_assert_num_queries):
    with django_assert_num_queries(1):
        first_steps(new_org)
