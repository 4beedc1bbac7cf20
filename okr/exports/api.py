"""``GET /api/v1/<org_slug>/export/``: everything of the organisation as one JSON document (admins).

The same streamed document as the settings page's download (``okr.exports.organisation``),
recorded in the audit log the same way; ``manage.py import_org`` reads it.
Non-members get 404, members who are not admins 403 (``Action.EXPORT_ORGANISATION``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema

from accounts.api.base import OrganisationAPI, responses
from accounts.models import Organisation
from accounts.policy import Action
from okr.exports import sections
from okr.exports.views import download_organisation

DESCRIPTION = (
    "Everything of the organisation in one JSON document, streamed: "
    '`{"format": "okr-organisation", "version": 1, "exported_at": …, "left_out": […], '
    '"organisation": {…}, "<table>": [rows…], …}`. Rows are keyed by public ids (UUIDs) and '
    "refer to each other by them, never by database ids; each table is in a stable order. "
    "Tables: {tables}. Left out (listed in the document's `left_out`): passwords, tokens, "
    "invitation links, the SSO client secret, webhook and chat addresses and secrets, the "
    "outboxes, and the stored numbers (recomputed on import). `manage.py import_org <file>` "
    "loads it into another installation. The download is recorded in the audit log."
)


#: The start of a document, shortened to one row of one table.
EXAMPLE = {
    "format": "okr-organisation",
    "version": 1,
    "exported_at": "2026-12-06T16:00:00+01:00",
    "left_out": [
        {
            "what": "users.password",
            "why": "password hashes: people set a password again or sign in with SSO",
        }
    ],
    "organisation": {"slug": "dpab", "name": "Digital Posthantering AB", "language": "sv"},
    "teams": [{"id": "8d9e2f4a-1c3b-4e5f-9a7b-6c5d4e3f2a1b", "name": "Marknad"}],
}


class OrganisationExportView(OrganisationAPI):
    model = Organisation
    pagination_class = None
    filter_backends = []
    policy_actions = {"export": Action.EXPORT_ORGANISATION}

    def scoped_queryset(self):
        return Organisation.objects.filter(pk=self.organisation.pk)

    @extend_schema(
        summary="Export everything of the organisation (admin)",
        description=DESCRIPTION.replace(
            "{tables}", ", ".join(f"`{s.name}`" for s in sections.sections())
        ),
        responses=responses(
            {
                200: OpenApiResponse(
                    OpenApiTypes.OBJECT,
                    description="The document.",
                    examples=[OpenApiExample("The start of a document", value=EXAMPLE)],
                )
            },
            bad_input=False,
        ),
        tags=["export"],
    )
    def export(self, request, org_slug):
        return download_organisation(request)
