"""API views of the conversation: comments on objectives, key results and check-ins, and the
caller's own notifications.

The same base as every endpoint (``accounts.api.base.OrganisationAPI``): the
organisation of the URL first (404 for non-members), the object of a ``code``
inside it (404 for another organisation's id; for a notification, also for
someone else's), the policy (403/409), then the input (400 with field errors).
Writes go through ``okr.conversation.services``, the functions the pages call.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api import filters
from accounts.api.base import OrganisationAPI, responses
from accounts.policy import Action
from okr.conversation import selectors, services
from okr.conversation import serializers as s
from okr.conversation.views import get_comment_for_user, get_notification_for_user
from okr.models import Comment, CommentMention, Notification


class CommentFilter(filters.StrictFilterSet):
    objective = filters.by_id("objective__uuid", "Comments on this objective.")
    key_result = filters.by_id("key_result__uuid", "Comments on this key result.")
    check_in = filters.by_id("check_in__uuid", "Comments on this check-in.")

    class Meta:
        model = Comment
        fields = ["objective", "key_result", "check_in"]


class CommentViewSet(OrganisationAPI):
    model = Comment
    serializer_class = s.CommentSerializer  # for OPTIONS; each action names its own
    policy_actions = {
        "create": Action.COMMENT_CREATE,
        "partial_update": Action.COMMENT_EDIT,
        "destroy": Action.COMMENT_DELETE,
    }
    filterset_class = CommentFilter
    ordering_fields = ["created_at"]
    ordering = ["created_at", "id"]
    lookup = staticmethod(get_comment_for_user)

    def scoped_queryset(self):
        return (
            Comment.objects.filter(organisation=self.organisation)
            .select_related("author", "objective", "key_result", "check_in", "parent")
            .prefetch_related(
                Prefetch("mentions", queryset=CommentMention.objects.select_related("user"))
            )
        )

    def _reload(self, comment):
        return self.get_queryset().get(pk=comment.pk)

    @extend_schema(
        summary="Comments",
        description="Everyone in the organisation reads every comment. Filter by `objective`, "
        "`key_result` or `check_in` for one thread; a reply names its `parent`.",
        responses=responses({200: s.CommentSerializer(many=True)}, forbidden=False),
        tags=["comments"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.CommentSerializer)

    @extend_schema(
        summary="Comment",
        description="On exactly one of an objective, a key result or a check-in. Each member "
        "the text mentions, and the author of the comment replied to, is notified.",
        request=s.CommentCreateSerializer,
        responses=responses({201: s.CommentSerializer}),
        tags=["comments"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.CommentCreateSerializer)
        comment = services.comment_create(
            target=data["target"], author=request.user, text=data["text"], parent=data.get("parent")
        )
        return self.answer(s.CommentSerializer, self._reload(comment), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A comment",
        responses=responses({200: s.CommentSerializer}, bad_input=False, forbidden=False),
        tags=["comments"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.CommentSerializer, self._reload(self.object))

    @extend_schema(
        summary="Change a comment (its author)",
        description="Members newly mentioned are notified. A removed comment is 409.",
        request=s.CommentEditSerializer,
        responses=responses({200: s.CommentSerializer}, conflict=True),
        tags=["comments"],
    )
    def partial_update(self, request, org_slug, code):
        data = self.parse(s.CommentEditSerializer)
        comment = services.comment_edit(comment=self.object, author=request.user, text=data["text"])
        return self.answer(s.CommentSerializer, self._reload(comment))

    @extend_schema(
        summary="Remove a comment (its author, or an admin)",
        description="The comment stays in its thread as removed (its text is gone).",
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["comments"],
    )
    def destroy(self, request, org_slug, code):
        services.comment_delete(comment=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationFilter(filters.StrictFilterSet):
    unread = filters.YesNoFilter(
        field_name="read_at", method="filter_unread", label="Only unread (true) or read (false)."
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value in ("true", "false"):
            return queryset.filter(read_at__isnull=value == "true")
        return queryset


class NotificationViewSet(OrganisationAPI):
    """The caller's own notifications in this organisation (nobody sees anyone else's)."""

    model = Notification
    serializer_class = s.NotificationSerializer  # for OPTIONS; each action names its own
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    lookup = staticmethod(get_notification_for_user)

    def scoped_queryset(self):
        return Notification.objects.filter(
            organisation=self.organisation, recipient=self.request.user
        ).select_related("actor", "objective", "key_result", "check_in", "review", "comment")

    @extend_schema(
        summary="My notifications",
        description="Mentions, replies, approvals asked for and decided, and actions due, "
        "newest first.",
        responses=responses({200: s.NotificationSerializer(many=True)}, forbidden=False),
        tags=["notifications"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.NotificationSerializer)

    @extend_schema(
        summary="How many are unread",
        responses=responses({200: s.UnreadCountSerializer}, bad_input=False, forbidden=False),
        tags=["notifications"],
    )
    def unread_count(self, request, org_slug):
        count = selectors.unread_count(self.organisation, request.user)
        return Response({"unread": count})

    @extend_schema(
        summary="Mark one read",
        operation_id="notifications_read_one",
        request=None,
        responses=responses({200: s.NotificationSerializer}, bad_input=False, forbidden=False),
        tags=["notifications"],
    )
    def read(self, request, org_slug, code):
        services.notification_read(notification=self.object, user=request.user)
        item = self.get_queryset().get(pk=self.object.pk)
        return self.answer(s.NotificationSerializer, item)

    @extend_schema(
        summary="Mark all read",
        operation_id="notifications_read_all",
        request=None,
        responses=responses({200: s.ReadAllSerializer}, bad_input=False, forbidden=False),
        tags=["notifications"],
    )
    def read_all(self, request, org_slug):
        marked = services.notifications_read_all(organisation=self.organisation, user=request.user)
        return Response({"marked": marked})


__all__ = ["CommentViewSet", "NotificationViewSet"]
