"""The personal OKR pilot in the demo: DPAB tries "individuella OKRer på prov".

By the end of the year DPAB "har redan påbörjat diskussionen om hur det skulle kunna
se ut med individuella OKRer på prov" (docs/dpab.md). The demo turns the pilot on and
lets Per, marknadsförare in Marknad, write his own under Marknad's objectives of the
current quarter, with a check-in, so a newcomer sees them on Per's home page, on
"My OKRs" and as a third level in the alignment tree. Written through the personal
services; idempotent: an objective already there is not written again.
"""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Organisation, User
from okr.demo.story import Plan
from okr.models import CheckIn, Cycle, KeyResult, Objective
from okr.objectives import services as core
from okr.personal import services

PERSON = "per@dpab.example"
TEAM = "Marknad"

#: (objective, why, [(key result, kind, start, target, unit, now)]), under Marknad's
#: first objective, then under the first key result of its second (or first) objective.
PERSONAL_OKRS = [
    (
        "Bli en säkrare skribent av texter som våra kunder faktiskt läser",
        "Vi testar individuella OKRer på prov. Mina texter är det mesta kunderna ser av oss.",
        [
            ("Öppningsfrekvens på mina nyhetsbrev från 40% till 60%", "metric", 40, 60, "%", 55),
            (
                "Gå kursen i copywriting och dela tre lärdomar med teamet",
                "milestone",
                None,
                None,
                "",
                None,
            ),
        ],
    ),
    (
        "Lär känna våra norska kunder på riktigt",
        "Materialet till Norge blir bättre om jag vet vad de norska kunderna frågar efter.",
        [("Samtal med 10 norska kunder under kvartalet", "metric", 0, 10, "samtal", 7)],
    ),
]


def _team_objectives(organisation: Organisation, quarter: Cycle) -> list[Objective]:
    return list(
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team__name=TEAM,
            status=Objective.Status.APPROVED,
        ).order_by("order", "id")
    )


def _write(organisation, person: User, spec, parent_objective, parent_key_result) -> None:
    title, why, key_results = spec
    if Objective.objects.filter(
        organisation=organisation, level=Objective.Level.PERSONAL, owner=person, title=title
    ).exists():
        return
    objective = services.personal_objective_create(
        organisation=organisation,
        author=person,
        title=title,
        why=why,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
    )
    for kr_title, kind, start, target, unit, now in key_results:
        numbers = (
            {"start_value": Decimal(start), "target_value": Decimal(target), "unit": unit}
            if kind == KeyResult.Kind.METRIC
            else {}
        )
        kr = services.personal_key_result_create(
            objective=objective, author=person, title=kr_title, kind=kind, **numbers
        )
        if now is not None:
            core.check_in_record(
                key_result=kr,
                author=person,
                value=Decimal(now),
                confidence=CheckIn.Confidence.ON_TRACK,
                note="Det går framåt.",
            )


def lay_out(organisation: Organisation, plan: Plan) -> None:
    """Turn the pilot on and write Per's personal OKRs of the current quarter."""
    if not organisation.personal_okrs:
        organisation.personal_okrs = True
        organisation.save(update_fields=["personal_okrs"])
    year, quarter_number = plan.current
    quarter = Cycle.objects.filter(
        organisation=organisation, kind=Cycle.Kind.QUARTER, year=year, quarter=quarter_number
    ).first()
    person = User.objects.filter(email=PERSON, memberships__organisation=organisation).first()
    objectives = _team_objectives(organisation, quarter) if quarter else []
    if person is None or not objectives:
        return
    first, second = objectives[0], objectives[min(1, len(objectives) - 1)]
    under_kr = second.key_results.filter(archived=False).order_by("order", "id").first()
    _write(organisation, person, PERSONAL_OKRS[0], first, None)
    _write(organisation, person, PERSONAL_OKRS[1], None if under_kr else second, under_kr)
