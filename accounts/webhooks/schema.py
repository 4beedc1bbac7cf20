"""The webhooks in the API description: each event's POST, its headers and its JSON body.

OpenAPI 3.0 (what the schema is) has no ``webhooks`` section, so they are published as
``x-webhooks``, the extension ReDoc (``/api/redoc/``) shows; the shapes are the ones
``accounts.webhooks.emit`` sends (``okr.objectives.webhooks`` builds the OKR ones).
A drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS``).
"""

from __future__ import annotations

from accounts.webhooks import EventType, signing

ID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string"}
NUMBER_TEXT = {"type": "string", "nullable": True, "description": "A decimal number as text."}
PROGRESS = {
    "type": "number",
    "nullable": True,
    "description": "0..1 (more when over target), from the progress engine.",
}
REF = {"type": "object", "nullable": True, "properties": {"id": ID, "name": TEXT}}
OBJECTIVE = {
    "type": "object",
    "properties": {
        "id": ID,
        "title": TEXT,
        "level": {"type": "string", "enum": ["strategic", "team", "personal"]},
        "status": TEXT,
        "team": REF,
        "owner": REF,
        "cycle": {"type": "object", "properties": {"id": ID, "label": TEXT}},
        "progress": PROGRESS,
    },
}
MEMBER = {
    "type": "object",
    "properties": {
        "id": ID,
        "role": {"type": "string", "enum": ["admin", "leadership", "member"]},
        "user": {
            "type": "object",
            "properties": {"id": ID, "name": TEXT, "email": {"type": "string", "format": "email"}},
        },
    },
}
DATA = {
    EventType.OBJECTIVE_CREATED: OBJECTIVE,
    EventType.OBJECTIVE_APPROVED: OBJECTIVE,
    EventType.CHECK_IN_RECORDED: {
        "type": "object",
        "properties": {
            "id": ID,
            "created_at": {"type": "string", "format": "date-time"},
            "author": REF,
            "value": NUMBER_TEXT,
            "done": {"type": "boolean", "nullable": True},
            "steps_done": {"type": "integer", "nullable": True},
            "confidence": TEXT,
            "note": TEXT,
            "key_result": {
                "type": "object",
                "properties": {
                    "id": ID,
                    "title": TEXT,
                    "kind": TEXT,
                    "unit": TEXT,
                    "start_value": NUMBER_TEXT,
                    "target_value": NUMBER_TEXT,
                    "progress": PROGRESS,
                    "verdict": TEXT,
                    "objective": {"type": "object", "properties": {"id": ID, "title": TEXT}},
                },
            },
        },
    },
    EventType.REVIEW_CLOSED: {
        "type": "object",
        "properties": {
            "id": ID,
            "date": {"type": "string", "format": "date"},
            "key_results": {"type": "integer"},
        },
    },
    EventType.QUARTER_CLOSED: {
        "type": "object",
        "properties": {
            "id": ID,
            "kind": TEXT,
            "label": TEXT,
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "scores": {"type": "integer", "description": "Scores frozen by the close."},
        },
    },
    EventType.MEMBER_ADDED: MEMBER,
    EventType.MEMBER_REMOVED: MEMBER,
    EventType.PING: {"type": "object", "properties": {"message": TEXT, "endpoint": ID}},
}
HEADERS = (
    f"Headers: `{signing.SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex>` where hex is "
    "HMAC-SHA256 of `<t>.<raw body>` with the endpoint's secret (compare in constant time and "
    f"refuse a `t` more than {signing.TOLERANCE_SECONDS} s away); `{signing.EVENT_HEADER}`: the "
    f"event type; `{signing.DELIVERY_HEADER}`: the delivery id, the same on every retry "
    "(deduplicate on it). Any 2xx answer within 10 s is a success; anything else is retried "
    "after 1 min, 5 min, 30 min, 2 h and 12 h. An endpoint is turned off after 15 failed "
    "attempts in a row, and the organisation's admins are told."
)


def _operation(event_type: str, label: str) -> dict:
    body = {
        "type": "object",
        "required": ["id", "type", "created_at", "organisation", "data"],
        "properties": {
            "id": {**ID, "description": "The event's id."},
            "type": {"type": "string", "enum": [event_type]},
            "created_at": {"type": "string", "format": "date-time"},
            "organisation": {**TEXT, "description": "The organisation's address (slug)."},
            "data": DATA[event_type],
        },
    }
    return {
        "post": {
            "summary": str(label),
            "operationId": f"webhook_{event_type.replace('.', '_')}",
            "description": HEADERS,
            "tags": ["webhooks"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "Received (any 2xx)."}},
        }
    }


def add_webhooks(result, generator, request, public):
    """Publish every event type under ``x-webhooks`` (drf-spectacular post-processing hook)."""
    result["x-webhooks"] = {value: _operation(value, label) for value, label in EventType.choices}
    return result
