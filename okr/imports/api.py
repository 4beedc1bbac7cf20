"""``POST /api/v1/<org>/import/``: import OKRs from a spreadsheet (multipart ``file``).

With ``?dry_run=true`` nothing is written: the answer is the preview (200), or 400 with
the per-row errors. Without it the rows are checked again and written all or none
(201), through the same services as the import page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, responses
from okr.imports import checking, reading, services
from okr.imports import serializers as s
from okr.models import Objective


def _preview(plan, *, dry_run: bool, written: bool) -> dict:
    data = {
        "dry_run": dry_run,
        "written": written,
        "objectives": plan.objectives,
        "errors": plan.errors,
    }
    return s.PreviewSerializer(data).data


#: The request body (a file, which no strict field describes: ``reading`` checks it).
UPLOAD = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "The spreadsheet: CSV (`;` or `,`, UTF-8) or XLSX, at most 2 MB and "
            "2,000 rows, with the columns the import page's template names (English, Swedish "
            "or Norwegian headers).",
        }
    },
    "required": ["file"],
}


class ImportViewSet(OrganisationAPI):
    model = Objective
    parser_classes = [MultiPartParser]
    serializer_class = s.PreviewSerializer  # for OPTIONS

    @extend_schema(
        summary="Import OKRs from a spreadsheet",
        description="One row per key result (columns: Team, Quarter, Objective, Why, Parent "
        "objective, Key result, Kind, Unit, Start, Target, Owner, Commitment). A team's "
        "objectives arrive as drafts in its workshop; strategic rows (empty Team) only from "
        "leadership; other rows only for the person's own teams (`okr.import`). With "
        "`dry_run=true` nothing is written. Without, all rows are written in one transaction, "
        "or none. A 400 is either field errors (`file`: no file, or one that cannot be read) "
        "or the preview's shape with `errors`, one per row and column.",
        parameters=[
            OpenApiParameter("dry_run", bool, description="Only check and preview (default false).")
        ],
        request={"multipart/form-data": UPLOAD},
        responses=responses({200: s.PreviewSerializer, 201: s.PreviewSerializer}, forbidden=False),
        tags=["import"],
    )
    def create(self, request, org_slug):
        dry_run = request.query_params.get("dry_run", "").lower() in ("true", "1", "yes")
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose a file to upload.")]})
        try:
            sheet = reading.read(upload.name or "", upload.read(reading.MAX_BYTES + 1))
        except reading.FileRefused as refusal:
            raise ValidationError({"file": [_(refusal.message)]}) from None
        if dry_run:
            plan = checking.check(self.organisation, self.membership, sheet)
            code = status.HTTP_400_BAD_REQUEST if plan.errors else status.HTTP_200_OK
            return Response(_preview(plan, dry_run=True, written=False), status=code)
        try:
            plan, _created = services.import_sheet(
                organisation=self.organisation, membership=self.membership, sheet=sheet
            )
        except services.ImportFailed as failure:
            body = _preview(failure.plan, dry_run=False, written=False)
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = _preview(plan, dry_run=False, written=True)
        return Response(body, status=status.HTTP_201_CREATED)
