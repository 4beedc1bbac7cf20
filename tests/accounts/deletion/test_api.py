"""The deletion in the API: /api/v1/<org>/deletion/ (admin token): GET the state, POST the
name to ask (400 JSON for a wrong name), DELETE to undo; others 403, outsiders 404."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, Organisation
from tests.support.api import api, token_api

pytestmark = pytest.mark.django_db

URL = api("acme", "deletion/")


def test_ask_read_and_undo(cast):
    client = token_api(cast.admin, cast.org)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "pending": False,
        "requested_at": None,
        "due_at": None,
        "requested_by": None,
        "grace_days": 14,
    }
    response = client.post(URL, {"name": "Acme AB"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["pending"] is True and body["requested_by"] == "Ada Admin <admin@acme.example>"
    assert body["due_at"] and body["requested_at"]
    assert client.get(URL).json() == body
    assert client.post(URL, {"name": "Acme AB"}).json()["code"] == "deletion_pending"
    response = client.delete(URL)
    assert response.status_code == 200 and response.json()["pending"] is False
    response = client.delete(URL)
    assert response.status_code == 409 and response.json()["code"] == "no_deletion_pending"
    kinds = AuditEvent.objects.filter(organisation=cast.org, action__startswith="organisation.")
    assert sorted(kinds.values_list("action", flat=True)) == [
        "organisation.deletion_cancelled",
        "organisation.deletion_requested",
    ]


def test_a_wrong_name_is_400_with_the_field(cast):
    client = token_api(cast.admin, cast.org)
    for body in ({"name": "acme ab"}, {"name": "Other AS"}):
        response = client.post(URL, body)
        assert response.status_code == 400
        assert response.json() == {
            "name": ["Type the organisation's name exactly as it is written: Acme AB"]
        }
    for body in ({}, {"name": 7}, {"name": None}):
        response = client.post(URL, body)
        assert response.status_code == 400 and "name" in response.json()
    assert not Organisation.objects.get(slug="acme").deletion_pending


def test_admins_only_outsiders_404(cast):
    for user in (cast.leader, cast.member):
        client = token_api(user, cast.org)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"name": "Acme AB"}).status_code == 403
        assert client.delete(URL).status_code == 403
    outsider = token_api(cast.outsider, cast.other_org)
    assert outsider.get(URL).status_code == 404
    assert outsider.post(URL, {"name": "Acme AB"}).status_code == 404
    assert not Organisation.objects.get(slug="acme").deletion_pending


def test_documented_in_the_schema(cast):
    client = token_api(cast.admin, cast.org)
    schema = client.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/{org_slug}/deletion/"]
    assert set(operations) >= {"get", "post", "delete"}
    assert {"202", "400", "403", "404", "409"} <= set(operations["post"]["responses"])
