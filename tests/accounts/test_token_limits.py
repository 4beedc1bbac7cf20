"""Guessing API tokens is slowed down, bad token bytes are a 401, and the client's address is
read through the trusted proxy (login lockout and token limits alike)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts import tokens
from accounts.models import ApiToken
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT, WINDOW = 3, 600


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.API_TOKEN_FAILURE_RATE = (LIMIT, WINDOW)
    cache.clear()
    yield
    cache.clear()


def bearer(raw: str, address: str = "198.51.100.1") -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "REMOTE_ADDR": address}


def forged(prefix: str) -> str:
    return f"okr_{prefix}_{'A' * 43}"


def test_failures_from_one_address_get_429_with_retry_after(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    client = Client()
    for n in range(LIMIT):
        response = client.get("/api/v1/acme/", **bearer(forged(f"guess{n}")))
        assert response.status_code == 401
    response = client.get("/api/v1/acme/", **bearer(forged("guess9")))
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= WINDOW
    body = response.json()
    assert body["code"] == "throttled"
    assert f"{retry_after} second" in body["detail"]
    assert response["Content-Type"] == "application/json"
    # Even the right token waits from that address (a right guess must not be confirmed)...
    assert client.get("/api/v1/acme/", **bearer(raw)).status_code == 429
    # ...but another address is served.
    assert client.get("/api/v1/acme/", **bearer(raw, "198.51.100.2")).status_code == 200


def test_failures_on_one_prefix_from_many_addresses_get_429(cast):
    token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    client = Client()
    for n in range(LIMIT):
        response = client.get("/api/v1/acme/", **bearer(forged(token.prefix), f"203.0.113.{n}"))
        assert response.status_code == 401
    response = client.get("/api/v1/acme/", **bearer(forged(token.prefix), "203.0.113.99"))
    assert response.status_code == 429 and response.has_header("Retry-After")
    # Other tokens are not held up by it.
    _other, other_raw = tokens.token_create(user=cast.leader, organisation=cast.org, name="y")
    assert client.get("/api/v1/acme/", **bearer(other_raw, "203.0.113.99")).status_code == 200


def test_right_tokens_are_not_counted(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    client = Client()
    for _ in range(LIMIT * 3):
        assert client.get("/api/v1/acme/", **bearer(raw)).status_code == 200


def test_the_limit_ends_with_its_window(cast, monkeypatch):
    from accounts import ratelimit

    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    client = Client()
    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    for _ in range(LIMIT + 1):
        client.get("/api/v1/acme/", **bearer("okr_nope_nope"))
    assert client.get("/api/v1/acme/", **bearer(raw)).status_code == 429
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now + WINDOW))
    assert client.get("/api/v1/acme/", **bearer(raw)).status_code == 200


def test_the_limit_is_in_the_shared_cache_and_skipped_when_it_is_down(cast, monkeypatch):
    from accounts import ratelimit

    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "add", "incr"):
        monkeypatch.setattr(ratelimit.cache, name, broken)
    client = Client()
    for _ in range(LIMIT + 2):
        assert client.get("/api/v1/acme/", **bearer("okr_nope_nope")).status_code == 401
    assert client.get("/api/v1/acme/", **bearer(raw)).status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        "okr_ab\x00cd_x",
        "okr_abcdef1234_se\x00cret",
        "\x00",
        "okr_ab%00cd_x",
        "okr_\u00e5\u00e4\u00f6_x",
        "okr_abc_d\ud800",
    ],
)
def test_bad_bytes_in_a_token_are_401_not_500(cast, raw):
    client = Client(raise_request_exception=False)
    header = raw.encode("utf-8", "surrogatepass").decode("latin-1")
    response = client.get("/api/v1/acme/", HTTP_AUTHORIZATION=f"Bearer {header}")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_token_format_is_what_token_create_makes(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    assert tokens.parse(raw) is not None
    for junk in ("okr_ab\x00cd_x", "okr_ab cd_x", "okr_abc_d\x00", "okr_ab-c_d"):
        assert tokens.parse(junk) is None


# --- The client's address behind a trusted proxy -----------------------------------------------

BEHIND_ONE_PROXY = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    "AXES_IPWARE_PROXY_COUNT": 0,
    "AXES_IPWARE_PROXY_ORDER": "left-most",
    "IPWARE_STRICT": False,
}


def address(**meta) -> str:
    return get_client_ip_address(RequestFactory().get("/", **meta))


def test_without_a_proxy_setting_the_forwarded_header_is_ignored():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert address(**meta) == "10.0.0.1"


@override_settings(**BEHIND_ONE_PROXY)
def test_behind_one_proxy_the_address_it_forwarded_counts():
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert address(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5") == "203.0.113.5"
    # A client that writes its own header cannot choose its address: the proxy appended the real one.
    assert address(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.5") == "203.0.113.5"
    assert address(**proxy) == "10.0.0.1"


@override_settings(
    **{**BEHIND_ONE_PROXY, "AXES_IPWARE_PROXY_COUNT": 1}  # two proxies: TRUSTED_PROXY_COUNT=2
)
def test_behind_two_proxies_the_outer_ones_entry_counts():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.66, 203.0.113.5, 10.0.0.1"}
    assert address(**meta) == "203.0.113.5"


@override_settings(**BEHIND_ONE_PROXY)
def test_login_lockout_behind_a_proxy_is_per_client(cast):
    def attempt(client_address: str, password: str = PASSWORD + "-wrong"):
        return Client().post(
            reverse("accounts:login"),
            {"username": "member@acme.example", "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        attempt("203.0.113.5")
    locked = attempt("203.0.113.5", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    # Another client behind the same proxy is not locked out with the first one.
    assert attempt("203.0.113.6", PASSWORD).status_code == 302


@override_settings(**BEHIND_ONE_PROXY)
def test_token_limit_behind_a_proxy_is_per_client(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    client = Client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(LIMIT):
        client.get(
            "/api/v1/acme/",
            HTTP_AUTHORIZATION="Bearer okr_nope_nope",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
            **proxy,
        )
    other = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_X_FORWARDED_FOR": "203.0.113.6"}
    assert client.get("/api/v1/acme/", **other, **proxy).status_code == 200
    same = {**other, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client.get("/api/v1/acme/", **same, **proxy).status_code == 429
