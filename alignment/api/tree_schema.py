"""The alignment tree's query parameters, and the documentation of its answer.

``TreeQuerySerializer`` checks the query (the same filters as the page). The ``Tree*``
serializers only document, in the OpenAPI schema, what ``alignment.api.tree.tree_json``
writes: a large tree has ~10,000 nodes, too many to serialize one by one.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.api import fields as f
from alignment.forms import STATUS_CHOICES
from okr.api.fields import NumberOut
from okr.models import Cycle, KeyResult, Objective
from okr.objectives.serializers import COLOUR_CHOICES, VERDICT_CHOICES

VERDICT_HELP = (
    "The one computed verdict (okr.lib.progress), as every page shows it: committed key results "
    "are judged against the full expected pace, aspirational ones against 70 % of it."
)
SCORE_HELP = "The frozen score (overrides applied) once its cycle is closed; null before."

# --- The tree: query parameters ----------------------------------------------------------------


class StrictIntParam(serializers.IntegerField):
    """A whole number written with digits only (not "3.0", not " 3")."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"-?[0-9]{1,6}", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class TreeQuerySerializer(serializers.Serializer):
    year = StrictIntParam(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="The (fiscal) year; default: the current one.",
    )
    quarter = StrictIntParam(
        min_value=1, max_value=4, required=False, help_text="Only this quarter's team objectives."
    )
    team = serializers.UUIDField(
        required=False, help_text="Only this team's objectives (and its sub-teams')."
    )
    status = f.ChoiceField(
        choices=STATUS_CHOICES, required=False, help_text="Only team objectives in this status."
    )
    at_risk = f.ChoiceField(
        choices=["true", "false"],
        required=False,
        help_text="true: only team objectives at risk or behind pace.",
    )
    owner = serializers.UUIDField(
        required=False,
        help_text="A member's user id: team objectives they own or own a key result of.",
    )


# --- The tree: response (documentation of what ``tree_json`` writes) -----------------------------


class TreeCycleSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=Cycle.Kind.choices)
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    state = serializers.ChoiceField(choices=Cycle.State.choices)


class TreeKeyResultBase(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=KeyResult.Kind.choices)
    unit = serializers.CharField(allow_blank=True)
    start_value = NumberOut(allow_null=True)
    target_value = NumberOut(allow_null=True, help_text="null: pending.")
    current_value = NumberOut(
        allow_null=True, help_text="The sum of its direct contributions when `rollup` is sum."
    )
    done = serializers.BooleanField()
    steps_done = serializers.IntegerField(allow_null=True)
    steps_total = serializers.IntegerField(allow_null=True)
    owner = serializers.UUIDField(allow_null=True, help_text="The owner's user id.")
    commitment = serializers.ChoiceField(choices=KeyResult.Commitment.choices)
    progress = serializers.FloatField(allow_null=True, help_text="0 to 1; null: not measurable.")
    expected = serializers.FloatField(
        allow_null=True,
        help_text="Where it should be by today (0 to 1), through its quarterly steps if any.",
    )
    behind = serializers.BooleanField(help_text="The verdict is `behind`.")
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES, help_text=VERDICT_HELP)
    verdict_colour = serializers.ChoiceField(choices=COLOUR_CHOICES)
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    confidence = serializers.CharField(
        allow_blank=True, help_text="The owner's, at the latest check-in ('' before any)."
    )
    url = serializers.URLField(help_text="Its page.")
    api_url = serializers.URLField()


class TreeContributionSerializer(serializers.Serializer):
    value = NumberOut(allow_null=True)
    into = serializers.UUIDField(help_text="The strategic key result it adds into.")
    unit = serializers.CharField(allow_blank=True)


