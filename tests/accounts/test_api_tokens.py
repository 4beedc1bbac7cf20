"""Personal API tokens: made in the UI for one organisation, shown once, stored hashed, revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from conftest import client_for
from tests.support.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"okr_[0-9a-f]{10}_[A-Za-z0-9_-]{43}")


def make_in_ui(user, organisation, name="Rapporter", expires="90"):
    client = client_for(user)
    response = client.post(
        reverse("accounts:tokens"),
        {"name": name, "organisation": str(organisation.uuid), "expires_in": expires},
    )
    return client, response


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_is_shown_once_and_stored_hashed(cast):
    client, response = make_in_ui(cast.member, cast.org)
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    raw = TOKEN_RE.search(page).group(0)
    token = ApiToken.objects.get(user=cast.member)
    prefix, secret = raw.split("_", 2)[1:]
    assert token.prefix == prefix and token.organisation == cast.org
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.expires_at - timezone.now() > timedelta(days=89)
    # Listed afterwards by name and prefix only.
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Rapporter" in listing and f"okr_{prefix}_" in listing and secret not in listing
    # It works for its organisation.
    response = Client().get("/api/v1/acme/objectives/", **bearer(raw))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_own_organisations_can_be_chosen(cast):
    client, response = make_in_ui(cast.member, cast.other_org)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(tokens.TokenError):
        tokens.token_create(user=cast.member, organisation=cast.other_org, name="x")


def test_bad_form_input_keeps_what_was_typed(cast):
    client = client_for(cast.member)
    response = client.post(
        reverse("accounts:tokens"),
        {"name": "", "organisation": "nope", "expires_in": "7"},
    )
    assert response.status_code == 200
    assert response.content.decode().count('aria-invalid="true"') == 3
    assert not ApiToken.objects.exists()


def test_revoke(cast):
    client, response = make_in_ui(cast.member, cast.org)
    raw = TOKEN_RE.search(response.content.decode()).group(0)
    token = ApiToken.objects.get()
    revoke = reverse("accounts:token_revoke", args=[token.uuid])
    assert client.get(revoke).status_code == 405
    # Someone else cannot revoke it (and cannot tell it exists).
    assert client_for(cast.admin).post(revoke).status_code == 404
    response = client.post(revoke)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/acme/", **bearer(raw)).status_code == 401
    assert "Revoked" in client.get(reverse("accounts:tokens")).content.decode()
    # Revoking again changes nothing.
    first = token.revoked_at
    client.post(revoke)
    token.refresh_from_db()
    assert token.revoked_at == first


def test_expired_token_is_401(cast):
    token, raw = tokens.token_create(
        user=cast.member, organisation=cast.org, name="kort", expires_in_days=1
    )
    assert Client().get("/api/v1/acme/", **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/acme/", **bearer(raw)).status_code == 401


def test_never_expiring_token(cast):
    client, response = make_in_ui(cast.member, cast.org, expires="")
    assert response.status_code == 201
    assert ApiToken.objects.get().expires_at is None


def test_token_of_another_organisation_is_404(cast):
    MembershipFactory(organisation=cast.other_org, user=cast.member)
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.other_org, name="x")
    assert Client().get("/api/v1/other/", **bearer(raw)).status_code == 200
    assert Client().get("/api/v1/acme/", **bearer(raw)).status_code == 404


def test_wrong_secret_with_a_real_prefix_is_401(cast):
    token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    forged = f"okr_{token.prefix}_{'A' * 43}"
    assert Client().get("/api/v1/acme/", **bearer(forged)).status_code == 401


def test_inactive_user_token_is_401(cast):
    _token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    cast.member.is_active = False
    cast.member.save()
    assert Client().get("/api/v1/acme/", **bearer(raw)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(cast, django_assert_num_queries):
    token, raw = tokens.token_create(user=cast.member, organisation=cast.org, name="x")
    assert tokens.token_authenticate(raw) is not None
    with django_assert_num_queries(1):  # the lookup only, no write
        assert tokens.token_authenticate(raw) is not None


def test_tokens_page_needs_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_token_parse_refuses_junk():
    for raw in ("", "okr", "okr__x", "okr_x_", "abc_def_ghi", "okr_" + "a" * 20 + "_x"):
        assert tokens.parse(raw) is None
    assert tokens.parse("okr_abc_d_e_f") == ("abc", "d_e_f")
