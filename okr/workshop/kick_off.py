"""The kick-off presentation: vision, mission and the year's strategic OKRs, one per screen."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from accounts.access import org_view
from okr.lib import calendar
from okr.workshop import selectors as queries

PRESENTATION_TEMPLATE = "workshop/presentation.html"


# --- The kick-off presentation ----------------------------------------------------------------


@org_view
def presentation(request):
    """Vision, mission and the year's strategic OKRs, one objective per screen, for the kick-off.

    ``?slide=0`` is vision and mission, ``1..n`` the objectives, ``n+1`` the
    way to the team workshops; ``?all=1`` shows every slide for printing.
    """
    organisation = request.organisation
    current = calendar.current_fiscal_year(organisation)
    year = calendar.parse_year(request.GET.get("year"), current)
    year_cycle = queries.year_cycle_of(organisation, year)
    strategic = queries.strategic_of_year(organisation, year_cycle)
    last = len(strategic) + 1
    show_all = request.GET.get("all") == "1"
    slide = calendar.parse_int(request.GET.get("slide"), 0, 0, last)
    base = reverse("okr:presentation", args=[organisation.slug])
    return render(
        request,
        PRESENTATION_TEMPLATE,
        {
            "year": year,
            "year_label": year_cycle.label
            if year_cycle
            else calendar.fiscal_year_label(year, organisation.fiscal_year_start_month),
            "strategic": strategic,
            "slide": slide,
            "last": last,
            "show_all": show_all,
            "objective": strategic[slide - 1] if 1 <= slide <= len(strategic) else None,
            "previous_url": f"{base}?year={year}&slide={slide - 1}" if slide > 0 else "",
            "next_url": f"{base}?year={year}&slide={slide + 1}" if slide < last else "",
            "print_url": f"{base}?year={year}&all=1",
            "first_url": f"{base}?year={year}&slide=0",
        },
    )
