"""DPAB's next year in the demo: the strategic objectives leadership keeps point at last year's.

In the fourth quarter the demo already holds next year's strategic OKRs ("leadership
keeps the same three", ``okr.demo.story``). This links each to the objective of the
year before with the same title (``carried_from``), as carrying it on (``okr.years``)
would have, so the year-end review shows what carried over. Idempotent.
"""

from __future__ import annotations

from okr.models import Cycle, Objective


def link_carried_on(organisation) -> int:
    """Link next year's strategic objectives to last year's by title; how many were linked."""
    strategic = Objective.objects.filter(
        organisation=organisation,
        level=Objective.Level.STRATEGIC,
        cycle__kind=Cycle.Kind.YEAR,
    ).exclude(status=Objective.Status.ARCHIVED)
    by_year: dict[int, dict[str, Objective]] = {}
    for objective in strategic.select_related("cycle"):
        by_year.setdefault(objective.cycle.year, {})[objective.title] = objective
    linked = 0
    for year, objectives in by_year.items():
        before = by_year.get(year - 1, {})
        for title, objective in objectives.items():
            source = before.get(title)
            if source is not None and objective.carried_from_id is None:
                Objective.objects.filter(pk=objective.pk).update(carried_from=source)
                linked += 1
    return linked
