"""Deleting the organisation in the API: ``/api/v1/<org>/deletion/`` (admins).

GET says whether a deletion is requested and when it happens; POST asks for it (the
organisation's name in ``name``, as on the settings page: 400 when it is not exactly the
name); DELETE undoes it. The same service and messages as the page (``services``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status

from accounts import audit
from accounts.api.base import Conflict, OrganisationAPI, rename_errors, responses
from accounts.api.fields import TextField
from accounts.deletion import services
from accounts.models import Organisation
from accounts.policy import Action

STATE_EXAMPLE = {
    "pending": True,
    "requested_at": "2026-12-06T16:00:00Z",
    "due_at": "2026-12-20T16:00:00Z",
    "requested_by": "Vilma Andersson <vilma@dpab.example>",
    "grace_days": 14,
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Deletion requested",
            response_only=True,
            status_codes=["200", "202"],
            value=STATE_EXAMPLE,
        )
    ]
)
class DeletionSerializer(serializers.Serializer):
    pending = serializers.BooleanField(
        help_text="Whether a deletion is requested (and not undone)."
    )
    requested_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="When every row of the organisation is deleted."
    )
    requested_by = serializers.CharField(
        allow_null=True, help_text="Who asked: name and e-mail (null once their account is gone)."
    )
    grace_days = serializers.IntegerField(
        help_text="Days between a request and the deletion, during which any admin can undo it."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("Confirm", request_only=True, value={"name": "Digital Posthantering AB"})
    ]
)
class DeletionRequestSerializer(serializers.Serializer):
    name = TextField(
        max_length=200,
        trim_whitespace=False,
        help_text="The organisation's name, exactly (spaces around it aside): the confirmation.",
    )


class DeletionViewSet(OrganisationAPI):
    """One object per organisation: its deletion."""

    model = Organisation
    policy_actions = {"*": Action.ORGANISATION_DELETE}
    pagination_class = None
    filter_backends = []
    serializer_class = DeletionSerializer

    def _answer(self, organisation, status_code=status.HTTP_200_OK):
        by = services.requested_by(organisation) if organisation.deletion_pending else None
        data = {
            "pending": organisation.deletion_pending,
            "requested_at": organisation.deletion_requested_at,
            "due_at": organisation.deletion_due_at,
            "requested_by": audit.person_label(by) if by is not None else None,
            "grace_days": services.grace_days(),
        }
        return self.answer(DeletionSerializer, data, status_code)

    @extend_schema(
        summary="The organisation's deletion (admin)",
        operation_id="deletion_retrieve",
        responses=responses({200: DeletionSerializer}, bad_input=False),
        tags=["organisation"],
    )
    def retrieve(self, request, org_slug):
        return self._answer(self.organisation)

    @extend_schema(
        summary="Delete the organisation after the grace period (admin)",
        operation_id="deletion_create",
        description="Every row of the organisation is deleted `grace_days` after this, with "
        "the accounts of people in no other organisation; until then it works as usual and "
        "any admin can undo it (DELETE). The other admins are told by e-mail. `name` must be "
        "the organisation's name (400 otherwise); 409 (`deletion_pending`) when it is "
        "already requested.",
        request=DeletionRequestSerializer,
        responses=responses({202: DeletionSerializer}, conflict=True),
        tags=["organisation"],
    )
    def create(self, request, org_slug):
        data = self.parse(DeletionRequestSerializer)
        try:
            organisation = services.organisation_deletion_request(
                request.user, self.organisation, data["name"]
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, {}) from None
        except services.DeletionConflict as exc:
            raise Conflict(detail=exc.message, code=exc.code) from None
        return self._answer(organisation, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Undo the organisation's deletion (admin)",
        operation_id="deletion_destroy",
        description="Any admin, until the deletion happens. The other admins are told by "
        "e-mail. 409 (`no_deletion_pending`) when none is requested.",
        request=None,
        responses=responses({200: DeletionSerializer}, bad_input=False, conflict=True),
        tags=["organisation"],
    )
    def destroy(self, request, org_slug):
        try:
            organisation = services.organisation_deletion_cancel(request.user, self.organisation)
        except services.DeletionConflict as exc:
            raise Conflict(detail=exc.message, code=exc.code) from None
        return self._answer(organisation)
