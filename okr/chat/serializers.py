"""Chat hooks in the API: what is read (the URL only masked), what is written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    ChoiceField,
    Reference,
    TextField,
    teams_of,
)
from okr.chat.services import URL_MAX_LENGTH
from okr.models import ChatHook
from okr.models.chat import SUBSCRIBABLE

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
#: A web address with a host name and printable ASCII after it.
URL_PATTERN = rf"^https?://{_LABEL}(\.{_LABEL})*(:{_PORT})?(/[!-~]*)?$"

EXAMPLE = {
    "id": EXAMPLE_ID,
    "kind": "slack",
    "url_masked": "https://hooks.slack.com/…Xy9Z",
    "team": None,
    "events": SUBSCRIBABLE,
    "active": True,
    "created_by": EXAMPLE_USER,
    "created_at": EXAMPLE_TIME,
}


@extend_schema_serializer(
    examples=[OpenApiExample("The organisation's Slack channel", response_only=True, value=EXAMPLE)]
)
class ChatHookSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=ChatHook.Kind.choices, read_only=True)
    url_masked = serializers.CharField(
        source="url_hint",
        read_only=True,
        help_text="The incoming-webhook URL shortened: it is the channel's key, never shown whole.",
    )
    team = serializers.SerializerMethodField()
    events = serializers.ListField(child=serializers.CharField(), read_only=True)
    active = serializers.BooleanField(read_only=True)
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_team(self, hook) -> str | None:
        """The public id of the team whose events it gets (``null``: every event)."""
        return str(hook.team.uuid) if hook.team_id else None

    def get_created_by(self, hook) -> str | None:
        return str(hook.created_by.uuid) if hook.created_by_id else None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A team's Teams channel",
            request_only=True,
            value={
                "kind": "teams",
                "url": "https://example.webhook.office.com/webhookb2/…",
                "team": EXAMPLE_ID_2,
                "events": ["review.started", "key_result.at_risk"],
            },
        )
    ]
)
class ChatHookWriteSerializer(serializers.Serializer):
    # What the schema can say of an address the server may post to; the outbound guard
    # (``accounts.outbound``) also refuses private addresses, and http in production.
    schema_rules = {"properties": {"url": {"pattern": URL_PATTERN}, "events": {"minItems": 1}}}

    kind = ChoiceField(choices=ChatHook.Kind.choices)
    url = TextField(
        max_length=URL_MAX_LENGTH,
        help_text="The channel's incoming-webhook URL (https, a public address).",
    )
    team = Reference(
        queryset=teams_of,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="A team's public id: the hook gets that team's events only. Leave it out "
        "for the organisation's hook (admins).",
    )
    events = serializers.ListField(
        child=ChoiceField(choices=SUBSCRIBABLE),
        required=False,
        allow_empty=False,
        help_text="The events to post (default: all of them).",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One test message queued",
            response_only=True,
            status_codes=["202"],
            value={"queued": 1},
        )
    ]
)
class QueuedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="How many test messages were queued (1).")
