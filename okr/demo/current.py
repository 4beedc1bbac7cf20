"""DPAB's current quarter for the demo: the objectives the teams kept working on.

The story (../shared/examples/dpab.md, "How the year went") has the teams
carry on with what Q1 started: Produktion's zero-error vision, Försäljning's
growth and Marknad's work on existing customers. Their Q1 texts are kept
verbatim; each current objective points at its Q1 original (``carried_from``)
and has check-ins every second week of the quarter so far. When today is in
Q1 there is nothing to add: Q1 is the current quarter.

Idempotent: objectives are found by team, quarter and title.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal as D  # noqa: E402,N817

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Team
from okr.demo.strategic import Kr, Obj, _history, _key_result, _objective, _people
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, ObjectiveEvent
from okr.objectives import selectors

CURRENT = {
    "Produktion": Obj(
        "Felfri hantering",
        "pernilla",
        [
            Kr(
                "100% av all post går till rätt mottagare",
                "par",
                start=D("99.2"),
                target=D(100),
                unit="%",
                commitment="committed",
                reached=0.75,
            ),
            Kr(
                "100% av all post hanteras",
                "pernilla",
                start=D("99.5"),
                target=D(100),
                unit="%",
                commitment="committed",
                reached=0.9,
            ),
        ],
        parent="5% churn",
    ),
    "Försäljning": Obj(
        "Aggressiv försäljningstillväxt",
        "fredrika",
        [
            Kr(
                "Fakturering nya kunder uppgår till 4MSEK",
                "fredrika",
                target=D(4),
                unit="MSEK",
                commitment="committed",
                reached=0.8,
            ),
            Kr(
                "Merförsäljning om 1,5MSEK till befintliga kunder",
                "johan",
                target=D("1.5"),
                unit="MSEK",
                reached=0.55,
            ),
        ],
        parent="20MSEK försäljning till nya kunder",
        alignment="direct",
    ),
    "Marknad": Obj(
        "Stärk relationen till våra befintliga kunder",
        "mats",
        [
            Kr(
                "Skicka 3 nyhetsbrev till befintliga kunder med en genomsnittlig öppningsfrekvens om 60%",
                "per",
                target=D(60),
                unit="%",
                reached=0.7,
            ),
            Kr(
                "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
                "per",
                target=D(10),
                unit="%",
                reached=0.4,
            ),
        ],
        parent="5% churn",
    ),
}


def _parents(organisation: Organisation, year_cycle: Cycle) -> dict:
    parents: dict[str, Objective | KeyResult] = {}
    for objective in Objective.objects.filter(
        organisation=organisation, cycle=year_cycle, level="strategic"
    ):
        parents[objective.title] = objective
    for kr in KeyResult.objects.filter(organisation=organisation, objective__cycle=year_cycle):
        parents[kr.title] = kr
    return parents


@transaction.atomic
def load_current_quarter(organisation: Organisation) -> int:
    """Add the current quarter's team OKRs; returns how many objectives it created."""
    today = calendar.today(organisation)
    quarter = selectors.cycle_containing(organisation, today, Cycle.Kind.QUARTER)
    if quarter is None or quarter.quarter == 1:
        return 0
    year_cycle = quarter.parent
    q1 = year_cycle.quarters.get(quarter=1)
    people = _people(organisation)
    vilma = people.get("vilma")
    parents = _parents(organisation, year_cycle)
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    now = calendar.clock()
    created = 0
    for team_name, spec in CURRENT.items():
        team = teams[team_name]
        existing = Objective.objects.filter(
            organisation=organisation, cycle=quarter, team=team, title=spec.title
        )
        is_new = not existing.exists()
        objective = _objective(
            organisation, quarter, Objective.Level.TEAM, spec, people, team, parents
        )
        if is_new:
            created += 1
            original = Objective.objects.filter(cycle=q1, team=team, title=spec.title).first()
            if original is not None and hasattr(objective, "carried_from"):
                Objective.objects.filter(pk=objective.pk).update(carried_from=original)
            start = datetime.combine(
                quarter.start_date, time(10, 0), tzinfo=timezone.get_current_timezone()
            )
            for old, new, author in [
                ("", "draft", people.get(spec.owner)),
                ("draft", "proposed", people.get(spec.owner)),
                ("proposed", "approved", vilma),
            ]:
                event = ObjectiveEvent.objects.create(
                    organisation=organisation,
                    objective=objective,
                    from_status=old,
                    to_status=new,
                    author=author,
                )
                ObjectiveEvent.objects.filter(pk=event.pk).update(created_at=start)
        for kr_spec in spec.krs:
            kr = _key_result(objective, kr_spec, people, year_cycle.year)
            _history(kr, kr_spec, quarter, people, now)
    return created
