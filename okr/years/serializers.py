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


class DraftSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    title = serializers.CharField(read_only=True)
    why = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    carried_from = PublicId(allow_null=True)


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


class DraftCreateSerializer(serializers.Serializer):
    year = _year_field(help_text="The year the draft is for.")
    title = TextField(max_length=300)
    why = TextField(required=False, allow_blank=True)
    owner = owner_field()


class PublishSerializer(serializers.Serializer):
    year = _year_field(help_text="The year whose draft strategic objectives are published.")


class PublishedSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    published = serializers.IntegerField(read_only=True)
