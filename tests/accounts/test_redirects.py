"""``next`` is followed only to a path on this site; anything else gives the page's default.

One helper (accounts.redirects.safe_next) reads it for the dependency buttons, sign-in,
sign-out and the language switch; none of them answers 500 for a strange value.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from accounts.redirects import is_same_site_path, safe_next
from alignment.models import Dependency
from conftest import client_for
from tests.support.factories import PASSWORD
from tests.support.urls import dependency_between_two_teams

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "not-a-uuid",
    "1,5",
    "😀",
    "okr:home",
    "accounts:login",
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/acme/\x00x",
    "/acme/\r\nLocation: https://evil.example/",
    "/acme/\ud800",
    " /acme/",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_give_the_default(rf, target):
    request = rf.post("/x/")
    request.POST = QueryDict(mutable=True)
    request.POST["next"] = target
    assert safe_next(request, "/default/") == "/default/"
    assert not is_same_site_path(target, rf.get("/"))


@pytest.mark.parametrize(
    "target", ["/acme/", "/acme/alignment/dependencies/?state=open#dependency-1", "/acme/å/"]
)
def test_same_site_paths_are_followed(rf, target):
    assert safe_next(rf.post("/x/", {"next": target}), "/default/") == target
    assert safe_next(rf.get("/x/", {"next": target}), "/default/") == target


@pytest.mark.parametrize("target", ["-1", "not-a-uuid", "1,5", "😀", "https://evil.example/"])
def test_dependency_buttons_with_a_bad_next_go_to_the_list(cast, target):
    dependency = dependency_between_two_teams(cast.org, cast.team)
    client = client_for(cast.leader)
    listing = reverse("alignment:dependencies", args=["acme"])
    state_url = reverse("alignment:dependency_state", args=["acme", dependency.uuid])
    response = client.post(state_url, {"state": "resolved", "next": target})
    assert response.status_code == 302
    assert response.url == f"{listing}#dependency-{dependency.uuid}"
    dependency.refresh_from_db()
    assert dependency.state == Dependency.State.RESOLVED
    delete_url = reverse("alignment:dependency_delete", args=["acme", dependency.uuid])
    response = client.post(delete_url, {"next": target})
    assert response.status_code == 302 and response.url == listing
    assert not Dependency.objects.filter(pk=dependency.pk).exists()


def test_dependency_button_follows_a_same_site_next(cast):
    dependency = dependency_between_two_teams(cast.org, cast.team)
    back = reverse("alignment:dependencies", args=["acme"]) + "?state=open"
    response = client_for(cast.leader).post(
        reverse("alignment:dependency_state", args=["acme", dependency.uuid]),
        {"state": "resolved", "next": back},
    )
    assert response.status_code == 302 and response.url == back


@pytest.mark.parametrize("target", ["-1", "😀", "https://evil.example/", "//evil.example/"])
def test_sign_in_and_out_with_a_bad_next_use_their_defaults(cast, target):
    client = Client()
    response = client.get(reverse("accounts:login"), {"next": target})
    assert response.status_code == 200
    assert f'name="next" value="{target}"' not in response.content.decode()
    response = client.post(
        reverse("accounts:login") + "?next=-1",
        {"username": "member@acme.example", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    response = client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302 and response.url == reverse("accounts:login")


def test_sign_in_follows_a_same_site_next(cast):
    response = Client().post(
        reverse("accounts:login"),
        {"username": "member@acme.example", "password": PASSWORD, "next": "/acme/"},
    )
    assert response.status_code == 302 and response.url == "/acme/"


@pytest.mark.parametrize("target", ["-1", "😀", "https://evil.example/"])
def test_language_switch_with_a_bad_next_stays_on_the_site(target):
    response = Client().post(reverse("set_language"), {"language": "nb", "next": target})
    assert response.status_code == 302
    assert response.url == "/"
