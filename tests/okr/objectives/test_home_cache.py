"""The home page's shared parts (strategic OKRs, team blocks, first steps, next review) are
read once per revision of the organisation, and what is mine (my teams' blocks, key results,
personal OKRs, actions) once per person and revision: every write through a service shows
at once, and each person still sees only their own teams, key results, actions and checklist."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts import revision
from conftest import client_for
from okr.lib import calendar
from okr.models import Review, ReviewEntry
from okr.objectives import services
from okr.reviews import services as review_services
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


# --- Mine: once per person and revision ----------------------------------------------------------


def action(cast, owner, text, due=None):
    review = Review.objects.filter(organisation=cast.org).first() or Review.objects.create(
        organisation=cast.org, date=calendar.today(cast.org)
    )
    return review_services.review_entry_add(
        review=review, team=None, kind="decision", text=text, author=None, owner=owner, due_date=due
    )


@pytest.mark.parametrize("first", ["member", "lead", "leader"])
def test_each_person_sees_their_own_rows_and_controls_whoever_came_first(cast, first):
    # Two members with the same role and teams, and leadership (who may mark anyone's done).
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Växa i Norden")
    people = {"member": cast.member, "lead": cast.lead, "leader": cast.leader}
    krs, actions = {}, {}
    for name, user in people.items():
        krs[name] = metric_kr(objective, title=f"Nyckelresultat ({name})", owner=user)
        actions[name] = action(cast, user, f"Åtgärd ({name})")
    clients = {name: _csrf_client(user) for name, user in people.items()}
    order = [first, *(name for name in people if name != first)]
    pages = {name: clients[name].get(reverse("okr:home", args=["acme"])) for name in order}
    for name in people:
        body = _mine(pages[name])  # the strategic OKRs above show every key result
        for other in people:
            assert (krs[other].title in body) == (other == name)
            assert (actions[other].text in body) == (other == name)
        assert revision.CSRF_PLACEHOLDER not in body
    # Each page's "mark done" form carries its own viewer's token, so it works for them.
    for name in order:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _actions(pages[name]))
        done = reverse("okr:review_action_done", args=["acme", actions[name].uuid])
        response = clients[name].post(done, {"csrfmiddlewaretoken": token.group(1), "done": "1"})
        assert response.status_code == 302
        assert ReviewEntry.objects.get(pk=actions[name].pk).done_at is not None
        assert actions[name].text not in home(people[name])  # the write shows at once


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _mine(response) -> str:
    body = response.content.decode()
    return body[body.index('<section aria-labelledby="mine-heading">') :]


def _actions(response) -> str:
    body = response.content.decode()
    return body[body.index('<section class="my-actions"') :]


def test_a_new_key_result_of_mine_and_the_next_day_show_without_waiting(cast, monkeypatch):
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Växa i Norden")
    metric_kr(objective, title="Första nyckelresultatet", owner=cast.member, target=10)
    today = calendar.today(cast.org)
    action(cast, cast.member, "Boka kundmötet", due=today)
    body = home(cast.member)
    assert "Första nyckelresultatet" in body and "Overdue" not in body  # now cached
    metric_kr(objective, title="Andra nyckelresultatet", owner=cast.member, target=10)
    assert "Andra nyckelresultatet" in home(cast.member)
    # Tomorrow, with nothing written: the action is overdue (the day is in the key).
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(
        hour=12, tzinfo=calendar.zone_of(cast.org)
    )
    monkeypatch.setattr(calendar, "clock", lambda: tomorrow)
    assert "Overdue" in home(cast.member)


def test_mine_is_in_the_readers_language(cast):
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Växa i Norden")
    metric_kr(objective, title="Mitt nyckelresultat", owner=cast.member, target=10)
    cast.member.language = "en"
    cast.member.save(update_fields=["language"])  # a save the revision does not watch
    assert "My key results" in home(cast.member)
    cast.member.language = "sv"
    cast.member.save(update_fields=["language"])
    assert "Mina nyckelresultat" in home(cast.member)


def test_the_actions_lead_back_to_the_address_asked_for(cast):
    action(cast, cast.member, "Ringa kunden")
    client = client_for(cast.member)
    for path in ["/acme/", "/acme/?fran=mejlet", "/acme/"]:
        body = client.get(path).content.decode()
        assert f'name="next" value="{path}"' in body


def test_my_teams_blocks_follow_the_organisation_order_and_my_teams(cast):
    """The blocks come from the person's teams as the policy reads them with the membership,
    each with its team's name and place, cached with it: a new team, a renamed one and an empty
    one show as they are on the next request."""
    from accounts import services as accounts_services

    _, quarter = year_and_quarter(cast.org)
    growth = cast.member.team_memberships.get().team
    analys = TeamFactory(organisation=cast.org, name="Analys", order=growth.order)
    empty = TeamFactory(organisation=cast.org, name="Tomma laget", order=growth.order)
    TeamMembershipFactory(team=empty, user=cast.member)
    team_objective(cast, quarter, growth, "Tillväxtmål")
    team_objective(cast, quarter, analys, "Analysmål")

    def blocks() -> list[str]:
        return re.findall(r'<section class="card" aria-label="([^"]+)">', home(cast.member))

    assert blocks() == ["Growth"]  # an empty team has no block
    accounts_services.team_set_people(team=analys, leads=[], members=[cast.member])
    assert blocks() == ["Analys", "Growth"]  # same place: by name
    accounts_services.team_update(team=analys, name="Zeta", parent=None)
    assert blocks() == ["Growth", "Zeta"]
    team_objective(cast, quarter, empty, "Äntligen ett mål")
    assert blocks() == ["Growth", "Tomma laget", "Zeta"]
    accounts_services.team_set_people(team=growth, leads=[cast.lead], members=[])
    assert blocks() == ["Tomma laget", "Zeta"]
