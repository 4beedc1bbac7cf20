"""The settings page "Delete organisation" (admins): ask for the deletion by typing the
organisation's name, or undo it during the grace period (the banner's button posts here too).

Writes go through ``accounts.deletion.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import org_view
from accounts.deletion import services
from accounts.deletion.forms import DeletionForm
from accounts.policy import Action

PAGE = "settings/deletion.html"


def _export_url(organisation) -> str:
    """The whole-organisation export page, when the app has one."""
    try:
        return reverse("settings:export", args=[organisation.slug])
    except NoReverseMatch:
        return ""


def _render(request, form, status=200):
    organisation = request.organisation
    context = {
        "form": form,
        "grace_days": services.grace_days(),
        "requested_by": services.requested_by(organisation),
        "export_url": _export_url(organisation),
    }
    return render(request, PAGE, context, status=status)


@org_view(action=Action.ORGANISATION_DELETE)
@require_http_methods(["GET", "POST"])
def deletion(request):
    organisation = request.organisation
    here = redirect("settings:deletion", organisation.slug)
    if request.method == "GET":
        return _render(request, DeletionForm())
    if "undo" in request.POST:
        try:
            services.organisation_deletion_cancel(request.user, organisation)
        except services.DeletionConflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("The deletion is undone: the organisation stays."))
        return here
    form = DeletionForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_deletion_request(
                request.user, organisation, form.cleaned_data["name"]
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("name", []):
                form.add_error("name", message)
        except services.DeletionConflict as conflict:
            messages.error(request, conflict.message)
            return here
        else:
            messages.success(
                request, _("The organisation will be deleted. Any admin can undo it until then.")
            )
            return here
    return _render(request, form, status=400)
