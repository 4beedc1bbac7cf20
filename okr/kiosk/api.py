"""The kitchen board's secret links in the API (admins): list, make (the link shown once), revoke.

``/api/v1/<org_slug>/board-links/``. Like the settings page, it calls
``okr.kiosk.services``; the policy (``Action.BOARD_LINKS_MANAGE``) refuses
everyone but admins with 403, non-members get 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, rename_errors, responses
from accounts.api.pagination import StrictOrdering
from accounts.policy import Action
from okr.kiosk import selectors, services
from okr.kiosk import serializers as s
from okr.models import BoardLink

TAGS = ["kitchen board"]


class BoardLinkViewSet(OrganisationAPI):
    model = BoardLink
    policy_actions = {"*": Action.BOARD_LINKS_MANAGE}  # reading the links too
    serializer_class = s.BoardLinkSerializer
    filter_backends = [StrictOrdering]
    ordering_fields = ["created_at", "label", "last_seen_at"]
    ordering = ["-created_at"]
    lookup = staticmethod(selectors.get_board_link_for_user)

    def scoped_queryset(self):
        return selectors.links_of(self.organisation)

    @extend_schema(
        summary="The kitchen board's links (admin)",
        responses=responses({200: s.BoardLinkSerializer(many=True)}),
        tags=TAGS,
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.BoardLinkSerializer)

    @extend_schema(
        summary="Make a secret link to the kitchen board (admin)",
        description="The answer's `url` opens the board on a screen without signing in. It is "
        "shown only in this answer: only a fingerprint of its secret is kept.",
        request=s.BoardLinkWriteSerializer,
        responses=responses({201: s.BoardLinkCreatedSerializer}),
        tags=TAGS,
    )
    def create(self, request, org_slug):
        data = self.parse(s.BoardLinkWriteSerializer)
        try:
            link, secret = services.board_link_create(
                organisation=self.organisation, author=request.user, label=data["label"]
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        link.url = request.build_absolute_uri(reverse("kiosk:board", args=[secret]))
        return self.answer(s.BoardLinkCreatedSerializer, link, status.HTTP_201_CREATED)

    @extend_schema(
        summary="A kitchen board link (admin)",
        responses=responses({200: s.BoardLinkSerializer}, bad_input=False),
        tags=TAGS,
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.BoardLinkSerializer, self.object)

    @extend_schema(
        summary="Revoke a kitchen board link (admin)",
        description="The link answers 404 from now on; its screen stops showing the board. "
        "Revoking twice changes nothing.",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=TAGS,
    )
    def destroy(self, request, org_slug, code):
        services.board_link_revoke(link=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
