"""The import page (``/<org>/import/``): upload, preview, confirm; and the template.

Every member reaches it (404 for others); which rows a person may import is the
policy's ``OKR_IMPORT`` per row, shown as row errors. The parsed upload waits between
the preview and the confirmation in the cache, under a key of the person and the
organisation, with a random token the confirm form carries (an hour at most).
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from accounts import policy
from accounts.access import org_view
from accounts.fields import TextRules
from accounts.policy import Action
from okr.imports import checking, reading, services, template
from okr.imports.reading import Sheet

KEEP_SECONDS = 3600


class UploadForm(TextRules, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy("At most 2 MB and 2,000 rows. Nothing is saved before you confirm."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reading.MAX_BYTES:
            raise forms.ValidationError(_(reading.FILE_TOO_BIG))
        try:
            self.sheet = reading.read(upload.name, upload.read(reading.MAX_BYTES + 1))
        except reading.FileRefused as refusal:
            raise forms.ValidationError(_(refusal.message)) from None
        return upload


def _key(request) -> str:
    return f"okr-import:{request.organisation.pk}:{request.user.pk}"


def _keep(request, sheet: Sheet, name: str) -> str:
    token = secrets.token_urlsafe(16)
    entry = {"token": token, "name": name[:200], "header": sheet.header, "rows": sheet.rows}
    cache.set(_key(request), entry, KEEP_SECONDS)
    return token


def _kept(request) -> tuple[Sheet, str] | None:
    entry = cache.get(_key(request))
    token = request.POST.get("token", "")
    if not entry or not isinstance(token, str) or not secrets.compare_digest(entry["token"], token):
        return None
    return Sheet(entry["header"], [tuple(r) for r in entry["rows"]]), entry["name"]


def _page(request, **context):
    organisation = request.organisation
    context.setdefault("form", UploadForm())
    context["may_strategic"] = policy.can(request.membership, Action.OKR_IMPORT, None)
    context["columns"] = [pgettext(reading.COLUMN, t) for _key, t in reading.COLUMNS]
    return render(request, "imports/import.html", {"organisation": organisation, **context})


def _landing(request, objectives):
    """The workshop of the first team imported, at its quarter; else the strategic page."""
    slug = request.organisation.slug
    for objective in objectives:
        if objective.team is not None:
            url = reverse("okr:team_workshop", args=[slug, objective.team.uuid])
            return redirect(f"{url}?quarter={objective.cycle.year}-Q{objective.cycle.quarter}")
    year = objectives[0].cycle.year if objectives else ""
    return redirect(f"{reverse('okr:strategic', args=[slug])}?year={year}")


@org_view
def import_page(request):
    if request.method != "POST":
        return _page(request)
    if "confirm" in request.POST:
        kept = _kept(request)
        if kept is None:
            form = UploadForm()
            message = _("The preview has expired: upload the file again.")
            return _page(request, form=form, expired=message)
        sheet, name = kept
        try:
            plan, created = services.import_sheet(
                organisation=request.organisation, membership=request.membership, sheet=sheet
            )
        except services.ImportFailed as failure:
            plan = (
                failure.plan
                if failure.plan.objectives
                else checking.check(request.organisation, request.membership, sheet)
            )
            errors = failure.plan.errors
            return _page(request, plan=plan, errors=errors, name=name, failed=True)
        cache.delete(_key(request))
        messages.success(
            request,
            _("Imported %(objectives)s objectives and %(key_results)s key results.")
            % {"objectives": len(plan.objectives), "key_results": plan.key_result_count},
        )
        return _landing(request, created)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    plan = checking.check(request.organisation, request.membership, form.sheet)
    name = form.cleaned_data["file"].name or ""
    token = None if plan.errors else _keep(request, form.sheet, name)
    return _page(request, plan=plan, errors=plan.errors, token=token, name=name)


@org_view
@require_GET
def template_csv(request):
    return _file(template.as_csv(request.organisation), "csv", "text/csv; charset=utf-8")


@org_view
@require_GET
def template_xlsx(request):
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _file(template.as_xlsx(request.organisation), "xlsx", kind)


def _file(content: bytes, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = _("okr-import-template")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
