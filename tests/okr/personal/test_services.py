"""Writing personal OKRs: where they go, whose they are, the pilot, and where they never show."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts import policy
from okr.closing import selectors as closing_selectors
from okr.models import Objective
from okr.objectives import selectors as objective_selectors
from okr.objectives import services as core
from okr.personal import selectors, services
from okr.reviews import selectors as review_selectors
from okr.workshop import selectors as workshop_selectors


def test_a_personal_objective_is_the_authors_live_and_in_the_parents_team(world, personal):
    assert personal.level == Objective.Level.PERSONAL
    assert personal.owner == world.cast.member
    assert personal.team == world.cast.team
    assert personal.cycle == world.quarter
    assert personal.status == Objective.Status.APPROVED
    assert personal.alignment == Objective.Alignment.INDIRECT
    kr = personal.key_results.get()
    assert kr.owner == world.cast.member


def test_under_a_team_objective_too(world):
    objective = services.personal_objective_create(
        organisation=world.cast.org,
        author=world.cast.lead,
        title="Lära mig norska",
        parent_objective=world.team_objective,
    )
    assert objective.parent_objective == world.team_objective and objective.team == world.cast.team


def test_the_pilot_off_refuses_new_ones(world, personal):
    world.cast.org.personal_okrs = False
    world.cast.org.save()
    personal.organisation.refresh_from_db()
    with pytest.raises(services.PilotOff):
        services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.member,
            title="Något nytt",
            parent_objective=world.team_objective,
        )
    with pytest.raises(ValidationError):  # the core refuses a new key result too
        core.key_result_create(objective=personal, title="Ett till", author=world.cast.member)


def test_only_under_ones_own_teams_okrs(world):
    with pytest.raises(policy.PolicyDenied):  # leadership, but not in Growth
        services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.leader,
            title="Mitt eget",
            parent_objective=world.team_objective,
        )


@pytest.mark.parametrize("parent", ["strategic", "strategic_kr", "none"])
def test_only_under_a_team_objective_or_key_result(world, parent):
    with pytest.raises(ValidationError) as caught:
        services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.member,
            title="Mitt eget",
            parent_objective=world.strategic if parent == "strategic" else None,
            parent_key_result=world.strategic_kr if parent == "strategic_kr" else None,
        )
    assert "parent" in caught.value.message_dict


def test_the_core_refuses_another_owner_and_a_parent_of_another_quarter(world, personal):
    with pytest.raises(ValidationError) as caught:
        core.objective_create(
            organisation=world.cast.org,
            cycle=world.quarter,
            level=Objective.Level.PERSONAL,
            team=world.cast.team,
            owner=world.cast.lead,
            title="Åt någon annan",
            parent_objective=world.team_objective,
            author=world.cast.member,
        )
    assert "owner" in caught.value.message_dict
    other_quarter = world.year.quarters.exclude(pk=world.quarter.pk).first()
    with pytest.raises(ValidationError) as caught:
        core.objective_create(
            organisation=world.cast.org,
            cycle=other_quarter,
            level=Objective.Level.PERSONAL,
            team=world.cast.team,
            owner=world.cast.member,
            title="Fel kvartal",
            parent_objective=world.team_objective,
            author=world.cast.member,
        )
    assert "parent" in caught.value.message_dict


def test_only_the_owner_changes_it_and_leadership_may_archive_it(world, personal):
    kr = personal.key_results.get()
    for someone in (world.cast.lead, world.cast.leader, world.cast.admin):
        with pytest.raises(policy.PolicyDenied):
            core.objective_update(
                objective=personal, version=personal.version, author=someone, title="Nej"
            )
        with pytest.raises(policy.PolicyDenied):
            core.check_in_record(key_result=kr, author=someone, confidence="on_track", value=1)
    updated = core.objective_update(
        objective=personal, version=personal.version, author=world.cast.member, title="Ja"
    )
    assert updated.title == "Ja"
    core.check_in_record(key_result=kr, author=world.cast.member, confidence="on_track", value=3)
    kr.refresh_from_db()
    assert kr.current_value == Decimal(3)
    services.personal_objective_archive(objective=updated, author=world.cast.leader)
    updated.refresh_from_db()
    assert updated.status == Objective.Status.ARCHIVED


def test_it_stays_its_owners(world, personal):
    with pytest.raises(ValidationError) as caught:
        core.objective_update(
            objective=personal,
            version=personal.version,
            author=world.cast.member,
            owner=world.cast.lead,
        )
    assert "owner" in caught.value.message_dict
    kr = personal.key_results.get()
    with pytest.raises(ValidationError):
        core.key_result_update(
            key_result=kr, version=kr.version, author=world.cast.member, owner=world.cast.lead
        )
    with pytest.raises(ValidationError):
        core.key_result_create(
            objective=personal, title="Åt Liam", owner=world.cast.lead, author=world.cast.member
        )


def test_never_in_the_workshop_the_queue_the_reviews_or_the_team_rows(world, personal):
    org, quarter = world.cast.org, world.quarter
    team_rows = objective_selectors.team_objectives(org, quarter)
    assert personal.pk not in {o.pk for o in team_rows}
    summary = objective_selectors.team_progress_summary(org, quarter, ["approved", "proposed"])
    assert [row["objectives"] for row in summary] == [1]  # Growth's one team objective
    workshop = workshop_selectors.workshop_objectives(org, world.cast.team, quarter)
    assert personal.pk not in {o.pk for o in workshop}
    assert personal.pk not in {o.pk for o in closing_selectors.cycle_objectives(quarter)}
    assert personal.pk not in {s.objective.pk for s in closing_selectors.compute_scores(quarter)}
    scope = review_selectors.scope_key_results(org, quarter.start_date)
    assert not scope.filter(objective__level=Objective.Level.PERSONAL).exists()


def test_my_parents_and_my_objectives(world, personal, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        parents = selectors.parents_for(world.cast.org, world.cast.member, world.quarter)
        tokens = [token for token, _label in parents.choices()]
    assert tokens == [f"o:{world.team_objective.uuid}", f"k:{world.team_kr.uuid}"]
    assert parents.find(tokens[1]) == (None, world.team_kr)
    assert parents.find("k:nonsense") == (None, None)
    assert selectors.parents_for(world.cast.org, world.cast.leader, world.quarter).objectives == []
    mine = selectors.personal_objectives(world.cast.org, world.cast.member, world.quarter)
    assert [o.pk for o in mine] == [personal.pk]
    assert mine[0].numbers.progress == 0


def test_it_stays_under_its_teams_okrs(world, personal):
    from tests.support.factories import ObjectiveFactory, TeamFactory

    elsewhere = ObjectiveFactory(
        organisation=world.cast.org,
        cycle=world.quarter,
        level=Objective.Level.TEAM,
        team=TeamFactory(organisation=world.cast.org),
        status=Objective.Status.APPROVED,
    )
    with pytest.raises(ValidationError) as caught:
        core.objective_update(
            objective=personal,
            version=personal.version,
            author=world.cast.member,
            parent_key_result=None,
            parent_objective=elsewhere,
        )
    assert "parent" in caught.value.message_dict
    moved = core.objective_update(
        objective=personal,
        version=personal.version,
        author=world.cast.member,
        parent_key_result=None,
        parent_objective=world.team_objective,
    )
    assert moved.parent_objective == world.team_objective
