"""Error pages: 400, 403, 404, 405 and 500 in the base layout, translated, with a next step.

And an outsider cannot tell another organisation's URLs from URLs of no organisation:
the same status and the same page, for every method (a POST-only URL asked with GET too).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBadRequest
from django.test import Client, override_settings
from django.urls import reverse

from accounts import errors
from tests.support.urls import dependency_between_two_teams, fill, objects_of, organisation_patterns

pytestmark = pytest.mark.django_db

FAILING = "tests.support.failing_urls"
ERROR_TITLES = {
    "en": {
        400: "Bad request",
        403: "Not allowed",
        404: "Page not found",
        405: "Not possible this way",
        500: "Something went wrong",
    },
    "sv": {
        400: "Felaktig begäran",
        403: "Inte tillåtet",
        404: "Sidan finns inte",
        405: "Inte möjligt på det här sättet",
        500: "Något gick fel",
    },
    "nb": {
        400: "Ugyldig forespørsel",
        403: "Ikke tillatt",
        404: "Siden finnes ikke",
        405: "Ikke mulig på denne måten",
        500: "Noe gikk galt",
    },
}


def html(response) -> str:
    return response.content.decode()


def assert_error_page(response, status: int, language: str = "en") -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = html(response)
    assert page.startswith("<!DOCTYPE html>") and 'class="site-header"' in page  # base layout
    assert f'<html lang="{language}">' in page
    assert f"<h1>{ERROR_TITLES[language][status]}</h1>" in page
    assert response.has_header("Content-Security-Policy")
    return page


def as_user(user, language: str | None = None, **kwargs) -> Client:
    if language:
        user.language = language
        user.save(update_fields=["language"])
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(user)
    return client


# --- Each page ----------------------------------------------------------------------------------


def test_404_inside_the_organisation_has_its_navigation_and_way_back(cast):
    page = assert_error_page(as_user(cast.member).get(f"/acme/objectives/{uuid.uuid4()}/"), 404)
    assert 'class="main-nav"' in page
    assert f'href="{reverse("okr:home", args=["acme"])}"' in page


def test_404_for_an_anonymous_visitor_offers_to_sign_in():
    page = assert_error_page(Client().get("/no/such/page/at/all/"), 404)
    assert f'href="{reverse("accounts:login")}?next=/no/such/page/at/all/"' in page
    assert 'class="main-nav"' not in page


def test_405_page_keeps_allow_and_the_navigation(cast):
    dependency = dependency_between_two_teams(cast.org, cast.team)
    url = reverse("alignment:dependency_state", args=["acme", dependency.uuid])
    response = as_user(cast.admin).get(url)
    page = assert_error_page(response, 405)
    assert response["Allow"] == "POST"
    assert 'class="main-nav"' in page


def test_403_csrf_failure_says_what_to_do(cast):
    client = as_user(cast.member, enforce_csrf_checks=True)
    page = assert_error_page(client.post(reverse("accounts:profile"), {"name": "x"}), 403)
    assert "reload the page" in page
    # Signed in: the account menu, and the way to one's organisations.
    assert 'class="account-menu"' in page
    assert f'href="{reverse("accounts:home")}"' in page


@override_settings(ROOT_URLCONF=FAILING)
def test_403_and_500_pages(cast):
    client = as_user(cast.member)
    assert_error_page(client.get("/test-forbidden/"), 403)
    page = assert_error_page(client.get("/test-broken/"), 500)
    assert "a bug" not in page
    assert f'href="{reverse("accounts:home")}"' in page


@override_settings(ROOT_URLCONF=FAILING)
def test_500_page_when_the_layout_itself_fails(cast, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(errors, "render", broken)
    response = as_user(cast.member).get("/test-broken/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html(response)
    assert response.has_header("Content-Security-Policy")


def test_400_page_for_a_bad_host():
    assert_error_page(Client().get("/accounts/login/", HTTP_HOST="evil.example"), 400)


def test_a_bare_bad_request_text_becomes_the_page(rf):
    """A view's one-line 400 (``HttpResponseBadRequest("Choose up or down.")``) gets the layout,
    except for htmx, whose request wants the line itself."""
    request = rf.get("/")
    request.user = AnonymousUser()
    request.htmx = False
    middleware = errors.ErrorPageMiddleware(lambda r: HttpResponseBadRequest("Choose up or down."))
    response = middleware(request)
    response.headers["Content-Security-Policy"] = "-"  # the outer middleware's, not tested here
    page = assert_error_page(response, 400)
    assert '<p role="alert">Choose up or down.</p>' in page
    request.htmx = True
    assert middleware(request).content == b"Choose up or down."


@override_settings(ROOT_URLCONF=FAILING)
@pytest.mark.parametrize("language", ["sv", "nb"])
def test_pages_are_translated(cast, language):
    client = as_user(cast.member, language)
    dependency = dependency_between_two_teams(cast.org, cast.team)
    assert_error_page(client.get(f"/acme/objectives/{uuid.uuid4()}/"), 404, language)
    assert_error_page(client.get("/test-forbidden/"), 403, language)
    assert_error_page(client.get("/test-broken/"), 500, language)
    state = reverse("alignment:dependency_state", args=["acme", dependency.uuid])
    assert_error_page(as_user(cast.admin, language).get(state), 405, language)
    # Refused before the person is known: the browser's language.
    response = client.get(
        "/accounts/login/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE=language
    )
    assert_error_page(response, 400, language)


def test_debug_mode_shows_the_apps_404_for_organisation_urls(cast, settings):
    """`make run` (DEBUG=1): an organisation URL that is not yours is the app's page, not Django's."""
    settings.DEBUG = True
    client = as_user(cast.outsider, "en")
    for url in ("/acme/", f"/acme/objectives/{uuid.uuid4()}/", "/no-such-org/alignment/"):
        assert_error_page(client.get(url), 404)


# --- Outsiders learn nothing ----------------------------------------------------------------------


def normalised(response) -> str:
    """The page without what differs per request (nonces, CSRF tokens)."""
    page = html(response)
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', page)
    page = re.sub(r'value="[A-Za-z0-9]{64}"', 'value=""', page)
    return re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', page)


def test_outsider_cannot_tell_another_organisation_from_none(cast):
    codes = objects_of(cast.org, cast.admin)
    client = as_user(cast.outsider)
    methods = ("get", "post", "put", "patch", "delete", "options")
    failures = []
    for route, name in organisation_patterns():
        theirs = fill(route, "acme", codes[0])
        nobodys = fill(route, "no-such-organisation", codes[0])
        for method in methods:
            a = getattr(client, method)(theirs)
            b = getattr(client, method)(nobodys)
            if a.status_code != 404 or b.status_code != 404:
                failures.append((method, theirs, name, a.status_code, b.status_code))
            elif normalised(a).replace("acme", "") != normalised(b).replace(
                "no-such-organisation", ""
            ):
                failures.append((method, theirs, name, "bodies differ"))
    assert failures == []
