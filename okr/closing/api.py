"""API views of quarter-end scores: list, read and override (leadership only, as on the close page).

The same base as ``okr.objectives.api``: the organisation of the URL first (404
for non-members and for a token of another organisation), the score of a
``code`` through ``okr.objectives.access`` (404 for another organisation's id),
the policy (403), then the input (400 with field errors). Overrides go
through ``okr.closing.services.score_override``.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema

from accounts.api import filters
from accounts.api.base import OrganisationAPI, responses
from accounts.policy import Action
from okr.closing import serializers as s
from okr.closing import services as svc
from okr.models import Score
from okr.objectives import access

SCORE_KINDS = [("key_result", "key_result"), ("objective", "objective")]


class ScoreFilter(filters.StrictFilterSet):
    cycle = filters.by_id("cycle__uuid", "The cycle (quarter or year) id.")
    kind = django_filters.ChoiceFilter(
        choices=SCORE_KINDS, method="filter_kind", label="Scores of key results or of objectives."
    )
    objective = filters.by_id(
        "objective__uuid", "An objective's id (its own score; key result scores: key_result)."
    )
    key_result = filters.by_id("key_result__uuid", "A key result's id.")

    class Meta:
        model = Score
        fields = ["cycle", "kind", "objective", "key_result"]

    def filter_kind(self, queryset, name, value):
        if value == "key_result":
            return queryset.filter(key_result__isnull=False)
        if value == "objective":
            return queryset.filter(objective__isnull=False)
        return queryset


class ScoreViewSet(OrganisationAPI):
    model = Score
    # The scores are the close's figures: read, like the close page, by leadership.
    policy_actions = {
        "list": Action.QUARTER_CLOSE,
        "retrieve": Action.QUARTER_CLOSE,
        "partial_update": Action.SCORE_OVERRIDE,
    }
    serializer_class = s.ScoreSerializer
    filterset_class = ScoreFilter
    ordering_fields = ["computed_at", "computed", "override", "overridden_at"]
    ordering = ["cycle__start_date", "cycle__kind", "id"]
    lookup = staticmethod(access.get_score_for_user)

    def scoped_queryset(self):
        return Score.objects.filter(organisation=self.organisation).select_related(
            "cycle", "objective", "key_result", "overridden_by"
        )

    @extend_schema(
        summary="Scores (leadership)",
        description="The scores frozen when quarters and years were closed, one per key result "
        "and per objective, with leadership's overrides.",
        responses=responses({200: s.ScoreSerializer(many=True)}),
        tags=["scores"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.ScoreSerializer)

    @extend_schema(
        summary="A score (leadership)",
        responses=responses({200: s.ScoreSerializer}, bad_input=False),
        tags=["scores"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.ScoreSerializer, self.get_queryset().get(pk=self.object.pk))

    @extend_schema(
        summary="Override a score (leadership)",
        description="Sets leadership's score with the reason why (required); the computed score is "
        "kept beside it. `value: null` goes back to the computed score.",
        request=s.ScoreOverrideSerializer,
        responses=responses({200: s.ScoreSerializer}),
        tags=["scores"],
    )
    def partial_update(self, request, org_slug, code):
        data = self.parse(s.ScoreOverrideSerializer)
        svc.score_override(
            score=self.object,
            value=data["value"],
            reason=data.get("reason", ""),
            user=request.user,
        )
        return self.answer(s.ScoreSerializer, self.get_queryset().get(pk=self.object.pk))


__all__ = ["ScoreViewSet"]
