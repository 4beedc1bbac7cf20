"""API representations of reviews (with their snapshot), their decisions and notes.

Reading and writing use separate serializers, as in ``okr.objectives.serializers``:
write serializers parse and check types strictly; the rules that cross
objects live in ``okr.reviews.services``, the functions the pages call.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import (
    EXAMPLE_ID,
    EXAMPLE_ID_2,
    EXAMPLE_TIME,
    EXAMPLE_USER,
    BoolField,
    ChoiceField,
    PublicId,
    Reference,
    TextField,
    members_of,
)
from accounts.api.fields import teams_of as _teams
from okr.api.fields import DayField, NumberOut
from okr.lib import calendar
from okr.models import KeyResult, Review, ReviewEntry


def _key_results(organisation):
    return KeyResult.objects.filter(organisation=organisation)


# --- Reviews --------------------------------------------------------------------------------


REVIEW_EXAMPLE = {
    "id": EXAMPLE_ID,
    "date": "2026-02-16",
    "week": 8,
    "moved_from": None,
    "state": "closed",
    "previous_date": "2026-02-02",
    "since": "2026-02-02T10:00:00+01:00",
    "created_by": EXAMPLE_USER,
    "created_at": EXAMPLE_TIME,
    "closed_by": EXAMPLE_USER,
    "closed_at": "2026-02-16T10:00:00+01:00",
    "url": "https://okr.example/dpab/reviews/3fa85f64-5717-4562-b3fc-2c963f66afa6/",
}


@extend_schema_serializer(
    examples=[OpenApiExample("Review", response_only=True, value=REVIEW_EXAMPLE)]
)
class ReviewSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    date = serializers.DateField(read_only=True)
    week = serializers.SerializerMethodField(help_text="The ISO week of the review.")
    moved_from = serializers.DateField(
        read_only=True, allow_null=True, help_text="The scheduled day it was moved from."
    )
    state = serializers.ChoiceField(choices=Review.State.choices, read_only=True)
    previous_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The last review before it (frozen when it is closed; null until then).",
    )
    since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the period reviewed began (frozen when it is closed; null until then).",
    )
    created_by = PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    closed_by = PublicId(allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(help_text="The review's page.")

    def get_week(self, review) -> int:
        return calendar.iso_week(review.date)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, review) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(
            reverse("okr:review", args=[request.organisation.slug, review.uuid])
        )


class ReviewTeamSerializer(serializers.Serializer):
    team = serializers.UUIDField(allow_null=True, help_text="null: the strategic OKRs.")
    name = serializers.CharField()
    progress = serializers.FloatField(allow_null=True)
    previous_progress = serializers.FloatField(allow_null=True, help_text="At the last review.")
    key_results = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    off_track = serializers.IntegerField()
    without_check_in = serializers.IntegerField(
        help_text="Key results without a check-in since the last review."
    )


class ReviewKeyResultSerializer(serializers.Serializer):
    key_result = serializers.UUIDField()
    objective = serializers.UUIDField()
    team = serializers.UUIDField(allow_null=True, help_text="null: a strategic key result.")
    title = serializers.CharField()
    objective_title = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    owner = serializers.UUIDField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    previous_progress = serializers.FloatField(allow_null=True, help_text="At the last review.")
    value = NumberOut(allow_null=True, help_text="Metrics: the value checked in.")
    done = serializers.BooleanField(allow_null=True, help_text="Milestones.")
    confidence = serializers.CharField(allow_blank=True)
    previous_confidence = serializers.CharField(allow_blank=True)
    last_check_in_at = serializers.DateTimeField(allow_null=True)
    missing_check_in = serializers.BooleanField(
        help_text="Expected a check-in since the last review and got none."
    )


ENTRY_EXAMPLE = {
    "id": EXAMPLE_ID,
    "review": EXAMPLE_ID_2,
    "team": EXAMPLE_ID_2,
    "kind": "decision",
    "text": "Fredrika tar kontakt med kunden",
    "author": EXAMPLE_USER,
    "created_at": EXAMPLE_TIME,
    "owner": EXAMPLE_USER,
    "due_date": "2026-03-02",
    "key_result": EXAMPLE_ID,
    "done_at": None,
    "done_by": None,
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Decision",
            response_only=True,
            value=ENTRY_EXAMPLE,
        )
    ]
)
class ReviewEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    review = PublicId(help_text="The review it was recorded in.")
    team = PublicId(allow_null=True)
    kind = serializers.ChoiceField(choices=ReviewEntry.Kind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    author = PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    owner = PublicId(
        allow_null=True,
        help_text="Who carries the decision out (a member's user id); null: a decision only. "
        "A decision with an owner is an action, open until it is marked done.",
    )
    due_date = serializers.DateField(read_only=True, allow_null=True)
    key_result = PublicId(allow_null=True, help_text="The key result it is about.")
    done_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was marked done; null: open."
    )
    done_by = PublicId(allow_null=True, help_text="Who marked it done.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Closed review",
            response_only=True,
            value={
                **REVIEW_EXAMPLE,
                "frozen": True,
                "teams": [
                    {
                        "team": EXAMPLE_ID_2,
                        "name": "Försäljning",
                        "progress": 0.45,
                        "previous_progress": 0.3,
                        "key_results": 2,
                        "at_risk": 0,
                        "off_track": 1,
                        "without_check_in": 0,
                    }
                ],
                "key_results": [
                    {
                        "key_result": EXAMPLE_ID,
                        "objective": EXAMPLE_ID_2,
                        "team": EXAMPLE_ID_2,
                        "title": "Fakturering nya kunder 4MSEK",
                        "objective_title": "Aggressiv försäljningstillväxt",
                        "kind": "metric",
                        "unit": "MSEK",
                        "owner": EXAMPLE_USER,
                        "progress": 0.5,
                        "previous_progress": 0.25,
                        "value": "2",
                        "done": None,
                        "confidence": "off_track",
                        "previous_confidence": "on_track",
                        "last_check_in_at": EXAMPLE_TIME,
                        "missing_check_in": False,
                    }
                ],
                "entries": [ENTRY_EXAMPLE],
            },
        )
    ]
)
class ReviewDetailSerializer(ReviewSerializer):
    frozen = serializers.BooleanField(
        source="is_frozen",
        read_only=True,
        help_text="true: the figures are the snapshot frozen when the review was closed; "
        "false: they are read now.",
    )
    # Lists set by views_review.review_detail (the model's related names are taken).
    teams = ReviewTeamSerializer(
        source="team_list", many=True, read_only=True, help_text="Team summaries."
    )
    key_results = ReviewKeyResultSerializer(source="key_result_list", many=True, read_only=True)
    entries = ReviewEntrySerializer(
        source="entry_list", many=True, read_only=True, help_text="Decisions and notes."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("Add a review", request_only=True, value={"date": "2026-02-18"}),
        OpenApiExample(
            "Move a scheduled review",
            request_only=True,
            value={"date": "2026-02-17", "moved_from": "2026-02-16"},
        ),
    ]
)
class ReviewCreateSerializer(serializers.Serializer):
    date = DayField(help_text="The day of the review (a scheduled review day or another day).")
    moved_from = DayField(
        required=False,
        allow_null=True,
        help_text="A scheduled review day (not started yet) that this review replaces.",
    )


@extend_schema_serializer(
    examples=[OpenApiExample("Move", request_only=True, value={"date": "2026-02-17"})]
)
class ReviewMoveSerializer(serializers.Serializer):
    date = DayField(help_text="The new day.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Decision for a team",
            request_only=True,
            value={
                "team": EXAMPLE_ID_2,
                "kind": "decision",
                "text": "Fredrika tar kontakt med kunden",
            },
        )
    ]
)
class ReviewEntryCreateSerializer(serializers.Serializer):
    team = Reference(
        queryset=_teams,
        kind=_("team"),
        required=False,
        allow_null=True,
        help_text="The team it is about; null or left out: the strategic OKRs.",
    )
    kind = ChoiceField(choices=ReviewEntry.Kind.choices)
    text = TextField(max_length=4000)
    owner = Reference(
        queryset=members_of,
        kind=_("person"),
        required=False,
        allow_null=True,
        help_text="A decision only: who carries it out (a member's user id). It then shows on "
        "their home page and on the next reviews until it is marked done.",
    )
    due_date = DayField(
        required=False, allow_null=True, help_text="A decision only: when it should be done."
    )
    key_result = Reference(
        queryset=_key_results,
        kind=_("key result"),
        required=False,
        allow_null=True,
        help_text="A decision only: the key result (of this organisation) it is about.",
    )


@extend_schema_serializer(
    examples=[OpenApiExample("Mark done", request_only=True, value={"done": True})]
)
class ActionDoneSerializer(serializers.Serializer):
    done = BoolField(help_text="true: carried out; false: open again.")
