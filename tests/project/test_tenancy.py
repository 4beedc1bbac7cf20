"""The tenancy sweep: every URL under /<org_slug>/ answers a non-member with 404.

The URL list is read from the URL resolver, so a page added later is swept
too. Each pattern is requested with GET and POST:
- by an outsider (a member of another organisation) in an organisation they are not in;
- by the organisation's own admin with the public id of *another* organisation's object
  swapped into the URL (every kind of object, so the right kind is among them);
- by an anonymous visitor, who is sent to the login page.
"""

import uuid

import pytest

from conftest import client_for
from tests.support.urls import fill, objects_of, organisation_patterns

pytestmark = pytest.mark.django_db


def test_sweep_finds_the_organisation_pages():
    names = {name for _, name in organisation_patterns()}
    assert {"okr:home", "okr:my_check_ins", "settings:organisation"} <= names


def test_outsider_gets_404_everywhere(cast):
    codes = objects_of(cast.org, cast.admin)
    client = client_for(cast.outsider)
    failures = []
    for route, name in organisation_patterns():
        url = fill(route, "acme", codes[0])
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 404:
                failures.append((method.__name__, url, name, response.status_code))
    assert failures == []


def test_unknown_organisation_is_404_not_403(cast):
    client = client_for(cast.member)
    for route, _name in organisation_patterns():
        assert client.get(fill(route, "does-not-exist", uuid.uuid4())).status_code == 404


def test_ids_of_another_organisation_are_404(cast):
    own_codes = objects_of(cast.org, cast.admin)
    foreign_codes = objects_of(cast.other_org, cast.outsider)
    client = client_for(cast.admin)  # admin and leadership: no 403 can hide a leak
    failures = []
    for route, name in organisation_patterns():
        if "code>" not in route:
            continue
        # A POST-only URL answers GET with 405 whatever the id: that tells nothing
        # about the id, so GET may be 405 when it is 405 for the organisation's own ids too.
        get_is_405 = all(
            client.get(fill(route, "acme", code)).status_code == 405 for code in own_codes
        )
        for code in [*foreign_codes, uuid.uuid4()]:
            url = fill(route, "acme", code)
            get_status = client.get(url).status_code
            if get_status != 404 and not (get_is_405 and get_status == 405):
                failures.append(("get", url, name, get_status))
            post_status = client.post(url).status_code
            if post_status != 404:
                failures.append(("post", url, name, post_status))
    assert failures == []


def test_anonymous_visitor_is_sent_to_login_everywhere(client, cast):
    codes = objects_of(cast.org, cast.admin)
    for route, name in organisation_patterns():
        url = fill(route, "acme", codes[0])
        response = client.get(url)
        if url.startswith("/api/"):
            # The API answers (no redirect to a login page): 401 with a Bearer challenge.
            assert response.status_code in (401, 403), (url, name)
            continue
        assert response.status_code == 302, (url, name)
        assert response.url.startswith("/accounts/login/"), (url, name)
