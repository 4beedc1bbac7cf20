"""OKR pages: parse the request, call a selector or service, render."""

from django.shortcuts import render

from accounts.access import org_view


@org_view
def home(request):
    """The organisation's home: vision, mission and where the OKRs stand."""
    organisation = request.organisation
    return render(request, "okr/home.html", {"organisation": organisation})


@org_view
def my_check_ins(request):
    return render(request, "okr/home.html", {"organisation": request.organisation})
