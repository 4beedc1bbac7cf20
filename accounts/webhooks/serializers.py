"""Webhook endpoints in the API: what is read (never the secret), what is written, the log.

The secret is in one answer only: ``WebhookEndpointSecretSerializer``, the answer to
making an endpoint and to rotating its secret. Write serializers check types; the rules
of an address (https, a public host, no credentials) are ``services.clean_url``'s, with
the page's messages.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    BoolField,
    ChoiceField,
    TextField,
)
from accounts.models import WebhookDelivery, WebhookEndpoint
from accounts.webhooks import EventType
from accounts.webhooks.services import SUBSCRIBABLE, URL_MAX_LENGTH

#: The events an endpoint may take (every type but the test event, "ping").
EVENT_CHOICES = [(value, label) for value, label in EventType.choices if value in SUBSCRIBABLE]
DESCRIPTION_MAX_LENGTH = WebhookEndpoint._meta.get_field("description").max_length

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP = r"[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
#: An https address on a host name with a dot and a top-level name that is not a number
#: (so never "localhost" or an IP address, which the service refuses), printable ASCII after
#: it. The service also refuses a name that resolves to a private address (``accounts.outbound``).
URL_PATTERN = rf"^https://({_LABEL}\.)+{_TOP}(:{_PORT})?([/?#][!-~]*)?$"

ENDPOINT_EXAMPLE = {
    "id": EXAMPLE_ID,
    "url": "https://intranat.dpab.example/okr-hooks",
    "description": "The intranet's news feed",
    "events": ["objective.approved", "quarter.closed"],
    "active": True,
    "consecutive_failures": 0,
    "disabled_at": None,
    "secret_rotated_at": None,
    "created_by": EXAMPLE_USER,
    "created_at": EXAMPLE_TIME,
}
SECRET_EXAMPLE = "whsec_Hq3v9yZ0b1c2d3e4f5g6h7i8j9k0l1m2n3o4p5q6r7s"


@extend_schema_serializer(
    examples=[OpenApiExample("The intranet's endpoint", response_only=True, value=ENDPOINT_EXAMPLE)]
)
class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    url = serializers.CharField(read_only=True, help_text="The address each event is posted to.")
    description = serializers.CharField(read_only=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES), read_only=True
    )
    active = serializers.BooleanField(
        read_only=True, help_text="Whether events are sent to it (the test event goes anyway)."
    )
    consecutive_failures = serializers.IntegerField(
        read_only=True,
        help_text="Failed attempts in a row; at `WEBHOOK_DISABLE_AFTER_FAILURES` (15) it is "
        "turned off.",
    )
    disabled_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When it was turned off after failing (null: it was not). Turning it on "
        "again clears it.",
    )
    secret_rotated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_created_by(self, endpoint) -> str | None:
        """The user id of the admin who made it (null once their account is gone)."""
        return str(endpoint.created_by.uuid) if endpoint.created_by_id else None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Made, with its secret",
            response_only=True,
            value=ENDPOINT_EXAMPLE | {"secret": SECRET_EXAMPLE},
        )
    ]
)
class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret, in this answer only: store it now. Receivers check "
        "`X-OKR-Signature` with it (HMAC-SHA256 of `<t>.<body>`).",
    )


class _EndpointFields(serializers.Serializer):
    # What the schema can say of an address the server may post to; the service
    # (``services.clean_url``) says the rest, as field errors.
    schema_rules = {"properties": {"url": {"pattern": URL_PATTERN}, "events": {"minItems": 1}}}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The intranet's endpoint",
            request_only=True,
            value={
                "url": ENDPOINT_EXAMPLE["url"],
                "events": ENDPOINT_EXAMPLE["events"],
                "description": ENDPOINT_EXAMPLE["description"],
            },
        )
    ]
)
class WebhookEndpointWriteSerializer(_EndpointFields):
    url = TextField(
        max_length=URL_MAX_LENGTH,
        help_text="An https address on the public internet that accepts POST requests with a "
        "JSON body. No user name or password in it.",
    )
    events = serializers.ListField(
        child=ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        help_text="The events to send to it (at least one).",
    )
    description = TextField(max_length=DESCRIPTION_MAX_LENGTH, allow_blank=True, default="")


@extend_schema_serializer(
    examples=[
        OpenApiExample("Turn it off", request_only=True, value={"active": False}),
        OpenApiExample(
            "Another address and events",
            request_only=True,
            value={"url": "https://hooks.dpab.example/okr", "events": ["check_in.recorded"]},
        ),
    ]
)
class WebhookEndpointUpdateSerializer(_EndpointFields):
    url = TextField(max_length=URL_MAX_LENGTH, required=False, help_text="Left out: unchanged.")
    events = serializers.ListField(
        child=ChoiceField(choices=EVENT_CHOICES),
        allow_empty=False,
        required=False,
        help_text="Left out: unchanged.",
    )
    description = TextField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="Left out: unchanged.",
    )
    active = BoolField(
        required=False,
        help_text="Turning it on again starts the count of failures from zero. Left out: "
        "unchanged.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A test event, delivered",
            response_only=True,
            status_codes=["200", "202"],
            value={
                "id": EXAMPLE_ID_2,
                "event": "0c4f8e2a-5b7d-4e19-a3c6-9d8b7a6f5e4d",
                "type": "ping",
                "state": "delivered",
                "attempts": 1,
                "next_attempt_at": EXAMPLE_TIME,
                "last_status": 200,
                "duration_ms": 84,
                "last_error": "",
                "delivered_at": EXAMPLE_TIME,
                "created_at": EXAMPLE_TIME,
            },
        )
    ]
)
class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField(
        source="uuid",
        read_only=True,
        help_text="The `X-OKR-Delivery` header: the same on every attempt.",
    )
    event = serializers.UUIDField(
        source="event.uuid", read_only=True, help_text="The event's id: the body's `id`."
    )
    type = serializers.CharField(
        source="event.type",
        read_only=True,
        help_text="The event's type (the `X-OKR-Event` header); `ping` for a test event.",
    )
    state = serializers.ChoiceField(choices=WebhookDelivery.State.choices, read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    next_attempt_at = serializers.DateTimeField(
        read_only=True, help_text="When it is tried (again), while it is pending."
    )
    last_status = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The receiver's HTTP status, last attempt."
    )
    duration_ms = serializers.IntegerField(read_only=True, allow_null=True)
    last_error = serializers.CharField(read_only=True)
    delivered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
