"""The kitchen board's links in the API: what is read, what is written."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import EXAMPLE_ID, EXAMPLE_TIME, EXAMPLE_USER, TextField
from okr.kiosk.services import LABEL_MAX_LENGTH, LABEL_REQUIRED

EXAMPLE = {
    "id": EXAMPLE_ID,
    "label": "Köket",
    "state": "active",
    "created_by": EXAMPLE_USER,
    "created_at": EXAMPLE_TIME,
    "last_seen_at": EXAMPLE_TIME,
    "revoked_at": None,
}
EXAMPLE_URL = "https://okr.example/board/q3VdJ0nM8b2p4xQe7wKfT1yZcR6uLhA9sG5oDiEjNmU/"


@extend_schema_serializer(
    examples=[OpenApiExample("A link in use", response_only=True, value=EXAMPLE)]
)
class BoardLinkSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    label = serializers.CharField(read_only=True)
    state = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    last_seen_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When a screen last showed the board."
    )
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_state(self, link) -> str:
        return "revoked" if link.revoked_at else "active"

    def get_created_by(self, link) -> str | None:
        """The public id of the admin who made it (``null`` once they are gone)."""
        return str(link.created_by.uuid) if link.created_by_id else None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new link",
            response_only=True,
            value={**EXAMPLE, "last_seen_at": None, "url": EXAMPLE_URL},
        )
    ]
)
class BoardLinkCreatedSerializer(BoardLinkSerializer):
    url = serializers.URLField(
        read_only=True,
        help_text="The secret link to open on the screen. Shown only in this answer: only a "
        "fingerprint of it is kept.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("A screen in the kitchen", request_only=True, value={"label": "Köket"})
    ]
)
class BoardLinkWriteSerializer(serializers.Serializer):
    label = TextField(
        max_length=LABEL_MAX_LENGTH,
        help_text="Where the screen is; only admins see it.",
        # The service's words, as on the settings page (tests/project/test_policy_parity_*).
        error_messages={"blank": LABEL_REQUIRED, "required": LABEL_REQUIRED},
    )
