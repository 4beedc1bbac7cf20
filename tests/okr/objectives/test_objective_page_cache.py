"""The objective page comes in parts cached per revision (``okr.objectives.objective_page``).

* Each viewer sees the controls the policy gives them, whoever saw the page first: each
  comment's edit and remove, the dependencies' forms. (The page has no edit, archive or
  check-in controls of its own: they are on the workshop and the key result pages.)
* A write shows on the next request: a key result's check-in, a new aligned team objective,
  a comment, a new name, a person who now leads a team, an edit in the history.
* Each response carries its requester's own CSRF token (never a cached one), and it works.
* The pages of aligned team objectives (``?children=``, a junk number reads as the first).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import TeamMembership
from accounts.revision import CSRF_PLACEHOLDER
from conftest import client_for
from okr.conversation import services as conversation
from okr.models import Comment
from okr.objectives import services
from okr.objectives.selectors_detail import CHILDREN_PER_PAGE
from tests.okr.objectives.test_detail_pages import world  # noqa: F401 - fixture
from tests.okr.objectives.test_key_result_page_cache import (  # noqa: F401 - fixture
    TOKEN,
    dependency,
    in_order,
    page,
)
from tests.support.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db

#: What differs per response: the scripts' nonce, the CSRF token in htmx's headers.
NONCE = re.compile(r'nonce="[^"]+"|"X-CSRFToken": "[^"]+"')


def mask(html: str) -> str:
    """The page without what differs per response (the CSRF tokens, the scripts' nonce)."""
    return NONCE.sub("N", TOKEN.sub("T", html))


@pytest.mark.parametrize("first", [0, 1, 2])
def test_each_sees_the_comment_controls_the_policy_gives_them(world, first):  # noqa: F811
    comment = conversation.comment_create(
        target=world.strategic, author=world.cast.member, text="Bra jobbat"
    )
    edit = reverse("okr:comment_edit", args=["acme", comment.uuid])
    remove = reverse("okr:comment_delete", args=["acme", comment.uuid])
    # (may edit, may remove): the author both, an admin removes any, anyone else neither.
    viewers = {
        world.cast.member: (True, True),
        world.cast.admin: (False, True),
        world.per: (False, False),
    }
    url = world.url("objective_detail", world.strategic.uuid)
    for _ in range(2):  # rendered for the first, then from the cache
        for user in in_order(list(viewers)[first], viewers):
            html = page(client_for(user), url)
            assert "Bra jobbat" in html
            assert (edit in html, remove in html) == viewers[user], user
            assert 'class="card comment-form"' in html  # every member comments


@pytest.mark.parametrize("first", ["leader", "member"])
def test_only_who_manages_a_dependency_sees_its_forms(cast, dependency, first):  # noqa: F811
    recruit, dep, _sales = dependency
    url = reverse("okr:objective_detail", args=["acme", recruit.objective.uuid])
    manage = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    viewers = {cast.leader: True, cast.member: False}  # leadership; a member of the team
    order = in_order(cast.leader if first == "leader" else cast.member, viewers)
    for _ in range(2):
        for user in order:
            html = page(client_for(user), url)
            assert "Katalogen på norska." in html
            assert (manage in html) is viewers[user], user
            # The forms come back to the page they were sent from.
            assert (f'value="{url}"' in html) is viewers[user], user


def test_a_member_who_now_leads_the_team_manages_its_dependencies_at_once(cast, dependency):  # noqa: F811
    recruit, dep, sales = dependency
    url = reverse("okr:objective_detail", args=["acme", recruit.objective.uuid])
    manage = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    client = client_for(cast.member)
    assert manage not in page(client, url)
    membership = TeamMembership.objects.get(team=sales, user=cast.member)
    membership.is_lead = True
    membership.save()
    assert manage in page(client, url)


def test_a_write_shows_on_the_next_request(world):  # noqa: F811
    url = world.url("objective_detail", world.strategic.uuid)
    client = client_for(world.cast.member)
    html = page(client, url)
    assert "Snyggt!" not in html and "Säljstöd i Danmark" not in html
    seven = 'data-progress="70"'  # the key result's progress, 7 of 10
    assert seven not in html
    services.check_in_record(
        key_result=world.kr, author=world.per, confidence="on_track", value=Decimal(7), note="Sju"
    )
    assert seven in page(client, url)
    ObjectiveFactory(
        organisation=world.cast.org,
        level="team",
        team=world.team_objective.team,
        title="Säljstöd i Danmark",
        parent_key_result=world.kr,
        status="approved",
    )
    assert "Säljstöd i Danmark" in page(client, url)
    conversation.comment_create(target=world.strategic, author=world.cast.leader, text="Snyggt!")
    assert "Snyggt!" in page(client, url)
    world.per.name = "Per Pettersson"  # the key result's owner, in the table
    world.per.save()
    assert "Per Pettersson" in page(client, url)
    strategic = services.objective_update(
        objective=world.strategic, version=world.strategic.version, title="Marknadstest i Danmark"
    )
    html = page(client, url)
    assert "Marknadstest i Danmark" in html
    assert '<span class="history-new">Marknadstest i Danmark</span>' in html
    assert strategic.title in html


def test_each_response_carries_the_requesters_own_token_and_it_works(world):  # noqa: F811
    url = world.url("objective_detail", world.strategic.uuid)
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(world.cast.admin)
    page(admin, url)  # the parts are cached now, rendered for the admin's request
    member = Client(enforce_csrf_checks=True)
    member.force_login(world.cast.member)
    html = page(member, url)
    assert CSRF_PLACEHOLDER not in html
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # one token in the response, in every form
    response = member.post(
        reverse("okr:objective_comments", args=["acme", world.strategic.uuid]),
        {"csrfmiddlewaretoken": tokens.pop(), "text": "Med token"},
    )
    assert response.status_code in (200, 302)
    assert Comment.objects.filter(objective=world.strategic, text="Med token").exists()
    assert "Med token" in page(member, url)


def test_each_page_of_aligned_objectives_is_its_own(world):  # noqa: F811
    for i in range(CHILDREN_PER_PAGE):  # with the fixture's own: one more than a page
        ObjectiveFactory(
            organisation=world.cast.org,
            level="team",
            team=world.team_objective.team,
            title=f"Lag {i:02}",
            parent_objective=world.strategic,
            status="approved",
        )
    url = world.url("objective_detail", world.strategic.uuid)
    client = client_for(world.per)
    first, second = page(client, url), page(client, f"{url}?children=2")
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    junk = page(client, f"{url}?children=abc")
    assert "Page 1 of 2" in junk
    assert mask(junk) == mask(first)
    assert page(client, f"{url}?children=99").count("Page 2 of 2") == 1  # the last page
