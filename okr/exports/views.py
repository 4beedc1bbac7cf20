"""Downloads of an organisation's OKRs and check-ins (leadership), and of everything (admins)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.access import org_view
from accounts.policy import Action
from okr.exports import organisation as whole
from okr.exports import sections
from okr.exports import streams as export
from okr.lib import calendar


def _download(request, stream, name: str, extension: str, content_type: str):
    organisation = request.organisation
    day = calendar.today(organisation).isoformat()
    details = {"export": name, "format": extension}
    audit.record(organisation, request.user, audit.Kind.EXPORT_DOWNLOADED, details=details)
    response = StreamingHttpResponse(stream(organisation), content_type=content_type)
    filename = f"{organisation.slug}-{name}-{day}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(action=Action.EXPORT)
@require_GET
def okrs_csv(request):
    """Every objective and key result (archived too), one row per key result."""
    return _download(request, export.okrs_csv, "okrs", "csv", "text/csv; charset=utf-8")


@org_view(action=Action.EXPORT)
@require_GET
def check_ins_csv(request):
    """Every check-in, oldest first."""
    return _download(request, export.check_ins_csv, "check-ins", "csv", "text/csv; charset=utf-8")


@org_view(action=Action.EXPORT)
@require_GET
def scores_csv(request):
    """Every score frozen at a quarter or year close, with overrides."""
    return _download(request, export.scores_csv, "scores", "csv", "text/csv; charset=utf-8")


@org_view(action=Action.EXPORT)
@require_GET
def okrs_json(request):
    """OKRs and check-ins in one JSON document."""
    return _download(request, export.json_stream, "okrs", "json", "application/json")


# --- Everything of the organisation (admins; a settings page) ------------------------------------


@org_view(action=Action.EXPORT_ORGANISATION)
@require_GET
def organisation(request):
    """What the whole-organisation document holds, what it leaves out, and its download."""
    context = {"sections": sections.sections(), "left_out": sections.left_out()}
    return render(request, "exports/organisation.html", context)


@org_view(action=Action.EXPORT_ORGANISATION)
@require_GET
def organisation_json(request):
    """The whole organisation as one JSON document (``manage.py import_org`` reads it)."""
    return download_organisation(request)


def download_organisation(request):
    """The streamed document, recorded in the audit log (the page and the API both answer it)."""
    return _download(
        request, whole.stream, "organisation", "json", "application/json; charset=utf-8"
    )
