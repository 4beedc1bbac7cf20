"""Everything under /api/ answers in the API's error shape: ``{"detail": ..., "code": ...}``.

Unknown paths (404), methods an operation does not take (405), too many failed tokens
(429), a bad request (400) and a bug (500) alike, with the message interpolated and in the
person's language.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client, override_settings
from django.utils import translation
from rest_framework import serializers

from accounts import tokens
from accounts.api.fields import Reference, members_of
from conftest import client_for
from tests.support.urls import every_pattern

pytestmark = pytest.mark.django_db

FAILING = "tests.support.failing_urls"


def assert_api_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert isinstance(body.get("code"), str)
    if code is not None:
        assert body["code"] == code
    # Interpolated: no placeholder is left in the message.
    assert not re.search(r"%\(\w+\)|\{\w+\}", body["detail"]), body["detail"]
    assert response.has_header("Content-Security-Policy")
    return body


UNKNOWN_PATHS = [
    "/api/v1/acme/dependencies/null,null/",
    "/api/v1/acme/no-such-thing/",
    "/api/v1/acme/objectives/not-a-uuid/nothing/",
    "/api/v1/",
    "/api/nothing",
    "/api/v2/acme/",
]


def test_unknown_api_paths_are_json_404(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    for client, headers in (
        (client_for(cast.member), {}),
        (client_for(cast.outsider), {}),
        (Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}),
    ):
        for path in UNKNOWN_PATHS:
            for method in (client.get, client.post, client.delete):
                assert_api_error(method(path, **headers), 404, "not_found")


def test_every_api_operation_with_a_path_that_does_not_fit_is_json(cast):
    """Each API route with junk for its id, or junk after it: an error in the API's shape."""
    admin = client_for(cast.admin)
    checked = 0
    for route, _name in every_pattern():
        if not route.startswith("api/v1/"):
            continue
        url = "/" + route.replace("<slug:org_slug>", "acme").replace("<uuid:code>", "null,null")
        for path in (url, url + "x/y/"):
            response = admin.get(path)
            if "null,null" in path or path.endswith("x/y/"):
                assert_api_error(response, 404, "not_found")
            elif response.status_code == 400:
                # A required parameter is missing (search's ``q``): the field errors' shape.
                assert response["Content-Type"].startswith("application/json")
                errors = response.json()
                assert errors and all(isinstance(v, list) and v for v in errors.values())
            elif response.status_code != 200:
                assert_api_error(response, response.status_code)
            checked += 1
    assert checked >= 50


def test_unknown_api_paths_are_json_with_debug_on_too(cast, settings):
    """`make run`: Django's debug 404 is for pages; the API keeps its JSON."""
    settings.DEBUG = True
    member = client_for(cast.member)
    for path in UNKNOWN_PATHS:
        assert_api_error(member.get(path), 404, "not_found")


def test_methods_an_operation_does_not_take_are_json_405(cast):
    member = client_for(cast.member)
    for path, method in (
        ("/api/v1/acme/", member.delete),
        ("/api/v1/acme/objectives/", member.put),
        ("/api/v1/acme/check-ins/", member.delete),
    ):
        response = method(path)
        body = assert_api_error(response, 405, "method_not_allowed")
        assert response.has_header("Allow")
        assert method.__name__.upper() in body["detail"]


@override_settings(API_TOKEN_FAILURE_RATE=(1, 600))
def test_too_many_failed_tokens_is_json_429_with_retry_after(cast):
    from django.core.cache import cache

    cache.clear()
    client = Client()
    headers = {"HTTP_AUTHORIZATION": "Bearer okr_abc_wrong", "REMOTE_ADDR": "192.0.2.9"}
    assert_api_error(client.get("/api/v1/acme/", **headers), 401)
    response = client.get("/api/v1/acme/", **headers)
    assert_api_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_a_bad_host_under_api_is_json_400(cast):
    response = client_for(cast.member).get("/api/v1/acme/", HTTP_HOST="evil.example")
    assert_api_error(response, 400, "bad_request")


@override_settings(ROOT_URLCONF=FAILING)
def test_a_bug_under_api_is_json_500(cast):
    member = Client(raise_request_exception=False)
    member.force_login(cast.member)
    for path in ("/api/test-broken/", "/api/v1/acme/test-broken/"):
        body = assert_api_error(member.get(path), 500, "server_error")
        assert "bug" not in body["detail"]  # nothing of the exception leaks


@override_settings(ROOT_URLCONF=FAILING)
def test_json_errors_are_in_the_persons_language(cast):
    cast.member.language = "sv"
    cast.member.save()
    member = Client(raise_request_exception=False)
    member.force_login(cast.member)
    assert assert_api_error(member.get("/api/nothing"), 404)["detail"] == "Hittades inte."
    assert "serverfel" in assert_api_error(member.get("/api/test-broken/"), 500)["detail"]
    body = assert_api_error(member.delete("/api/v1/acme/"), 405)
    assert body["detail"] == 'Metoden "DELETE" tillåts inte.'


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "There is no such person in this organisation."),
        ("sv", "Det finns inget objekt av typen person med det id:t i den här organisationen."),
    ],
)
def test_reference_message_is_interpolated_and_translated(cast, rf, language, expected):
    request = rf.get("/")
    request.organisation = cast.org
    field = Reference(queryset=members_of, kind="person")
    field.bind("owner", serializers.Serializer(context={"request": request}))
    with translation.override(language), pytest.raises(serializers.ValidationError) as caught:
        field.run_validation(str(uuid.uuid4()))
    assert caught.value.detail == [expected]
    assert caught.value.detail[0].code == "does_not_exist"
