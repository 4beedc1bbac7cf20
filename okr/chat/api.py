"""Chat hooks in the API: list, add, read, send a test message, turn off, remove.

``/api/v1/<org_slug>/chat-hooks/``. Like the settings page it calls
``okr.chat.services``; the policy (``Action.CHAT_HOOKS_MANAGE``) lets admins manage
every hook and a team's leads that team's hooks, refuses others with 403; non-members
get 404. The URL is write-only: answers show it masked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts import policy
from accounts.api.base import OrganisationAPI, rename_errors, responses
from accounts.api.pagination import StrictOrdering
from accounts.policy import Action
from okr.chat import selectors, services
from okr.chat import serializers as s
from okr.models import ChatHook

TAGS = ["chat notifications"]


class ChatHookViewSet(OrganisationAPI):
    model = ChatHook
    policy_actions = {
        "retrieve": Action.CHAT_HOOKS_MANAGE,
        "destroy": Action.CHAT_HOOKS_MANAGE,
        "test": Action.CHAT_HOOKS_MANAGE,
        "disable": Action.CHAT_HOOKS_MANAGE,
    }
    serializer_class = s.ChatHookSerializer
    filter_backends = [StrictOrdering]
    ordering_fields = ["created_at"]
    ordering = ["created_at"]
    lookup = staticmethod(selectors.get_chat_hook_for_user)

    def scoped_queryset(self):
        return selectors.visible_hooks(self.request)

    @extend_schema(
        summary="The chat hooks you manage (admins: all; team leads: their teams')",
        responses=responses({200: s.ChatHookSerializer(many=True)}),
        tags=TAGS,
    )
    def list(self, request, org_slug):
        if not selectors.is_admin(self.membership) and not selectors.lead_team_ids(self.membership):
            policy.require(self.membership, Action.CHAT_HOOKS_MANAGE)
        return self.paginated(self.get_queryset(), s.ChatHookSerializer)

    @extend_schema(
        summary="Add a Slack or Teams channel",
        description="Posts check-in reminders, reviews starting, approvals requested and "
        "decided, key results turning at risk and quarters closed to the channel's "
        "incoming-webhook URL, in the organisation's language. Without `team` it is the "
        "organisation's hook (every event; admins); with it, that team's events only (the "
        "team's leads may add it).",
        request=s.ChatHookWriteSerializer,
        responses=responses({201: s.ChatHookSerializer}),
        tags=TAGS,
    )
    def create(self, request, org_slug):
        data = self.parse(s.ChatHookWriteSerializer)
        try:
            hook = services.hook_create(
                organisation=self.organisation,
                kind=data["kind"],
                url=data["url"],
                team=data.get("team"),
                events=data.get("events"),
                author=request.user,
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        return self.answer(s.ChatHookSerializer, hook, status.HTTP_201_CREATED)

    @extend_schema(
        summary="A chat hook",
        responses=responses({200: s.ChatHookSerializer}, bad_input=False),
        tags=TAGS,
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.ChatHookSerializer, self.object)

    @extend_schema(
        summary="Send a test message to the channel",
        request=None,
        responses=responses({202: s.QueuedSerializer}, bad_input=False),
        tags=TAGS,
    )
    def test(self, request, org_slug, code):
        queued = services.hook_test(hook=self.object, author=request.user)
        return Response({"queued": len(queued)}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Turn the chat hook off",
        description="Nothing more is posted to it. Turning it off twice changes nothing.",
        request=None,
        responses=responses({200: s.ChatHookSerializer}, bad_input=False),
        tags=TAGS,
    )
    def disable(self, request, org_slug, code):
        hook = services.hook_disable(hook=self.object, author=request.user)
        return self.answer(s.ChatHookSerializer, hook)

    @extend_schema(
        summary="Remove the chat hook",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=TAGS,
    )
    def destroy(self, request, org_slug, code):
        services.hook_delete(hook=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
