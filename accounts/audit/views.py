"""The audit log's settings page and its downloads (admins only; nobody changes the log).

One view serves the page and its list: an HTMX request (the filters, the pages)
gets the ``audit-list`` partial. Filters come from the query string through
``AuditFilterForm``; bad values are form errors on the page (and no events).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from accounts.access import org_view
from accounts.audit import exports, selectors
from accounts.audit.forms import AuditFilterForm
from accounts.models import AuditEvent, Membership, Organisation
from accounts.policy import Action

AUDIT = "settings/audit.html"
PAGE_SIZE = 50


def _value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _field_name(key: str) -> str:
    """A setting's name in the reader's language (its model field's label), else the key."""
    try:
        return str(Organisation._meta.get_field(key).verbose_name)
    except Exception:  # noqa: BLE001 - any key that is not an organisation field
        return key.replace("_", " ")


def detail_lines(event: AuditEvent) -> list[str]:
    """The details as short lines: "role: member → admin", "reason: …"."""
    details = event.details or {}
    if set(details) == {"old", "new"}:  # a role: "Member → Admin"
        labels = dict(Membership.Role.choices)
        old, new = (labels.get(details[k], details[k]) for k in ("old", "new"))
        return [f"{_value(old)} → {_value(new)}"]
    lines = []
    for key, value in details.items():
        name = _field_name(key) if event.action == AuditEvent.Kind.SETTINGS_CHANGED else key
        if isinstance(value, dict) and set(value) == {"old", "new"}:
            text = f"{_value(value['old'])} → {_value(value['new'])}"
        else:
            text = _value(value)
        lines.append(f"{name}: {text[:300]}")
    return lines


def _filtered(request):
    form = AuditFilterForm(request.GET or None, organisation=request.organisation)
    if not request.GET:
        return form, selectors.Filters()
    if form.is_valid():
        return form, form.filters()
    return form, None


@org_view(action=Action.AUDIT_READ)
@require_GET
def audit_log(request):
    organisation = request.organisation
    form, filters = _filtered(request)
    page = None
    if filters is not None:
        paginator = Paginator(selectors.events(organisation, filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        for event in page.object_list:
            event.lines = detail_lines(event)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filters": filters}
    template = f"{AUDIT}#audit-list" if request.htmx else AUDIT
    return render(request, template, context)


def _download(request, extension: str, content_type: str):
    organisation = request.organisation
    form, filters = _filtered(request)
    if filters is None:
        return render(request, AUDIT, {"form": form, "page": None, "filters": None}, status=400)
    audit.record(
        organisation,
        request.user,
        audit.Kind.EXPORT_DOWNLOADED,
        details={"export": "audit-log", "format": extension, "filters": filters.as_dict()},
    )
    queryset = selectors.events(organisation, filters)
    if extension == "csv":
        stream = exports.csv_stream(queryset, organisation)
    else:
        stream = exports.json_stream(queryset, organisation, filters.as_dict())
    response = StreamingHttpResponse(stream, content_type=content_type)
    day = timezone.localdate(timezone.now(), organisation.tz).isoformat()
    filename = f"{organisation.slug}-audit-log-{day}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@org_view(action=Action.AUDIT_READ)
@require_GET
def audit_csv(request):
    return _download(request, "csv", "text/csv; charset=utf-8")


@org_view(action=Action.AUDIT_READ)
@require_GET
def audit_json(request):
    return _download(request, "json", "application/json")
