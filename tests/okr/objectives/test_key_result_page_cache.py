"""The key result page comes in parts cached per revision (``okr.objectives.key_result_page``).

* Each viewer sees the controls the policy gives them, whoever saw the page first: the
  check-in and initiative forms, each comment's edit and remove, the dependencies' forms,
  the quarterly steps form.
* A write shows on the next request: a check-in, an initiative, a comment, a new name, a
  person who now leads a team.
* Each response carries its requester's own CSRF token (never a cached one), and it works.
* The HTMX refresh of the check-in section is the page's own section.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import TeamMembership
from accounts.revision import CSRF_PLACEHOLDER
from alignment import services as alignment_services
from conftest import client_for
from okr.conversation import services as conversation
from okr.lib import calendar
from okr.models import CheckIn
from okr.objectives import services
from tests.okr.objectives.test_detail_pages import HTMX, world  # noqa: F401 - fixture
from tests.support.factories import (
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHECK_IN_FORM = 'class="card check-in-form"'
INITIATIVE_FORM = 'class="card initiative-form"'


def page(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def in_order(first, viewers: dict) -> list:
    """The viewers with ``first`` first."""
    return [first, *(v for v in viewers if v is not first)]


@pytest.mark.parametrize("first", ["owner", "reader"])
def test_only_who_may_check_in_and_add_initiatives_sees_the_forms(world, first):  # noqa: F811
    InitiativeFactory(key_result=world.kr, title="Norsk webbplats")
    url = world.url("key_result_detail", world.kr.uuid)
    viewers = {world.per: True, world.cast.member: False}  # the owner, a plain member
    order = in_order(world.per if first == "owner" else world.cast.member, viewers)
    for _ in range(2):  # rendered for the first, then from the cache
        for user in order:
            html = page(client_for(user), url)
            assert "Norsk webbplats" in html
            assert (CHECK_IN_FORM in html) is viewers[user], user
            assert (INITIATIVE_FORM in html) is viewers[user], user
            assert ('name="status"' in html) is viewers[user], user  # change an initiative
            section = page(client_for(user), url, **HTMX)
            assert (CHECK_IN_FORM in section) is viewers[user], user


@pytest.mark.parametrize("first", [0, 1, 2])
def test_each_sees_the_comment_controls_the_policy_gives_them(world, first):  # noqa: F811
    comment = conversation.comment_create(
        target=world.kr, author=world.cast.member, text="Bra jobbat"
    )
    edit = reverse("okr:comment_edit", args=["acme", comment.uuid])
    remove = reverse("okr:comment_delete", args=["acme", comment.uuid])
    # (may edit, may remove): the author both, an admin removes any, anyone else neither.
    viewers = {
        world.cast.member: (True, True),
        world.cast.admin: (False, True),
        world.per: (False, False),
    }
    url = world.url("key_result_detail", world.kr.uuid)
    for _ in range(2):
        for user in in_order(list(viewers)[first], viewers):
            html = page(client_for(user), url)
            assert "Bra jobbat" in html
            assert (edit in html, remove in html) == viewers[user], user


@pytest.fixture
def dependency(cast):
    """A team key result that needs another team's: its team's lead manages it, a member not."""
    _year, quarter = year_and_quarter(cast.org)
    sales = TeamFactory(organisation=cast.org, name="Försäljning")
    marknad = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=sales, user=cast.member)
    needing = ObjectiveFactory(
        organisation=cast.org, level="team", team=sales, cycle=quarter, status="approved"
    )
    delivering = ObjectiveFactory(
        organisation=cast.org, level="team", team=marknad, cycle=quarter, status="approved"
    )
    recruit = KeyResultFactory(objective=needing, title="Rekrytera 2 norska säljare")
    dep = alignment_services.dependency_create(
        organisation=cast.org,
        needing_objective=needing,
        delivering_objective=delivering,
        needing_key_result=recruit,
        description="Katalogen på norska.",
        needed_by=calendar.today(cast.org) + timedelta(days=20),
        created_by=cast.member,
    )
    return recruit, dep, sales


@pytest.mark.parametrize("first", ["leader", "member"])
def test_only_who_manages_a_dependency_sees_its_forms(cast, dependency, first):
    recruit, dep, _sales = dependency
    url = reverse("okr:key_result_detail", args=["acme", recruit.uuid])
    manage = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    viewers = {cast.leader: True, cast.member: False}  # leadership; a member of the team
    order = in_order(cast.leader if first == "leader" else cast.member, viewers)
    for _ in range(2):
        for user in order:
            html = page(client_for(user), url)
            assert "Katalogen på norska." in html
            assert (manage in html) is viewers[user], user


def test_a_member_who_now_leads_the_team_manages_its_dependencies_at_once(cast, dependency):
    recruit, dep, sales = dependency
    url = reverse("okr:key_result_detail", args=["acme", recruit.uuid])
    manage = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    client = client_for(cast.member)
    assert manage not in page(client, url)
    membership = TeamMembership.objects.get(team=sales, user=cast.member)
    membership.is_lead = True
    membership.save()
    assert manage in page(client, url)


@pytest.mark.parametrize("first", ["leader", "member"])
def test_only_leadership_sees_the_quarterly_steps_form(cast, first):
    year, _quarter = year_and_quarter(cast.org)
    kr = metric_kr(strategic_objective(cast.org, year), title="20MSEK", target=20)
    url = reverse("okr:key_result_detail", args=["acme", kr.uuid])
    viewers = {cast.leader: True, cast.member: False}
    order = in_order(cast.leader if first == "leader" else cast.member, viewers)
    for _ in range(2):
        for user in order:
            html = page(client_for(user), url)
            assert "Quarterly steps" in html
            assert ('class="card steps-form"' in html) is viewers[user], user


def test_a_write_shows_on_the_next_request(world):  # noqa: F811
    url = world.url("key_result_detail", world.kr.uuid)
    client = client_for(world.cast.member)
    html = page(client, url)
    assert "Norsk webbplats" not in html and "Snyggt!" not in html
    services.check_in_record(
        key_result=world.kr, author=world.per, confidence="on_track", value=Decimal(7), note="Sju"
    )
    assert "Sju" in page(client, url)
    InitiativeFactory(key_result=world.kr, title="Norsk webbplats")
    assert "Norsk webbplats" in page(client, url)
    conversation.comment_create(target=world.kr, author=world.cast.leader, text="Snyggt!")
    assert "Snyggt!" in page(client, url)
    world.per.name = "Per Pettersson"  # the key result's owner, in the facts at the top
    world.per.save()
    assert "Per Pettersson" in page(client, url)


def test_each_response_carries_the_requesters_own_token_and_it_works(world):  # noqa: F811
    url = world.url("key_result_detail", world.kr.uuid)
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(world.cast.admin)
    page(admin, url)  # the parts are cached now, rendered for the admin's request
    owner = Client(enforce_csrf_checks=True)
    owner.force_login(world.per)
    html = page(owner, url)
    assert CSRF_PLACEHOLDER not in html
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # one token in the response, in every form
    response = owner.post(
        world.url("key_result_check_in", world.kr.uuid),
        {"csrfmiddlewaretoken": tokens.pop(), "value": "3", "confidence": "on_track"},
    )
    assert response.status_code == 302
    assert CheckIn.objects.filter(key_result=world.kr, value=Decimal(3)).exists()
    section = page(owner, url, **HTMX)
    assert CSRF_PLACEHOLDER not in section and TOKEN.search(section)


def test_the_htmx_refresh_is_the_pages_own_section(world):  # noqa: F811
    services.check_in_record(
        key_result=world.kr, author=world.per, confidence="at_risk", value=Decimal(4), note="Fyra"
    )
    url = world.url("key_result_detail", world.kr.uuid)
    client = client_for(world.per)
    for _ in range(2):
        html = TOKEN.sub("T", page(client, url))
        section = TOKEN.sub("T", page(client, url, **HTMX))
        assert "Fyra" in section and CHECK_IN_FORM in section
        opening = '<section id="check-in-section" class="detail-section" aria-labelledby="progress-heading">'
        assert f"{opening}\n{section}\n</section>" in html
