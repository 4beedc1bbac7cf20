"""Settings pages for an organisation's admins."""

from django.shortcuts import render

from .access import org_view


@org_view(role="admin")
def organisation(request):
    return render(request, "settings/organisation.html", {})
