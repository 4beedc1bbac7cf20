"""API views of reviews: the biweekly status review and its frozen snapshot.

The same base as ``okr.objectives.api``: the organisation of the URL first (404 for
non-members and for a token of another organisation), the object of a ``code``
through ``okr.objectives.access`` (404 for another organisation's id, whatever the
method), the policy (403, or 409 for a closed review), then the input (400 with
field errors). Everyone in
the organisation reads reviews; leadership starts, moves and closes them and
records decisions, as on the pages. Writes go
through ``okr.reviews.services``, reads through ``okr.reviews.selectors``.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status

from accounts.api import filters
from accounts.api.base import OrganisationAPI, responses
from accounts.policy import Action
from okr.api.filters import DayFilter
from okr.models import KeyResult, Objective, Review, ReviewEntry
from okr.objectives import access
from okr.reminders.services import queue_reminders
from okr.reviews import decisions
from okr.reviews import selectors as sel
from okr.reviews import serializers as s
from okr.reviews import services as svc

# --- Filters -----------------------------------------------------------------------------------


class ReviewFilter(filters.StrictFilterSet):
    state = django_filters.ChoiceFilter(choices=Review.State.choices, label="Open or closed.")
    date_after = DayFilter(field_name="date", lookup_expr="gte", label="On or after this day.")
    date_before = DayFilter(field_name="date", lookup_expr="lte", label="On or before this day.")

    class Meta:
        model = Review
        fields = ["state"]


# --- Reviews ---------------------------------------------------------------------------------


def _uuid(obj) -> str | None:
    return str(obj.uuid) if obj is not None else None


def review_detail(review: Review) -> Review:
    """The review with what its page shows: the frozen snapshot once closed, else the figures now.

    A fixed number of queries (the board's, the entries and the objectives' ids).
    """
    board = sel.review_board(review.organisation, review.date, review=review, charts=False)
    team_ids = {t.key: _uuid(t.team) for t in board.teams}
    objective_ids: dict[int, str] = {}
    for row in board.rows:
        if isinstance(row.payload, KeyResult):
            objective_ids[row.objective_key] = str(row.payload.objective.uuid)
    missing = {row.objective_key for row in board.rows} - objective_ids.keys()
    if missing:
        objective_ids.update(
            (pk, str(code))
            for pk, code in Objective.objects.filter(pk__in=missing).values_list("pk", "uuid")
        )
    review.is_frozen = board.closed
    review.team_list = [
        {
            "team": team_ids.get(t.key),
            "name": t.name,
            "progress": t.progress,
            "previous_progress": t.previous_progress,
            "key_results": len(t.rows),
            "at_risk": t.at_risk,
            "off_track": t.off_track,
            "without_check_in": t.without_check_in,
        }
        for t in board.teams
    ]
    review.key_result_list = [
        {
            "key_result": str(row.kr_uuid),
            "objective": objective_ids.get(row.objective_key),
            "team": team_ids.get(row.team_key),
            "title": row.title,
            "objective_title": row.objective_title,
            "kind": row.kind,
            "unit": row.unit,
            "owner": _uuid(row.owner),
            "progress": row.now.progress,
            "previous_progress": row.before.progress if row.before else None,
            "value": row.now.value,
            "done": row.now.done,
            "confidence": row.now.confidence,
            "previous_confidence": row.confidence_before,
            "last_check_in_at": row.now.last_check_in_at,
            "missing_check_in": row.missing_check_in,
        }
        for row in board.rows
    ]
    review.entry_list = list(
        decisions.actions_of_any(review.organisation_id)
        .filter(review=review)
        .order_by("created_at", "id")
    )
    return review


class ReviewViewSet(OrganisationAPI):
    model = Review
    policy_actions = {
        "create": Action.REVIEW_START,
        "partial_update": Action.REVIEW_MOVE,
        "close": Action.REVIEW_CLOSE,
        "add_entry": Action.REVIEW_NOTE,
    }
    serializer_class = s.ReviewSerializer
    filterset_class = ReviewFilter
    ordering_fields = ["date", "created_at", "closed_at"]
    ordering = ["-date", "id"]
    lookup = staticmethod(access.get_review_for_user)

    def scoped_queryset(self):
        return Review.objects.filter(organisation=self.organisation).select_related(
            "organisation", "created_by", "closed_by"
        )

    def _reload(self, review):
        return self.get_queryset().get(pk=review.pk)

    @extend_schema(
        summary="Reviews",
        description="The reviews started, added or moved (a scheduled review day has no row until "
        "leadership starts it), newest first.",
        responses=responses({200: s.ReviewSerializer(many=True)}, forbidden=False),
        tags=["reviews"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.ReviewSerializer)

    @extend_schema(
        summary="Start, add or move a review (leadership)",
        description="`date` alone starts the review of a scheduled day or adds one on another day; "
        "with `moved_from` (a scheduled day not started yet) it moves that review. One review a "
        "day: another on the same day is a 400.",
        request=s.ReviewCreateSerializer,
        responses=responses({201: s.ReviewSerializer}),
        tags=["reviews"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.ReviewCreateSerializer)
        review = svc.review_create(
            organisation=self.organisation,
            day=data["date"],
            user=request.user,
            moved_from=data.get("moved_from"),
        )
        queue_reminders(self.organisation)
        return self.answer(s.ReviewSerializer, self._reload(review), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A review with its figures",
        description="Team summaries, key result rows (now and at the last review) and the decisions "
        "and notes. A closed review answers with the snapshot frozen when it was closed "
        "(`frozen: true`): later check-ins change nothing.",
        responses=responses({200: s.ReviewDetailSerializer}, bad_input=False, forbidden=False),
        tags=["reviews"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.ReviewDetailSerializer, review_detail(self._reload(self.object)))

    @extend_schema(
        summary="Move a review (leadership)",
        description="The scheduled day it was first on is remembered. A closed review cannot move "
        "(409).",
        request=s.ReviewMoveSerializer,
        responses=responses({200: s.ReviewSerializer}, conflict=True),
        tags=["reviews"],
    )
    def partial_update(self, request, org_slug, code):
        review = self.object
        data = self.parse(s.ReviewMoveSerializer)
        moved = svc.review_move(review=review, day=data["date"], user=request.user)
        queue_reminders(self.organisation)
        return self.answer(s.ReviewSerializer, self._reload(moved))

    @extend_schema(
        summary="Close a review (leadership)",
        description="Freezes every key result and team as they stand now. Closing a closed "
        "review changes nothing.",
        request=None,
        responses=responses({200: s.ReviewDetailSerializer}, bad_input=False),
        tags=["reviews"],
    )
    def close(self, request, org_slug, code):
        svc.review_close(review=self.object, user=request.user)
        return self.answer(s.ReviewDetailSerializer, review_detail(self._reload(self.object)))

    @extend_schema(
        summary="Record a decision or a note (leadership)",
        description="For a team (or, without one, the strategic OKRs). A closed review takes no "
        "more (409).",
        request=s.ReviewEntryCreateSerializer,
        responses=responses({201: s.ReviewEntrySerializer}, conflict=True),
        tags=["reviews"],
    )
    def add_entry(self, request, org_slug, code):
        review = self.object
        data = self.parse(s.ReviewEntryCreateSerializer)
        entry = svc.review_entry_add(
            review=review,
            team=data.get("team"),
            kind=data["kind"],
            text=data["text"],
            author=request.user,
            owner=data.get("owner"),
            due_date=data.get("due_date"),
            key_result=data.get("key_result"),
        )
        entry = decisions.actions_of_any(self.organisation).get(pk=entry.pk)
        return self.answer(s.ReviewEntrySerializer, entry, status.HTTP_201_CREATED)


# --- Actions: decisions someone carries out ----------------------------------------------------


class ActionFilter(filters.StrictFilterSet):
    owner = filters.by_id("owner__uuid", "The owner's user id.")
    state = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("done", "done"), ("all", "all")],
        method="filter_state",
        label="open (left out: the same), done or all.",
    )
    due_before = DayFilter(field_name="due_date", lookup_expr="lte", label="Due on or before.")

    class Meta:
        model = ReviewEntry
        fields = ["owner"]

    def filter_queryset(self, queryset):
        if "state" not in self.form.cleaned_data or not self.form.cleaned_data["state"]:
            queryset = queryset.filter(done_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(done_at__isnull=True)
        if value == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


class ActionViewSet(OrganisationAPI):
    model = ReviewEntry
    policy_actions = {"done": Action.REVIEW_ACTION_DONE}
    serializer_class = s.ReviewEntrySerializer
    filterset_class = ActionFilter
    ordering_fields = ["due_date", "created_at"]
    ordering = ["due_date", "created_at", "id"]
    lookup = staticmethod(decisions.get_review_entry_for_user)

    def scoped_queryset(self):
        return decisions.actions_of(self.organisation)

    @extend_schema(
        summary="Actions from reviews",
        description="Review decisions with an owner: open ones (left out `state`) by due date, "
        "the earliest first. `owner` narrows them to one person's.",
        responses=responses({200: s.ReviewEntrySerializer(many=True)}, forbidden=False),
        tags=["reviews"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.ReviewEntrySerializer)

    @extend_schema(
        summary="Mark an action done, or open again (its owner or leadership)",
        description="At any time, also after its review was closed. Marking a done action done "
        "keeps when and by whom it was first marked. A decision without an owner or a note: 400.",
        request=s.ActionDoneSerializer,
        responses=responses({200: s.ReviewEntrySerializer}),
        tags=["reviews"],
    )
    def done(self, request, org_slug, code):
        data = self.parse(s.ActionDoneSerializer)
        svc.action_mark_done(entry=self.object, done=data["done"], user=request.user)
        entry = decisions.actions_of_any(self.organisation).get(pk=self.object.pk)
        return self.answer(s.ReviewEntrySerializer, entry)


__all__ = ["ActionViewSet", "ReviewViewSet", "review_detail"]
