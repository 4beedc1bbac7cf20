"""DPAB's alignment for the demo (docs/dpab.md): the Försäljning–Marknad
dependency and the quarterly steps of "20MSEK försäljning till nya kunder".

Idempotent: the dependency is found by its two key results, the steps by
key result and quarter; loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Organisation, User
from alignment import services
from alignment.models import Dependency
from okr.lib import calendar
from okr.models import Cycle, KeyResult

NEEDING_KR = "Rekrytera 2 norska säljare"
DELIVERING_KR = "Produktkatalog på norska till tryck senast 15/3"
DESCRIPTION = (
    "Den första norska säljaren börjar i mitten av februari och behöver Marknads "
    "norska säljmaterial, framför allt produktkatalogen på norska."
)
STEPPED_KR = "20MSEK försäljning till nya kunder"
STEPS = {1: Decimal(4), 2: Decimal(9), 3: Decimal(14), 4: Decimal(20)}  # MSEK, cumulative


@transaction.atomic
def load_alignment(organisation: Organisation) -> dict:
    """The dependency between the first quarter's key results, and the year's quarterly steps.

    Both of the current fiscal year: the same titles come back in later quarters and in
    other years' strategic OKRs (okr/demo/story.py), so the quarter and year are named.
    """
    year = calendar.current_fiscal_year(organisation)
    first_quarter = {
        kr.title: kr
        for kr in KeyResult.objects.filter(
            organisation=organisation,
            title__in=[NEEDING_KR, DELIVERING_KR],
            objective__cycle__kind=Cycle.Kind.QUARTER,
            objective__cycle__year=year,
            objective__cycle__quarter=1,
        ).select_related("objective")
    }
    krs = {
        **first_quarter,
        STEPPED_KR: KeyResult.objects.filter(
            organisation=organisation,
            title=STEPPED_KR,
            objective__cycle__kind=Cycle.Kind.YEAR,
            objective__cycle__year=year,
        )
        .select_related("objective__cycle")
        .first(),
    }
    needing, delivering = krs.get(NEEDING_KR), krs.get(DELIVERING_KR)
    if needing and delivering:
        exists = Dependency.objects.filter(
            organisation=organisation,
            needing_key_result=needing,
            delivering_key_result=delivering,
        ).exists()
        if not exists:
            services.dependency_create(
                organisation=organisation,
                needing_objective=needing.objective,
                needing_key_result=needing,
                delivering_objective=delivering.objective,
                delivering_key_result=delivering,
                description=DESCRIPTION,
                needed_by=date(year, 2, 15),
                created_by=User.objects.filter(email="fredrika@dpab.example").first(),
            )
    stepped = krs.get(STEPPED_KR)
    if stepped is not None:
        quarters = {q.quarter: q for q in stepped.objective.cycle.quarters.all()}
        services.key_result_steps_set(
            key_result=stepped, targets={quarters[n]: value for n, value in STEPS.items()}
        )
    return {
        "dependencies": Dependency.objects.filter(organisation=organisation).count(),
    }
