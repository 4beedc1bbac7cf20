"""API representations of the year-end review and next year's drafts (``okr.years``).

Reading and writing use separate serializers, as elsewhere: write serializers parse
and check types strictly (JSON integers, storable text, ids of the organisation);
the rules live in ``okr.years.services``, the functions the pages call.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api.fields import IntField, PublicId, Reference, TextField, owner_field
from okr.lib import calendar
from okr.models import Objective


def _year_field(**kwargs):
    return IntField(min_value=calendar.MIN_YEAR, max_value=calendar.MAX_YEAR, **kwargs)


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=calendar.MIN_YEAR,
        max_value=calendar.MAX_YEAR,
        help_text="The fiscal year, by the calendar year it starts in (default: this one).",
    )


class KeyResultScoreSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="key_result.uuid", read_only=True)
    title = serializers.CharField(source="key_result.title", read_only=True)
    commitment = serializers.CharField(source="key_result.commitment", read_only=True)
    score = serializers.FloatField(source="value", read_only=True, allow_null=True)


class StrategicScoreSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="objective.uuid", read_only=True)
    title = serializers.CharField(source="objective.title", read_only=True)
    score = serializers.FloatField(source="value", read_only=True, allow_null=True)
    key_results = KeyResultScoreSerializer(many=True, read_only=True)


class NoteSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True, default=None)
    text = serializers.CharField(read_only=True)


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(source="number", read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=["closed", "ended", "open", "coming"], read_only=True)
    notes = NoteSerializer(many=True, read_only=True)


class TeamCellSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    value = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="A closed quarter: the team's score. Otherwise: progress so far (0.0 to 1.0).",
    )
    objectives = serializers.IntegerField(read_only=True)


class TeamRowSerializer(serializers.Serializer):
    team = serializers.CharField(source="name", read_only=True)
    quarters = TeamCellSerializer(source="cells", many=True, read_only=True)
    year_score = serializers.FloatField(read_only=True, allow_null=True)


class CarriedSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    team = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    target = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "DPAB in December",
            response_only=True,
            value={
                "year": 2026,
                "label": "2026",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "state": "current",
                "scores_final": False,
                "strategic": [
                    {
                        "id": "9b2d4e6f-1a3c-4e5f-8a7b-6c5d4e3f2a10",
                        "title": "Bli en ledande leverantör i Norden",
                        "score": 0.6,
                        "key_results": [
                            {
                                "id": "7d0f3c3e-2b1a-4c55-9a43-5f1f0b6a9e21",
                                "title": "20MSEK i omsättning från Norge",
                                "commitment": "committed",
                                "score": 0.6,
                            }
                        ],
                    }
                ],
                "quarters": [
                    {
                        "quarter": 1,
                        "label": "Q1 2026",
                        "start": "2026-01-01",
                        "end": "2026-03-31",
                        "state": "closed",
                        "notes": [{"team": "Produktion", "text": "Vi behöver mer resurser."}],
                    }
                ],
                "teams": [
                    {
                        "team": "Produktion",
                        "quarters": [
                            {"quarter": 1, "state": "closed", "value": 0.4, "objectives": 2}
                        ],
                        "year_score": 0.4,
                    }
                ],
                "year_notes": [],
                "carried": [],
                "next_year": 2027,
                "next_year_drafts": 0,
            },
        ),
    ]
)
class YearReviewSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=["over", "current", "coming"], read_only=True)
    scores_final = serializers.BooleanField(source="strategic_frozen", read_only=True)
    strategic = StrategicScoreSerializer(many=True, read_only=True)
    quarters = QuarterSerializer(many=True, read_only=True)
    teams = TeamRowSerializer(many=True, read_only=True)
    year_notes = NoteSerializer(many=True, read_only=True)
    carried = serializers.SerializerMethodField()
    next_year = serializers.IntegerField(read_only=True)
    next_year_drafts = serializers.IntegerField(source="next_drafts", read_only=True)

    def get_carried(self, review) -> list[dict]:
        return CarriedSerializer(
            [item for _source, items in review.carried for item in items], many=True
        ).data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A carried-on draft",
            response_only=True,
            value={
                "id": "3f6c2a9e-8d41-4b7a-9c2e-1a5b7d9e0f12",
                "title": "Bli en ledande leverantör i Norden",
                "why": "",
                "status": "draft",
                "year": 2027,
                "carried_from": "9b2d4e6f-1a3c-4e5f-8a7b-6c5d4e3f2a10",
            },
        ),
    ]
)
class DraftSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    title = serializers.CharField(read_only=True)
    why = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    carried_from = PublicId(allow_null=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "2027 with one draft",
            response_only=True,
            value={
                "year": 2027,
                "label": "2027",
                "objectives": [
                    {
                        "id": "3f6c2a9e-8d41-4b7a-9c2e-1a5b7d9e0f12",
                        "title": "Bli en ledande leverantör i Norden",
                        "why": "",
                        "status": "draft",
                        "year": 2027,
                        "carried_from": "9b2d4e6f-1a3c-4e5f-8a7b-6c5d4e3f2a10",
                    }
                ],
            },
        ),
    ]
)
class NextYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    objectives = DraftSerializer(many=True, read_only=True)


def _strategic_of(organisation):
    return Objective.objects.filter(organisation=organisation, level=Objective.Level.STRATEGIC)


@extend_schema_serializer(
    examples=[OpenApiExample("Start 2027", request_only=True, value={"year": 2027, "carry": []})]
)
class YearStartSerializer(serializers.Serializer):
    year = _year_field(help_text="The year to start (this fiscal year or a later one).")
    carry = serializers.ListField(
        child=Reference(queryset=_strategic_of, kind="objective"),
        required=False,
        max_length=100,
        help_text="Strategic objectives of the year before that carry on, as drafts.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A new strategic objective",
            request_only=True,
            value={
                "year": 2027,
                "title": "Vinna tillbaka marknadsandelar från den nya konkurrenten",
            },
        ),
    ]
)
class DraftCreateSerializer(serializers.Serializer):
    year = _year_field(help_text="The year the draft is for.")
    title = TextField(max_length=300)
    why = TextField(required=False, allow_blank=True)
    owner = owner_field()


@extend_schema_serializer(
    examples=[
        OpenApiExample("Publish 2027", request_only=True, value={"year": 2027}),
    ]
)
class PublishSerializer(serializers.Serializer):
    year = _year_field(help_text="The year whose draft strategic objectives are published.")


@extend_schema_serializer(
    examples=[
        OpenApiExample("Four published", response_only=True, value={"year": 2027, "published": 4}),
    ]
)
class PublishedSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    published = serializers.IntegerField(read_only=True)
