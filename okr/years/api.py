"""API of the year-end review (every member reads) and next year's drafts (leadership).

The same base as the other OKR endpoints: the organisation of the URL first (404
for non-members), the policy (403 for members who may not), then the input (400
with field errors). Writes go through ``okr.years.services``, as the pages do.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, responses
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Cycle, Objective
from okr.objectives import access
from okr.years import selectors, services
from okr.years import serializers as s


class YearViewSet(OrganisationAPI):
    model = Cycle
    serializer_class = s.NextYearSerializer  # for OPTIONS; each action names its own
    policy_actions = {
        "start": Action.YEAR_START_NEXT,
        "draft": Action.YEAR_START_NEXT,
        "publish": Action.YEAR_PUBLISH,
    }

    def scoped_queryset(self):
        return Cycle.objects.filter(organisation=self.organisation, kind=Cycle.Kind.YEAR)

    def _next(self, year: int, status_code=status.HTTP_200_OK):
        plan = selectors.next_year(self.organisation, year - 1)
        return self.answer(s.NextYearSerializer, plan, status_code)

    @extend_schema(
        summary="The year-end review",
        description="A fiscal year in one answer: each strategic key result's score (final once "
        "the year is closed, `scores_final`), each team's score per quarter (frozen scores of "
        "closed quarters; progress so far in open ones), the retrospective notes and what was "
        "carried over. Every member reads it.",
        parameters=[s.YearQuerySerializer],
        responses=responses({200: s.YearReviewSerializer}, forbidden=False),
        tags=["years"],
    )
    def review(self, request, org_slug):
        query = s.YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or calendar.current_fiscal_year(self.organisation)
        return self.answer(s.YearReviewSerializer, selectors.year_review(self.organisation, year))

    @extend_schema(
        summary="Start a year (leadership)",
        description="Opens the fiscal year (its cycle and quarters, by the organisation's fiscal "
        "year) and carries the chosen strategic objectives of the year before on into it as "
        "drafts: texts verbatim, key results with their targets to set again.",
        request=s.YearStartSerializer,
        responses=responses({201: s.NextYearSerializer}),
        tags=["years"],
    )
    def start(self, request, org_slug):
        data = self.parse(s.YearStartSerializer)
        year = data["year"]
        carry = data.get("carry", [])
        wrong = [o for o in carry if o.cycle.kind != Cycle.Kind.YEAR or o.cycle.year != year - 1]
        if wrong:
            raise ValidationError({"carry": [_("Choose strategic objectives of the year before.")]})
        services.year_start(
            organisation=self.organisation, year=year, carry=carry, author=request.user
        )
        return self._next(year, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write a draft strategic objective (leadership)",
        request=s.DraftCreateSerializer,
        responses=responses({201: s.DraftSerializer}),
        tags=["years"],
    )
    def draft(self, request, org_slug):
        data = self.parse(s.DraftCreateSerializer)
        objective = services.draft_create(
            organisation=self.organisation,
            year=data["year"],
            title=data["title"],
            why=data.get("why", ""),
            owner=data.get("owner"),
            author=request.user,
        )
        return self.answer(s.DraftSerializer, objective, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Publish a year's drafts (leadership)",
        description="The year's draft strategic objectives become approved, for everyone; "
        "a year without drafts is a 400.",
        request=s.PublishSerializer,
        responses=responses({200: s.PublishedSerializer}),
        tags=["years"],
    )
    def publish(self, request, org_slug):
        data = self.parse(s.PublishSerializer)
        count = services.year_publish(
            organisation=self.organisation, year=data["year"], author=request.user
        )
        return Response({"year": data["year"], "published": count})


class CarryOnViewSet(OrganisationAPI):
    model = Objective
    serializer_class = s.DraftSerializer  # for OPTIONS
    policy_actions = {"carry_on": Action.YEAR_CARRY_ON}
    lookup = staticmethod(access.get_objective_for_user)

    def scoped_queryset(self):
        return Objective.objects.filter(organisation=self.organisation)

    @extend_schema(
        summary="Carry a strategic objective on into next year (leadership)",
        description="A draft copy in the next fiscal year, pointing back at this one.",
        request=None,
        responses=responses({201: s.DraftSerializer}, bad_input=True),
        tags=["years"],
    )
    def carry_on(self, request, org_slug, code):
        draft = services.objective_carry_on(objective=self.object, author=request.user)
        return self.answer(s.DraftSerializer, draft, status.HTTP_201_CREATED)


__all__ = ["CarryOnViewSet", "YearViewSet"]
