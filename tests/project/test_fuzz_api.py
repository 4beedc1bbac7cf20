"""The fixed hostile values, through the API: every field of every body, as JSON.

For each operation that takes a body (read from the OpenAPI schema the app serves),
each field gets each hostile value of tests.support.fuzz as a JSON string, with a lone
surrogate written as the JSON escape ``"\\ud800"`` and as raw UTF-8 bytes; then
numbers no parser should trust (``1e309``, ``NaN``, a 400-digit integer), other JSON
types, and an array nested 5,000 deep. With the admin's API token on the DPAB demo.
No answer is a server error, and a refused request (4xx) changes no row.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction

from accounts import tokens
from tests.support.fuzz import HOSTILE, SURROGATE_BYTES, Tally, judged, snapshot
from tests.support.sweep import codes_of, demo_world, signed_in

pytestmark = pytest.mark.django_db

#: The model whose id a ``{code}`` names, by the path's resource.
KIND = {
    "teams": "Team",
    "members": "Membership",
    "invitations": "Invitation",
    "cycles": "Cycle",
    "objectives": "Objective",
    "key-results": "KeyResult",
    "check-ins": "CheckIn",
    "initiatives": "Initiative",
    "dependencies": "Dependency",
    "reviews": "Review",
    "scores": "Score",
    "webhooks": "WebhookEndpoint",
}
#: JSON texts for one value: hostile strings, a lone surrogate two ways, hostile numbers,
#: other types, and nesting deeper than any parser should follow.
VALUES: list[bytes] = [
    *(json.dumps(text).encode() for text in HOSTILE),
    b'"\\ud800"',
    b'"a\\udfffb"',
    b'"' + SURROGATE_BYTES + b'"',
    b"1e309",
    b"-1e309",
    b"NaN",
    b"Infinity",
    b"1" + b"0" * 400,
    b"-1",
    b"0.1e-400",
    b"1.5",
    b"true",
    b"null",
    b"[]",
    b"{}",
    b'["\\u0000"]',
    b"[" * 5000 + b"]" * 5000,
]
#: Values each field gets alone (all of VALUES go to all fields at once).
PER_FIELD = 8


def body_operations(schema: dict) -> list[tuple[str, str, list[str]]]:
    """(method, path, body field names) of every operation that takes a JSON body."""
    components = schema["components"]["schemas"]
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                properties = components[ref.rsplit("/", 1)[1]].get("properties", {})
                names = [n for n, p in properties.items() if not p.get("readOnly")]
                found.append((method.upper(), path, names))
    return found


def body(fields: dict[str, bytes]) -> bytes:
    """A JSON object from raw JSON texts (which json.dumps could not write: NaN, bytes)."""
    return b"{" + b",".join(json.dumps(k).encode() + b":" + v for k, v in fields.items()) + b"}"


def test_every_api_field_refuses_hostile_values_and_a_refusal_writes_nothing(db, monkeypatch):
    world = demo_world()
    organisation, admin = world.organisation, world.users["admin"]
    _token, raw = tokens.token_create(user=admin, organisation=organisation, name="API fuzz")
    client = signed_in(None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    schema = json.loads(client.get("/api/schema/?format=json").content)
    codes = codes_of(organisation, world.first)
    tally = Tally("api-hostile-values")
    operations = body_operations(schema)
    # The token's first use records it (last_used_at): before the snapshot, so that a
    # refused request is compared with a world where it is recorded. It is recorded again
    # after ``LAST_USED_RESOLUTION`` (a minute), less than the whole run takes: not here.
    monkeypatch.setattr(tokens, "LAST_USED_RESOLUTION", timedelta(days=1))
    assert client.get(f"/api/v1/{organisation.slug}/", **headers).status_code == 200
    before = snapshot()

    def send(method: str, url: str, payload: bytes) -> None:
        label = f"{method} {url} {payload[:120]!r}"
        with transaction.atomic():  # undone after each request: each meets the same rows
            try:
                response = client.generic(
                    method, url, payload, content_type="application/json", **headers
                )
                judged(tally, label, response, before)
            except DatabaseError as exc:
                tally.server_errors.append(f"{label}: left the transaction broken ({exc})")
            finally:
                transaction.set_rollback(True)

    for method, path, names in operations:
        kind = KIND.get(path.split("/")[4]) if "{code}" in path else None
        url = path.replace("{org_slug}", organisation.slug)
        url = re.sub(r"\{code\}", str(codes[kind][0]) if kind else "", url)
        for value in VALUES:
            send(method, url, body(dict.fromkeys(names, value)))
        for j, name in enumerate(names):
            for k in range(PER_FIELD):
                send(method, url, body({name: VALUES[(j * PER_FIELD + k) % len(VALUES)]}))
    print(f"\nfuzz api: {len(operations)} operations")
    tally.report()
    assert len(operations) >= 15
    assert tally.problems() == []
