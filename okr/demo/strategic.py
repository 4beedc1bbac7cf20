"""DPAB's OKRs for the demo: the strategic OKRs of the current fiscal year, the
first quarter's team OKRs (verbatim from ../shared/examples/dpab.md) and a
plausible history of check-ins.

Idempotent: objectives and key results are found by their text, check-ins
are only added to key results that have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Team, User
from okr.lib import calendar
from okr.models import CheckIn, Cycle, KeyResult, Objective
from okr.objectives import services

D = Decimal


@dataclass
class Kr:
    title: str
    owner: str
    kind: str = "metric"
    start: Decimal | None = D(0)
    target: Decimal | None = None
    unit: str = ""
    direction: str = "increase"
    commitment: str = "aspirational"
    due: tuple[int, int] | None = None  # (month, day) in the demo year
    # Where the key result ends up at the last check-in, as a share of the way (metrics),
    # or whether it was done (milestones).
    reached: float = 0.7


@dataclass
class Obj:
    title: str
    owner: str
    krs: list[Kr] = field(default_factory=list)
    why: str = ""
    parent: str | None = None  # title of a strategic objective or key result
    alignment: str = "indirect"
    status: str = "approved"


STRATEGIC = [
    Obj(
        "Kommande år vårt starkaste tillväxtår någonsin",
        "vilma",
        [
            Kr(
                "20MSEK försäljning till nya kunder",
                "fredrika",
                target=D(20),
                unit="MSEK",
                commitment="committed",
                reached=0.97,
            ),
            Kr(
                "Öka värdet av befintliga kunder med 20%",
                "fredrika",
                target=D(20),
                unit="%",
                reached=0.8,
            ),
        ],
        why="Tillväxten har stannat av; vi ska växa igen.",
    ),
    Obj(
        "Leverera branschens bästa upplevelse",
        "pernilla",
        [
            Kr(
                "5% churn",
                "pernilla",
                start=D(15),
                target=D(5),
                unit="%",
                direction="decrease",
                reached=0.6,
            ),
            Kr("Rullande 3-månaders NPS på X", "pernilla", start=None, target=None, unit="NPS"),
        ],
    ),
    Obj(
        "Marknadstest i Norge",
        "vilma",
        [
            Kr(
                "10 nya norska kunder innan året är slut",
                "fredrika",
                target=D(10),
                unit="kunder",
                reached=1.0,
            ),
            Kr(
                "3 validerade säljstrategier för den norska marknaden",
                "fredrika",
                target=D(3),
                unit="st",
                reached=0.67,
            ),
        ],
    ),
]

TEAM_Q1 = {
    "Marknad": [
        Obj(
            "Leverera det marknadsmaterial som behövs för säljtester i Norge",
            "per",
            [
                Kr(
                    "Lansera översatt hemsida senast 15/2",
                    "per",
                    kind="milestone",
                    due=(2, 15),
                    reached=1,
                ),
                Kr(
                    "Produktkatalog på norska till tryck senast 15/3",
                    "per",
                    kind="milestone",
                    due=(3, 15),
                    reached=0,
                ),
            ],
            parent="Marknadstest i Norge",
        ),
        Obj(
            "Stärk relationen till våra befintliga kunder",
            "mats",
            [
                Kr(
                    "Skicka 3 nyhetsbrev till befintliga kunder med en genomsnittlig öppningsfrekvens om 60%",
                    "linnea",
                    target=D(60),
                    unit="%",
                    reached=0.8,
                ),
                Kr(
                    "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
                    "oskar",
                    target=D(10),
                    unit="%",
                    reached=0.5,
                ),
            ],
            parent="5% churn",
        ),
        Obj(
            "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter",
            "mats",
            [
                Kr(
                    "Ta fram ett kampanjkoncept färdigt att lansera 1 februari",
                    "mats",
                    kind="milestone",
                    due=(2, 1),
                    reached=1,
                ),
                Kr(
                    "Nå 1000 beslutsfattare med vårt budskap",
                    "linnea",
                    target=D(1000),
                    unit="st",
                    reached=0.72,
                ),
                Kr(
                    "Generera 100 nya leads genom denna kampanj",
                    "oskar",
                    target=D(100),
                    unit="leads",
                    reached=0.41,
                ),
            ],
            parent="Kommande år vårt starkaste tillväxtår någonsin",
        ),
    ],
    "Försäljning": [
        Obj(
            "Aggressiv försäljningstillväxt",
            "fredrika",
            [
                Kr(
                    "Fakturering nya kunder uppgår till 4MSEK",
                    "fredrika",
                    target=D(4),
                    unit="MSEK",
                    commitment="committed",
                    reached=0.78,
                ),
                Kr(
                    "Merförsäljning om 1,5MSEK till befintliga kunder",
                    "johan",
                    target=D("1.5"),
                    unit="MSEK",
                    reached=0.6,
                ),
            ],
            parent="20MSEK försäljning till nya kunder",
            alignment="direct",
        ),
        Obj(
            "Stå rustade för framtida ökad tillväxttakt",
            "fredrika",
            [
                Kr("Rekrytera 2 norska säljare", "fredrika", target=D(2), unit="st", reached=0.5),
                Kr(
                    "Plan för merförsäljning redo att sättas i handling 28 februari",
                    "johan",
                    kind="milestone",
                    due=(2, 28),
                    reached=1,
                ),
                Kr(
                    "10 säljare genomgår utbildning i lösningsförsäljning",
                    "johan",
                    target=D(10),
                    unit="st",
                    reached=0.3,
                ),
            ],
            parent="Kommande år vårt starkaste tillväxtår någonsin",
        ),
    ],
    "Produktion": [
        Obj(
            "Felfri hantering",
            "pernilla",
            [
                Kr(
                    "100% av all post går till rätt mottagare",
                    "par",
                    start=D("97.5"),
                    target=D(100),
                    unit="%",
                    commitment="committed",
                    reached=0.4,
                ),
                Kr(
                    "100% av all post hanteras",
                    "pernilla",
                    start=D("98.2"),
                    target=D(100),
                    unit="%",
                    commitment="committed",
                    reached=0.55,
                ),
            ],
            parent="5% churn",
        ),
        Obj(
            "Överträffa våra kunders förväntningar",
            "pernilla",
            [
                Kr(
                    "30% minskning i snitthanteringstid för ett brev",
                    "par",
                    start=D(10),
                    target=D(7),
                    unit="min",
                    direction="decrease",
                    reached=0.3,
                ),
                Kr(
                    "Ta fram och leverera rapport om volym och precision för 25 största kunder",
                    "par",
                    kind="milestone",
                    due=(3, 31),
                    reached=0,
                ),
                Kr(
                    "Hämta ett NPS-basvärde genom att fråga 100 kunder",
                    "pernilla",
                    target=D(100),
                    unit="kunder",
                    reached=0.64,
                ),
            ],
            parent="Leverera branschens bästa upplevelse",
        ),
    ],
}

NOTES = {
    "on_track": "Går enligt plan.",
    "at_risk": "Något efter, vi ser över prioriteringarna.",
    "off_track": "Långt efter: behöver hjälp på ledningsmötet.",
}


def _people(organisation: Organisation) -> dict[str, User]:
    users = User.objects.filter(memberships__organisation=organisation)
    return {u.email.split("@")[0]: u for u in users}


def _objective(organisation, cycle, level, spec: Obj, people, team=None, parents=None) -> Objective:
    objective = Objective.objects.filter(
        organisation=organisation, cycle=cycle, level=level, team=team, title=spec.title
    ).first()
    if objective is None:
        parent = (parents or {}).get(spec.parent)
        objective = services.objective_create(
            organisation=organisation,
            cycle=cycle,
            level=level,
            team=team,
            title=spec.title,
            why=spec.why,
            owner=people.get(spec.owner),
            parent_objective=parent if isinstance(parent, Objective) else None,
            parent_key_result=parent if isinstance(parent, KeyResult) else None,
            alignment=spec.alignment,
            status=spec.status,
        )
    return objective


def _key_result(objective: Objective, spec: Kr, people, year: int) -> KeyResult:
    kr = objective.key_results.filter(title=spec.title).first()
    if kr is None:
        kr = services.key_result_create(
            objective=objective,
            title=spec.title,
            owner=people.get(spec.owner),
            kind=spec.kind,
            unit=spec.unit,
            direction=spec.direction,
            start_value=spec.start if spec.kind == "metric" else None,
            target_value=spec.target if spec.kind == "metric" else None,
            due_date=date(year, *spec.due) if spec.due else None,
            commitment=spec.commitment,
        )
    return kr


def _confidence(share_of_expected: float) -> str:
    if share_of_expected >= 0.85:
        return "on_track"
    if share_of_expected >= 0.6:
        return "at_risk"
    return "off_track"


def _history(kr: KeyResult, spec: Kr, cycle: Cycle, people, now: datetime) -> None:
    """Check-ins every second Monday across the cycle (up to now), approaching ``reached``."""
    if kr.check_ins.exists() or (spec.kind == "metric" and spec.target is None):
        return
    tz = timezone.get_current_timezone()
    first = cycle.start_date + timedelta(days=(7 - cycle.start_date.weekday()) % 7 + 7)
    days = (cycle.end_date - cycle.start_date).days
    author = people.get(spec.owner)
    day = first
    while day <= cycle.end_date:
        at = datetime.combine(day, time(9, 30), tzinfo=tz)
        if at > now:
            break
        elapsed = (day - cycle.start_date).days / days
        # An S-curve that ends at ``reached``: slow start, then progress.
        share = spec.reached * min(1.0, elapsed) ** 1.3
        confidence = _confidence(share / max(elapsed, 0.05) if elapsed < 1 else spec.reached)
        if spec.kind == "metric":
            value = spec.start + (spec.target - spec.start) * Decimal(str(round(share, 4)))
            services.check_in_record(
                key_result=kr,
                author=author,
                value=value.quantize(Decimal("0.01")),
                confidence=confidence,
                note=NOTES[confidence],
                at=at,
            )
        else:
            due = kr.due_date or cycle.end_date
            done = bool(spec.reached) and day >= due
            services.check_in_record(
                key_result=kr,
                author=author,
                done=done,
                confidence="on_track" if done or day < due else "off_track",
                note="Klart!" if done else NOTES["on_track" if day < due else "off_track"],
                at=at,
            )
        day += timedelta(days=14)


@transaction.atomic
def load_okrs(organisation: Organisation) -> dict:
    now = calendar.clock()
    year = calendar.current_fiscal_year(organisation, now)
    year_cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
    q1 = year_cycle.quarters.get(quarter=1)
    people = _people(organisation)
    parents: dict[str, Objective | KeyResult] = {}
    for spec in STRATEGIC:
        objective = _objective(organisation, year_cycle, Objective.Level.STRATEGIC, spec, people)
        parents[spec.title] = objective
        for kr_spec in spec.krs:
            kr = _key_result(objective, kr_spec, people, year)
            parents[kr_spec.title] = kr
            _history(kr, kr_spec, year_cycle, people, now)
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    for team_name, specs in TEAM_Q1.items():
        for spec in specs:
            objective = _objective(
                organisation, q1, Objective.Level.TEAM, spec, people, teams[team_name], parents
            )
            for kr_spec in spec.krs:
                kr = _key_result(objective, kr_spec, people, year)
                _history(kr, kr_spec, q1, people, now)
    return counts(organisation)


def counts(organisation: Organisation) -> dict:
    return {
        "objectives": Objective.objects.filter(organisation=organisation).count(),
        "key_results": KeyResult.objects.filter(organisation=organisation).count(),
        "check_ins": CheckIn.objects.filter(organisation=organisation).count(),
    }
