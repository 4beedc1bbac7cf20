"""API representations of comments and notifications; write serializers parse strictly."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    PublicId,
    Reference,
    TextField,
)
from okr.conversation import selectors
from okr.conversation.services import COMMENT_MAX_CHARS, TEXT_REQUIRED
from okr.models import CheckIn, Comment, KeyResult, Notification, Objective


def _in(model):
    return lambda organisation: model.objects.filter(organisation=organisation)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Comment",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "objective": None,
                "key_result": EXAMPLE_ID_2,
                "check_in": None,
                "parent": None,
                "author": EXAMPLE_USER,
                "author_name": "Vilma Andersson",
                "text": "@Pernilla kan vi ta upp det här på genomgången?",
                "removed": False,
                "mentions": [EXAMPLE_USER],
                "created_at": EXAMPLE_TIME,
                "edited_at": None,
            },
        )
    ]
)
class CommentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    objective = PublicId(allow_null=True, help_text="The objective commented on, or null.")
    key_result = PublicId(allow_null=True, help_text="The key result commented on, or null.")
    check_in = PublicId(allow_null=True, help_text="The check-in commented on, or null.")
    parent = PublicId(allow_null=True, help_text="The comment this one replies to, or null.")
    author = PublicId(allow_null=True, help_text="The author's user id.")
    author_name = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(
        help_text="As written (escape it when you show it); null once removed."
    )
    removed = serializers.BooleanField(source="deleted", read_only=True)
    mentions = serializers.SerializerMethodField(help_text="The user ids of the members named.")
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_author_name(self, comment) -> str | None:
        return comment.author.get_full_name() if comment.author else None

    def get_text(self, comment) -> str | None:
        return None if comment.deleted else comment.text

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_mentions(self, comment) -> list[str]:
        return [str(m.user.uuid) for m in comment.mentions.all()]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A question with a mention",
            request_only=True,
            value={
                "key_result": "7d0f3c3e-2b1a-4c55-9a43-5f1f0b6a9e21",
                "text": "@Pernilla räcker kapaciteten i produktionen för det här kvartalet?",
            },
        ),
        OpenApiExample(
            "A reply",
            request_only=True,
            value={
                "key_result": "7d0f3c3e-2b1a-4c55-9a43-5f1f0b6a9e21",
                "parent": "0b8e6c1a-4f2d-4e8b-8d1e-2a6c9f3b7d10",
                "text": "Inte utan mer resurser, vi tar det på genomgången.",
            },
        ),
    ]
)
class CommentCreateSerializer(serializers.Serializer):
    objective = Reference(queryset=_in(Objective), kind=_("objective"), required=False)
    key_result = Reference(queryset=_in(KeyResult), kind=_("key result"), required=False)
    check_in = Reference(queryset=_in(CheckIn), kind=_("check-in"), required=False)
    parent = Reference(
        queryset=_in(Comment),
        kind=_("comment"),
        required=False,
        allow_null=True,
        help_text="Reply to this comment (of the same objective, key result or check-in).",
    )
    text = TextField(
        max_length=COMMENT_MAX_CHARS,
        error_messages={"blank": TEXT_REQUIRED, "required": TEXT_REQUIRED},
        help_text="The comment; `@` and a member's name (or the part of their e-mail address "
        "before the @) mentions them. Only members of the organisation can be mentioned.",
    )

    def validate(self, data):
        given = [name for name in ("objective", "key_result", "check_in") if data.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give exactly one of objective, key_result, check_in.")]}
            )
        data["target"] = data[given[0]]
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A corrected comment",
            request_only=True,
            value={"text": "@Pernilla räcker kapaciteten i produktionen för Q2?"},
        )
    ]
)
class CommentEditSerializer(serializers.Serializer):
    text = TextField(
        max_length=COMMENT_MAX_CHARS,
        error_messages={"blank": TEXT_REQUIRED, "required": TEXT_REQUIRED},
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Notification",
            response_only=True,
            value={
                "id": EXAMPLE_ID,
                "kind": "mention",
                "actor": EXAMPLE_USER,
                "title": "Öka försäljningen i Norge",
                "excerpt": "@Pernilla kan vi ta upp det här på genomgången?",
                "objective": EXAMPLE_ID_2,
                "key_result": None,
                "check_in": None,
                "review": None,
                "comment": EXAMPLE_ID,
                "url": "https://okr.example/dpab/objectives/8d9e2f4a-1c3b-4e5f-9a7b-6c5d4e3f2a1b/",
                "created_at": EXAMPLE_TIME,
                "read_at": None,
            },
        )
    ]
)
class NotificationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.ChoiceField(choices=Notification.Kind.choices, read_only=True)
    actor = PublicId(allow_null=True, help_text="Who did it (null: the system).")
    title = serializers.CharField(read_only=True, help_text="What it is about.")
    excerpt = serializers.CharField(read_only=True)
    objective = PublicId(allow_null=True)
    key_result = PublicId(allow_null=True)
    check_in = PublicId(allow_null=True)
    review = PublicId(allow_null=True)
    comment = PublicId(allow_null=True)
    url = serializers.SerializerMethodField(help_text="The page it is about.")
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_url(self, item) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(selectors.target_url(item, request.organisation))


@extend_schema_serializer(
    examples=[OpenApiExample("Three unread", response_only=True, value={"unread": 3})]
)
class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Unread notifications in this organisation.")


@extend_schema_serializer(
    examples=[OpenApiExample("Three marked read", response_only=True, value={"marked": 3})]
)
class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were marked read.")
