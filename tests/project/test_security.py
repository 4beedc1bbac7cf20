"""Hardening: CSP with nonces on every response, production headers and cookies, CSRF on every
state change and no writes on GET, login lockout, password-reset limit, sessions rotated on login
and ended when a membership is removed, size limits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from conftest import client_for
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from tests.support.factories import PASSWORD, metric_kr, strategic_objective, year_and_quarter
from tests.support.urls import every_pattern, fill, fill_any, objects_of, organisation_patterns

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    parsed = directives(policy)
    assert "unsafe-eval" not in policy
    assert "'unsafe-inline'" not in parsed.get("script-src", [])
    assert parsed["object-src"] == ["'none'"]
    assert parsed["base-uri"] == ["'none'"]
    assert parsed["frame-ancestors"] == ["'none'"]
    return parsed


# --- Content-Security-Policy ------------------------------------------------------------------


def test_csp_with_a_fresh_nonce_on_pages(cast):
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    kr = metric_kr(objective, owner=cast.member)
    anonymous = Client()
    member = client_for(cast.member)
    admin = client_for(cast.admin)
    responses = [
        anonymous.get(reverse("accounts:login")),
        anonymous.get(reverse("accounts:password_reset")),
        member.get(reverse("okr:home", args=["acme"])),
        member.get(reverse("okr:strategic", args=["acme"])),
        member.get(reverse("okr:key_result_detail", args=["acme", kr.uuid])),
        member.get(reverse("accounts:tokens")),
        admin.get(reverse("settings:organisation", args=["acme"])),
    ]
    nonces = set()
    for response in responses:
        assert response.status_code == 200
        parsed = assert_strict_csp(response)
        nonce = next(s for s in parsed["script-src"] if s.startswith("'nonce-"))[7:-1]
        html = response.content.decode()
        # Every script tag in the page carries the nonce (or is none at all).
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, tag
        assert not re.search(r"<[^>]+\sstyle=", html), "inline style attributes are blocked"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), "inline event handlers are blocked"
        nonces.add(nonce)
    assert len(nonces) == len(responses)


def test_csp_on_other_responses(cast):
    member = client_for(cast.member)
    for response in (
        member.get("/api/v1/acme/"),
        member.get("/no-such-organisation/"),
        member.get("/api/schema/"),
        member.get("/api/docs/"),
        Client().get("/api/v1/acme/"),
        member.post(reverse("okr:home", args=["acme"])),
    ):
        assert_strict_csp(response)


# --- production settings ----------------------------------------------------------------------

PRODUCTION_NAMES = [
    "DEBUG",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory) -> dict:
    """okr/settings.py as production loads it (a clean environment in a subprocess)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path_factory.mktemp("home")),
        "DJANGO_SETTINGS_MODULE": "okr.settings",
        "DEBUG": "0",
        "SECRET_KEY": "production-like-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "okr.example.com",
        "DATABASE_URL": "postgres://okr:okr@postgres:5432/okr",
        "REDIS_URL": "redis://redis:6379/0",
    }
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {PRODUCTION_NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_strict(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_HSTS_PRELOAD"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_CONTENT_TYPE_NOSNIFF"]


def test_production_headers_and_cookies(production_settings, cast):
    overrides = {k: v for k, v in production_settings.items() if k != "DEBUG"}
    overrides["SECURE_PROXY_SSL_HEADER"] = tuple(overrides["SECURE_PROXY_SSL_HEADER"])
    with override_settings(**overrides):
        client = Client()
        response = client.get(reverse("accounts:login"))
        assert response.status_code == 301 and response.url.startswith("https://")
        response = client.get(reverse("accounts:login"), secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert_strict_csp(response)
        csrf_cookie = response.cookies["csrftoken"]
        assert csrf_cookie["secure"] and csrf_cookie["samesite"] == "Lax"
        response = client.post(
            reverse("accounts:login"),
            {"username": "member@acme.example", "password": PASSWORD},
            secure=True,
        )
        assert response.status_code == 302
        session_cookie = response.cookies["sessionid"]
        assert session_cookie["secure"] and session_cookie["httponly"]
        assert session_cookie["samesite"] == "Lax"
        # Behind the proxy: the forwarded scheme counts as HTTPS, no redirect loop.
        response = client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code in (200, 302)


# --- CSRF and safe methods ---------------------------------------------------------------------


def test_every_post_without_a_csrf_token_is_refused(cast):
    codes = objects_of(cast.org, cast.admin)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    before = {model: model.objects.count() for model in (Objective, KeyResult, Cycle, Membership)}
    failures = []
    for route, name in every_pattern():
        url = fill_any(route, codes[0])
        for method in (client.post, client.put, client.patch, client.delete):
            status = method(url).status_code
            # 403: refused; 404/405: nothing there to change with this method.
            if status not in (403, 404, 405):
                failures.append((method.__name__, url, name, status))
    assert failures == []
    assert {model: model.objects.count() for model in before} == before


def test_anonymous_posts_without_csrf_are_refused():
    client = Client(enforce_csrf_checks=True)
    for name in ("accounts:login", "accounts:register", "accounts:password_reset"):
        assert client.post(reverse(name), {"username": "x"}).status_code == 403


WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
# A download is recorded in the audit log on purpose (accounts.audit): an append, not a change.
AUDIT_APPEND = 'INSERT INTO "accounts_auditevent"'


def test_get_never_writes(cast):
    """Every organisation page (and API read) answers GET without changing a row."""
    codes = objects_of(cast.org, cast.admin)
    objective = Objective.objects.filter(organisation=cast.org).first()
    kr = KeyResult.objects.filter(organisation=cast.org).first()
    from okr.objectives import services

    services.check_in_record(key_result=kr, author=cast.admin, confidence="on_track", value=3)
    client = client_for(cast.admin)
    tables = (Objective, KeyResult, CheckIn, Cycle, Initiative, Membership)
    before = {model: model.objects.count() for model in tables}
    writes = []
    for route, name in organisation_patterns():
        for code in (codes[0], kr.uuid, objective.uuid, codes[-1]):
            url = fill(route, "acme", code)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code < 500, (url, name)
            for query in captured:
                sql = query["sql"]
                if WRITES.match(sql) and "django_session" not in sql and AUDIT_APPEND not in sql:
                    writes.append((url, name, sql[:80]))
            if "code>" not in route:
                break
    assert writes == []
    assert {model: model.objects.count() for model in tables} == before


# --- login lockout and password-reset limit -------------------------------------------------------


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_locks_out_after_five_failures(cast):
    client = Client()
    for _ in range(4):
        response = login(client, "member@acme.example", "wrong")
        assert response.status_code == 200
    response = login(client, "MEMBER@acme.example", "wrong")  # case does not matter
    assert response.status_code == 429
    # Now even the right password is refused, with a page that says why.
    response = login(client, "member@acme.example", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert_strict_csp(response)
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out.
    assert login(Client(), "leader@acme.example", PASSWORD).status_code == 302
    # After the cool-off the right password works (and resets the count).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "member@acme.example", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(cast):
    client = Client()
    for _ in range(4):
        login(client, "member@acme.example", "wrong")
    assert login(client, "member@acme.example", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "member@acme.example", "wrong").status_code == 200


def test_password_reset_is_rate_limited_per_email_and_address(cast):
    from django.core.cache import cache

    cache.clear()
    client = Client()
    url = reverse("accounts:password_reset")
    for _ in range(5):
        assert client.post(url, {"email": "member@acme.example"}).status_code == 302
    assert len(mail.outbox) == 5
    response = client.post(url, {"email": " Member@ACME.example "})
    assert response.status_code == 429
    assert response["Retry-After"] == str(60 * 60)
    assert "Too many requests" in response.content.decode()
    assert (
        'value=" Member@ACME.example "' in response.content.decode()
        or "member@acme.example" in response.content.decode().lower()
    )
    assert len(mail.outbox) == 5
    # Another address from the same place is still served.
    assert client.post(url, {"email": "leader@acme.example"}).status_code == 302
    cache.clear()


def test_password_reset_works_when_the_cache_is_down(cast, monkeypatch):
    from accounts import ratelimit

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    response = Client().post(reverse("accounts:password_reset"), {"email": "member@acme.example"})
    assert response.status_code == 302


def test_password_validators_refuse_weak_passwords(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "name": "Nora",
            "email": "nora@example.org",
            "password": "12345678",
            "password1": "12345678",
            "password2": "12345678",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Session.objects.exists()


# --- sessions ---------------------------------------------------------------------------------


def test_session_key_is_rotated_on_login(cast):
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    response = login(client, "member@acme.example", PASSWORD)
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_removing_a_member_in_the_settings_ends_their_sessions(
    cast, django_capture_on_commit_callbacks
):
    member = client_for(cast.member)
    second_browser = client_for(cast.member)
    leader = client_for(cast.leader)
    membership = Membership.objects.get(organisation=cast.org, user=cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.admin).post(
            reverse("settings:member_remove", args=["acme", membership.uuid])
        )
    assert response.status_code == 302
    for client in (member, second_browser):
        response = client.get(reverse("accounts:profile"))
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert leader.get(reverse("accounts:profile")).status_code == 200


# --- sizes --------------------------------------------------------------------------------------


def test_too_big_posts_are_refused_not_500(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    year, _quarter = year_and_quarter(cast.org)
    kr = metric_kr(strategic_objective(cast.org, year), owner=cast.member)
    client = client_for(cast.member)
    response = client.post(
        reverse("okr:key_result_check_in", args=["acme", kr.uuid]),
        {"value": "1", "confidence": "on_track", "note": "x" * 20_000},
    )
    assert response.status_code in (400, 413)
    assert not CheckIn.objects.exists()
    response = client_for(cast.admin).post(
        reverse("settings:organisation", args=["acme"]),
        "name=" + "x" * 20_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 413)
    cast.org.refresh_from_db()
    assert cast.org.name == "Acme AB"
