"""The settings page "Delete organisation" (admins): ask for the deletion by typing the
organisation's name, or undo it during the grace period (the banner's button posts here too).

Writes go through ``accounts.deletion.services``. Asking twice, or undoing what is not
pending (another admin was first), shows the page again with the reason and 409, as the
API answers and as refusals for the state are answered everywhere (``access.refused``).
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
        return reverse("okr:organisation_export", args=[organisation.slug])
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


def _conflict(request, conflict: services.DeletionConflict):
    """The page as it is now, with why the deletion's state refused the write (409)."""
    request.organisation.refresh_from_db()  # another admin changed it: show it as it is
    messages.error(request, conflict.message)
    return _render(request, DeletionForm(), status=409)


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
            return _conflict(request, conflict)
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
            return _conflict(request, conflict)
        else:
            messages.success(
                request, _("The organisation will be deleted. Any admin can undo it until then.")
            )
            return here
    return _render(request, form, status=400)
