"""Every write of what the cached pages show moves the organisation's revision."""

import pytest

from accounts import revision
from okr.models import Comment, ObjectiveEvent, ParkingLotItem
from tests.support.factories import (
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db


def _moves(org, write) -> bool:
    before = revision.current(org.pk)
    write()
    return revision.current(org.pk) != before


def test_the_workshop_and_conversation_rows_move_the_revision():
    kr = KeyResultFactory(objective=ObjectiveFactory(level="team"))
    objective, org = kr.objective, kr.objective.organisation
    author = MembershipFactory(organisation=org).user
    assert _moves(org, lambda: InitiativeFactory(key_result=kr, owner=author))
    assert _moves(
        org,
        lambda: ObjectiveEvent.objects.create(
            organisation=org, objective=objective, kind="status", to_status="proposed"
        ),
    )
    assert _moves(
        org,
        lambda: ParkingLotItem.objects.create(
            organisation=org, team=objective.team, cycle=objective.cycle, text="Later"
        ),
    )
    assert _moves(
        org,
        lambda: Comment.objects.create(
            organisation=org, objective=objective, author=author, text="Bra jobbat!"
        ),
    )


def test_joining_or_leaving_a_team_moves_the_revision_and_deleting_the_team_does_not_fail():
    team = TeamFactory()
    org = team.organisation
    membership = TeamMembershipFactory(team=team)
    assert _moves(org, lambda: setattr(membership, "is_lead", True) or membership.save())
    assert _moves(org, membership.delete)
    TeamMembershipFactory(team=team)
    assert _moves(org, team.delete)  # its memberships go first, looked up without the team
