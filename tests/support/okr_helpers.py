"""Small builders for OKR rows in tests (through the services, as the pages do)."""

from datetime import date
from decimal import Decimal

from okr.models import Cycle
from okr.objectives import services


def year_and_quarter(org, day: date | None = None):
    from django.utils import timezone

    day = day or timezone.localdate()
    year = services.cycle_year_get_or_create(
        organisation=org, year=services.fiscal_year_of(org, day)
    )
    quarter = Cycle.objects.get(
        organisation=org, kind="quarter", start_date__lte=day, end_date__gte=day
    )
    return year, quarter


def strategic_objective(
    org, year, title="Kommande år vårt starkaste tillväxtår någonsin", owner=None
):
    return services.objective_create(
        organisation=org, cycle=year, level="strategic", title=title, owner=owner
    )


def metric_kr(
    objective,
    title="20MSEK försäljning till nya kunder",
    owner=None,
    start=0,
    target=20,
    unit="MSEK",
    **extra,
):
    return services.key_result_create(
        objective=objective,
        title=title,
        owner=owner,
        kind="metric",
        start_value=Decimal(start),
        target_value=None if target is None else Decimal(target),
        unit=unit,
        **extra,
    )


def milestone_kr(objective, title="Lansera översatt hemsida senast 15/2", owner=None, **extra):
    return services.key_result_create(
        objective=objective, title=title, owner=owner, kind="milestone", **extra
    )
