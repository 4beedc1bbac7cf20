"""The import's API answer: the preview (or what was written) with its row errors."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number in the file (the header is row 1).")
    column = serializers.CharField(help_text="The column's header as the file writes it, or empty.")
    message = serializers.CharField(help_text="What is wrong, in the request's language.")


class PlannedKeyResultSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    start = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    direction = serializers.CharField()
    owner = serializers.EmailField(source="owner.email", allow_null=True, default=None)
    commitment = serializers.CharField()


class PlannedObjectiveSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    level = serializers.CharField()
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    cycle = serializers.CharField(source="label", help_text="The quarter (team) or year.")
    title = serializers.CharField()
    why = serializers.CharField()
    parent = serializers.CharField(source="parent_title", allow_blank=True)
    key_results = PlannedKeyResultSerializer(many=True)


EXAMPLE = {
    "dry_run": True,
    "written": False,
    "objectives": [
        {
            "row": 2,
            "level": "team",
            "team": "Marknad",
            "cycle": "Q1 2027",
            "title": "Etablera oss på den norska marknaden",
            "why": "",
            "parent": "Bli en ledande leverantör i Norden",
            "key_results": [
                {
                    "row": 2,
                    "title": "5 signerade norska pilotkunder",
                    "kind": "metric",
                    "unit": "kunder",
                    "start": "0.0000",
                    "target": "5.0000",
                    "direction": "increase",
                    "owner": "per@dpab.example",
                    "commitment": "committed",
                }
            ],
        }
    ],
    "errors": [],
}


@extend_schema_serializer(
    examples=[
        OpenApiExample("The preview of one objective", response_only=True, value=EXAMPLE),
        OpenApiExample(
            "A row with an error",
            response_only=True,
            value={
                **EXAMPLE,
                "objectives": [],
                "errors": [{"row": 3, "column": "Mål", "message": "Skriv ett tal, t.ex. 1 500."}],
            },
        ),
    ]
)
class PreviewSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(help_text="Whether the rows were written (all of them).")
    objectives = PlannedObjectiveSerializer(many=True)
    errors = RowErrorSerializer(many=True)