class TreePersonalObjectiveSerializer(serializers.Serializer):
    """A person's own objective under a team objective or key result (okr/personal)."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    owner = serializers.UUIDField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    behind = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES, help_text=VERDICT_HELP)
    verdict_colour = serializers.ChoiceField(choices=COLOUR_CHOICES)
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    url = serializers.URLField()
    api_url = serializers.URLField()
    key_results = TreeKeyResultBase(many=True)


PERSONAL_HELP = (
    "Personal objectives under it (the organisation's personal OKR pilot): a third level, "
    "never counted in its numbers."
)


class TreeTeamKeyResultSerializer(TreeKeyResultBase):
    contribution = TreeContributionSerializer(
        allow_null=True,
        help_text="What it adds into the strategic key result (direct links, same unit only).",
    )
    personal = TreePersonalObjectiveSerializer(many=True, help_text=PERSONAL_HELP)


class TreeTeamObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Objective.Status.choices)
    team = serializers.UUIDField(allow_null=True)
    cycle = serializers.UUIDField(allow_null=True, help_text="Its quarter.")
    owner = serializers.UUIDField(allow_null=True)
    alignment = serializers.ChoiceField(choices=Objective.Alignment.choices)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    behind = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES, help_text=VERDICT_HELP)
    verdict_colour = serializers.ChoiceField(choices=COLOUR_CHOICES)
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    confidence = serializers.CharField(
        allow_blank=True, help_text="Its key results' owners' lowest confidence."
    )
    at_risk = serializers.BooleanField()
    orphan_reason = serializers.CharField(
        allow_blank=True,
        help_text="Among the orphans: 'none' (no parent) or 'elsewhere' (the parent is archived "
        "or in another year); '' otherwise.",
    )
    url = serializers.URLField()
    api_url = serializers.URLField()
    key_results = TreeTeamKeyResultSerializer(many=True)
    personal = TreePersonalObjectiveSerializer(many=True, help_text=PERSONAL_HELP)


class TreeTeamGroupSerializer(serializers.Serializer):
    team = serializers.UUIDField(allow_null=True)
    team_name = serializers.CharField()
    progress = serializers.FloatField(allow_null=True)
    confidence = serializers.CharField(allow_blank=True)
    at_risk_count = serializers.IntegerField()
    objectives = TreeTeamObjectiveSerializer(many=True)


class TreeStrategicKeyResultSerializer(TreeKeyResultBase):
    rollup = serializers.ChoiceField(
        choices=KeyResult.Rollup.choices,
        help_text="sum: its current value and progress are the sum of its direct contributions.",
    )
    covered = serializers.BooleanField(help_text="A team objective of the period supports it.")
    stepped = serializers.BooleanField(help_text="The expected pace follows quarterly steps.")
    expected_value = NumberOut(allow_null=True, help_text="The value it should have today.")
    direct_total = NumberOut(
        allow_null=True,
        help_text="When it sums them: the sum of its direct contributions over the year.",
    )
    direct_count = serializers.IntegerField()
    teams = TreeTeamGroupSerializer(many=True, help_text="Team objectives aligned to it, by team.")


class TreeStrategicObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Objective.Status.choices)
    owner = serializers.UUIDField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    behind = serializers.BooleanField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES, help_text=VERDICT_HELP)
    verdict_colour = serializers.ChoiceField(choices=COLOUR_CHOICES)
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    confidence = serializers.CharField(allow_blank=True)
    at_risk = serializers.BooleanField()
    covered = serializers.BooleanField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    key_results = TreeStrategicKeyResultSerializer(many=True)
    teams = TreeTeamGroupSerializer(
        many=True, help_text="Team objectives aligned to the objective itself, by team."
    )


class TreeUncoveredObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class TreeUncoveredKeyResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    objective = serializers.UUIDField()


class TreeDependencySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    description = serializers.CharField()
    needed_by = serializers.DateField()
    due = serializers.DateField()
    late = serializers.BooleanField()
    needing_team_name = serializers.CharField()
    needing_node = serializers.UUIDField(help_text="The needing key result, else objective.")
    needing_title = serializers.CharField()
    delivering_team_name = serializers.CharField()
    delivering_node = serializers.UUIDField()
    delivering_title = serializers.CharField()


TREE_EXAMPLE = {
    "vision": "Snabb och miljövänlig kommunikation",
    "mission": "",
    "today": "2026-02-02",
    "year": {
        "id": f.EXAMPLE_ID_2,
        "label": "2026",
        "kind": "year",
        "year": 2026,
        "quarter": None,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "state": "active",
    },
    "quarter": None,
    "quarters": [],
    "strategic_objectives": [
        {
            "id": f.EXAMPLE_ID,
            "title": "Kommande år vårt starkaste tillväxtår någonsin",
            "status": "approved",
            "owner": f.EXAMPLE_USER,
            "progress": 0.2,
            "expected": 0.08,
            "behind": False,
            "confidence": "on_track",
            "at_risk": False,
            "covered": True,
            "url": "https://okr.example/dpab/objectives/3fa85f64-5717-4562-b3fc-2c963f66afa6/",
            "api_url": "https://okr.example/api/v1/dpab/objectives/"
            "3fa85f64-5717-4562-b3fc-2c963f66afa6/",
            "key_results": [],
            "teams": [],
        }
    ],
    "orphans": [],
    "uncovered_objectives": [],
    "uncovered_key_results": [],
    "dependencies": [],
}


@extend_schema_serializer(examples=[OpenApiExample("Tree", response_only=True, value=TREE_EXAMPLE)])
class TreeSerializer(serializers.Serializer):
    vision = serializers.CharField(allow_blank=True)
    mission = serializers.CharField(allow_blank=True)
    today = serializers.DateField(help_text="Today in the organisation's time zone.")
    year = TreeCycleSerializer(allow_null=True, help_text="null: no cycles yet.")
    quarter = TreeCycleSerializer(allow_null=True, help_text="The quarter filtered on.")
    quarters = TreeCycleSerializer(many=True)
    strategic_objectives = TreeStrategicObjectiveSerializer(many=True)
    orphans = TreeTeamGroupSerializer(
        many=True, help_text="Team objectives whose parent is not in the tree, by team."
    )
    uncovered_objectives = TreeUncoveredObjectiveSerializer(
        many=True, help_text="Strategic objectives no team objective of the period supports."
    )
    uncovered_key_results = TreeUncoveredKeyResultSerializer(many=True)
    dependencies = TreeDependencySerializer(many=True, help_text="Open dependencies of the year.")
