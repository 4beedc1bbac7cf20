"""The security headers are on every response: pages, JSON, CSV, redirects, errors, static files.

The sweep takes every URL pattern from the resolver (tests.support.urls), so a page
added later is swept too. Requests are made over HTTPS with HSTS on, as production
serves them, by an admin (GET and POST), an outsider and an anonymous visitor.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts import tokens
from conftest import client_for
from tests.project.test_security import assert_strict_csp
from tests.support.urls import every_pattern, fill_any, objects_of

pytestmark = pytest.mark.django_db

HSTS = 60 * 60 * 24 * 365
PRODUCTION_HEADERS = override_settings(
    SECURE_HSTS_SECONDS=HSTS, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)


def missing_headers(response) -> list[str]:
    expected = {
        "Content-Security-Policy": None,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Strict-Transport-Security": f"max-age={HSTS}; includeSubDomains; preload",
    }
    missing = [
        name
        for name, value in expected.items()
        if not response.has_header(name) or (value is not None and response[name] != value)
    ]
    if "Content-Security-Policy" not in missing:
        assert_strict_csp(response)
    return missing


@PRODUCTION_HEADERS
def test_every_url_pattern_sends_the_security_headers(cast):
    codes = objects_of(cast.org, cast.admin)
    clients = {
        "admin": client_for(cast.admin),
        "outsider": client_for(cast.outsider),
        "anonymous": Client(),
    }
    for client in clients.values():
        client.raise_request_exception = False
    failures = []
    statuses = set()
    for route, name in every_pattern():
        url = fill_any(route, codes[0])
        requests = [("admin", "get"), ("admin", "post"), ("outsider", "get"), ("anonymous", "get")]
        for who, method in requests:
            response = getattr(clients[who], method)(url, secure=True)
            statuses.add(response.status_code)
            missing = missing_headers(response)
            if missing:
                failures.append((who, method, url, name, response.status_code, missing))
    assert failures == []
    # The sweep met pages, redirects and errors alike.
    assert {200, 302, 404, 405} <= statuses


@PRODUCTION_HEADERS
def test_headers_on_json_csv_static_and_token_requests(cast):
    _token, raw = tokens.token_create(user=cast.admin, organisation=cast.org, name="x")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    admin = client_for(cast.admin)
    responses = [
        Client().get("/api/v1/acme/objectives/", secure=True, **api),
        Client().get("/api/v1/acme/nothing/", secure=True, **api),
        Client().get("/api/v1/acme/", secure=True, HTTP_AUTHORIZATION="Bearer okr_x_y"),
        admin.get("/acme/export/okrs.csv", secure=True),
        admin.get("/acme/export/okrs.json", secure=True),
        Client().get("/static/css/app.css", secure=True),
        Client().get("/static/img/icon.svg", secure=True),
    ]
    for response in responses:
        assert response.status_code in (200, 401, 404)
        assert missing_headers(response) == [], response
    assert responses[0]["Content-Type"].startswith("application/json")
    assert responses[3]["Content-Type"].startswith("text/csv")


@PRODUCTION_HEADERS
def test_headers_on_errors_raised_before_any_view(cast, settings):
    """A 400 from a middleware (a bad Host header) and the HTTPS redirect get them too."""
    response = Client().get("/accounts/login/", secure=True, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert missing_headers(response) == []
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/accounts/login/")
    assert response.status_code == 301 and response.url.startswith("https://")
    assert response.has_header("Content-Security-Policy")
    assert response["X-Frame-Options"] == "DENY"


@PRODUCTION_HEADERS
@override_settings(ROOT_URLCONF="tests.support.failing_urls")
def test_headers_on_server_errors(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.member)
    for path in ("/test-broken/", "/api/test-broken/", "/api/v1/acme/test-broken/"):
        response = client.get(path, secure=True)
        assert response.status_code == 500
        assert missing_headers(response) == [], path
