"""The audit log's API: read-only, admins only, the page's filters as query parameters.

``GET /api/v1/<org>/audit-log/``; every other method is 405 (the log is append-only).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers

from accounts.api.base import OrganisationAPI, responses
from accounts.audit import selectors
from accounts.audit.forms import AuditQueryForm
from accounts.models import AuditEvent
from accounts.policy import Action


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A role changed",
            response_only=True,
            value={
                "id": "6f1c2a47-3b0e-4a8f-9d51-0c2b7e4f9a13",
                "created_at": "2026-12-06T10:15:00+01:00",
                "actor_id": "0b7e8f52-94d1-4c1e-8a3f-5d2c6b9e1a70",
                "actor": "Vilma <vilma@dpab.example>",
                "action": "member.role_changed",
                "target_type": "membership",
                "target_id": "d3a1f0c4-7e2b-4b89-a6d5-18f9c0e2b347",
                "target": "Mats <mats@dpab.example>",
                "details": {"old": "member", "new": "leadership"},
            },
        )
    ]
)
class AuditEventSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    actor_id = serializers.UUIDField(
        source="actor_uuid",
        read_only=True,
        allow_null=True,
        help_text="The person's id; null for the system or when the account is gone.",
    )
    actor = serializers.CharField(
        source="actor_label",
        read_only=True,
        help_text='"Name <e-mail>" as the person was then; empty for the system.',
    )
    action = serializers.ChoiceField(choices=AuditEvent.Kind.choices, read_only=True)
    target_type = serializers.CharField(read_only=True)
    target_id = serializers.CharField(read_only=True, help_text="The target's id (a UUID).")
    target = serializers.CharField(source="target_label", read_only=True)
    details = serializers.JSONField(
        read_only=True, help_text="What changed: old and new values, a reason, a comment."
    )


#: A day of the app's calendar (2000 to 2100), as the form's ``DayField`` reads it.
DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

PARAMETERS = [
    OpenApiParameter(
        "action",
        OpenApiTypes.STR,
        enum=AuditEvent.Kind.values,
        description="Only events of this kind.",
    ),
    OpenApiParameter(
        "actor",
        OpenApiTypes.STR,
        description='Only events by this person (their id), or "system" for the system\'s.',
        pattern=r"^(system|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
    ),
    OpenApiParameter(
        "since",
        OpenApiTypes.DATE,
        pattern=DAY_PATTERN,
        description="From this day on (the organisation's calendar day, YYYY-MM-DD).",
    ),
    OpenApiParameter(
        "until",
        OpenApiTypes.DATE,
        pattern=DAY_PATTERN,
        description="Up to and including this day (YYYY-MM-DD).",
    ),
]


class AuditLogViewSet(OrganisationAPI):
    policy_actions = {"*": Action.AUDIT_READ}
    serializer_class = AuditEventSerializer
    filter_backends = []
    model = AuditEvent

    def scoped_queryset(self):
        form = AuditQueryForm(self.request.query_params, organisation=self.organisation)
        valid = form.is_valid()
        errors = {
            name: [error["message"] for error in found]
            for name, found in form.errors.get_json_data().items()
        }
        # A parameter that is present must have a value (as in every other list's filters).
        for parameter in PARAMETERS:
            name = parameter.name
            if self.request.query_params.get(name, None) == "" and name not in errors:
                errors[name] = [_("Enter a value, or leave the parameter out.")]
        if not valid or errors:
            raise exceptions.ValidationError(errors)
        return selectors.events(self.organisation, form.filters())

    @extend_schema(
        summary="The audit log (admin)",
        operation_id="audit_log_list",
        description="Who did what and when, newest first. Read-only: the log is append-only, "
        "so every other method answers 405. Filter days are the organisation's calendar days.",
        parameters=PARAMETERS,
        responses=responses({200: AuditEventSerializer(many=True)}),
        tags=["audit log"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), AuditEventSerializer)
