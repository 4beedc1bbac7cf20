"""The strategic page's list is rendered once per revision for editors and once for readers:
a write shows at once, each sees their own controls, and each response carries the
requester's own CSRF token, never a cached one."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.revision import CSRF_PLACEHOLDER
from okr.models import Objective
from okr.objectives import services
from tests.support.factories import strategic_objective, year_and_quarter

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page(client) -> str:
    response = client.get(reverse("okr:strategic", args=["acme"]))
    assert response.status_code == 200
    return response.content.decode()


def test_editors_and_readers_each_get_their_own_controls_from_the_cache(cast):
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Starkast i Norden")
    edit = reverse("okr:objective_edit", args=["acme", objective.uuid])
    for _ in range(2):  # rendered, then from the cache
        assert edit in page(strict_client(cast.leader))
        reader = page(strict_client(cast.member))
        assert "Starkast i Norden" in reader and edit not in reader


def test_each_response_carries_the_requesters_token_which_works(cast):
    year, _ = year_and_quarter(cast.org)
    first = strategic_objective(cast.org, year, title="Starkast i Norden")
    strategic_objective(cast.org, year, title="Nöjdast kunder")
    admin, leader = strict_client(cast.admin), strict_client(cast.leader)
    page(admin)  # the list is cached now, rendered for the admin's request
    body = page(leader)
    assert CSRF_PLACEHOLDER not in body
    tokens = set(TOKEN.findall(body))
    assert tokens  # archive and move forms
    # The leader's own token (from the cached list) is accepted for the leader's session.
    archive = reverse("okr:objective_archive", args=["acme", first.uuid])
    response = leader.post(archive, {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code in (200, 302)
    first.refresh_from_db()
    assert first.status == Objective.Status.ARCHIVED


def test_a_write_shows_on_the_next_request(cast):
    year, _ = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Starkast i Norden")
    client = strict_client(cast.member)
    assert "Starkast i Norden" in page(client)
    services.objective_update(
        objective=objective, version=objective.version, author=cast.leader, title="Störst i Norden"
    )
    body = page(client)
    assert "Störst i Norden" in body and "Starkast i Norden" not in body


def test_the_empty_new_objective_form_is_shared_by_editors_and_hidden_from_readers(cast):
    year, _ = year_and_quarter(cast.org)
    new = reverse("okr:objective_new", args=["acme"])
    admin, leader = strict_client(cast.admin), strict_client(cast.leader)
    assert f'action="{new}"' in page(admin)  # rendered for the admin, kept
    body = page(leader)  # from the kept copy, with the leader's own token
    assert f'action="{new}"' in body and CSRF_PLACEHOLDER not in body
    assert f'action="{new}"' not in page(strict_client(cast.member))
    form = body[body.index(f'action="{new}"') :]
    token = TOKEN.search(form).group(1)
    response = leader.post(
        new, {"csrfmiddlewaretoken": token, "year": year.year, "title": "Störst i Norden"}
    )
    assert response.status_code in (200, 302)
    assert Objective.objects.filter(title="Störst i Norden", cycle__year=year.year).exists()
    assert "Störst i Norden" in page(leader)  # and it shows at once
