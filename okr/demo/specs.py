"""DPAB's OKRs as the demo tells them (docs/dpab.md, the reference company): the texts, verbatim.

Data only; okr/demo/okrs.py writes them. Three sets of team OKRs take turns
through the year:

* ``TEAM_Q1``: the first quarter's team OKRs of Marknad, Försäljning and
  Produktion, as docs/dpab.md lists them (the first quarter of the fiscal year).
* ``CARRIED``: what the teams carried on with in the later quarters ("How the
  year went": Produktion's zero-error vision, Försäljning's growth, Marknad's
  work on existing customers), their Q1 texts kept, with where each key result
  ended in each quarter (``REACHED``): Produktion came very close to zero errors
  in Q3, once its delivery manager had started in Q2.
* ``NEXT``: the drafts of the coming quarter's workshop. Produktion has proposed
  "Överträffa våra kunders förväntningar" (its report did not make it in Q1) and
  waits for leadership; Marknad and Försäljning are still drafting.

Each set has one objective leadership sent back once ("changes requested")
before approving it (``SENT_BACK``), with the comment the team got.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

D = Decimal


@dataclass(frozen=True)
class Kr:
    title: str
    owner: str
    kind: str = "metric"
    start: Decimal | None = D(0)
    target: Decimal | None = None
    unit: str = ""
    direction: str = "increase"
    commitment: str = "aspirational"
    # (month, day) in the cycle's year; a milestone without one is due on its cycle's last day.
    due: tuple[int, int] | None = None
    # "sum": its current value is the sum of the team key results aligned directly to it
    # (DPAB's "20MSEK": each quarter's invoicing adds into the year); it has no check-ins.
    rollup: str = "none"
    # Where the key result ends up at the end of its cycle, as a share of the way (metrics),
    # or whether it gets done (milestones); check-ins approach it along an S-curve.
    reached: float = 0.7


@dataclass(frozen=True)
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
                rollup="sum",
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
                    "per",
                    target=D(60),
                    unit="%",
                    reached=0.8,
                ),
                Kr(
                    "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
                    "per",
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


# Per set: (objective, leadership's comment when it sent the objective back once).
SENT_BACK = {
    1: (
        "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter",
        "Bra mål, men hur vet vi att det ger nya kontakter? Lägg till ett nyckelresultat "
        "för antalet leads, så att vi ser att kampanjen leder till försäljning.",
    ),
    "later": (
        "Stärk relationen till våra befintliga kunder",
        "Bra, men hur ser vi att relationen blir starkare? Koppla nyckelresultaten till "
        "churn, så att vi vet att nyhetsbreven och eventet gör skillnad.",
    ),
}


CARRIED = {
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
            ),
            Kr(
                "100% av all post hanteras",
                "pernilla",
                start=D("99.5"),
                target=D(100),
                unit="%",
                commitment="committed",
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
            ),
            Kr(
                "Merförsäljning om 1,5MSEK till befintliga kunder",
                "johan",
                target=D("1.5"),
                unit="MSEK",
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
            ),
            Kr(
                "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
                "per",
                target=D(10),
                unit="%",
            ),
        ],
        parent="5% churn",
    ),
}

# key result -> where it ended in the quarter: {quarter: reached}.
REACHED = {
    "100% av all post går till rätt mottagare": {2: 0.6, 3: 0.95, 4: 0.9},
    "100% av all post hanteras": {2: 0.75, 3: 0.97, 4: 0.95},
    "Fakturering nya kunder uppgår till 4MSEK": {2: 0.8, 3: 0.9, 4: 1.0},
    "Merförsäljning om 1,5MSEK till befintliga kunder": {2: 0.55, 3: 0.7, 4: 0.65},
    "Skicka 3 nyhetsbrev till befintliga kunder med en genomsnittlig öppningsfrekvens om 60%": {
        2: 0.7,
        3: 0.85,
        4: 0.8,
    },
    "10% av våra kunder deltar i ett event vi anordnar under kvartalet": {2: 0.4, 3: 0.6, 4: 0.7},
}

NEXT = {
    "Produktion": Obj(
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
            ),
            Kr(
                "Ta fram och leverera rapport om volym och precision för 25 största kunder",
                "par",
                kind="milestone",
            ),
            Kr(
                "Hämta ett NPS-basvärde genom att fråga 100 kunder",
                "pernilla",
                target=D(100),
                unit="kunder",
            ),
        ],
        parent="Leverera branschens bästa upplevelse",
        status="proposed",
    ),
    "Marknad": Obj(
        "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter",
        "mats",
        [
            Kr("Nå 1000 beslutsfattare med vårt budskap", "linnea", target=D(1000), unit="st"),
            Kr("Generera 100 nya leads genom denna kampanj", "oskar", target=D(100), unit="leads"),
        ],
        parent="Kommande år vårt starkaste tillväxtår någonsin",
        status="draft",
    ),
    "Försäljning": Obj(
        "Stå rustade för framtida ökad tillväxttakt",
        "fredrika",
        [
            Kr("Rekrytera 2 norska säljare", "fredrika", target=D(2), unit="st"),
            Kr(
                "10 säljare genomgår utbildning i lösningsförsäljning",
                "johan",
                target=D(10),
                unit="st",
            ),
        ],
        parent="Kommande år vårt starkaste tillväxtår någonsin",
        status="draft",
    ),
}


def carried(quarter: int) -> dict[str, Obj]:
    """The carried-on team OKRs of quarter 2, 3 or 4, each key result ending where it did then."""
    return {
        team: replace(
            spec, krs=[replace(kr, reached=REACHED[kr.title][quarter]) for kr in spec.krs]
        )
        for team, spec in CARRIED.items()
    }


def sent_back(quarter: int) -> tuple[str, str]:
    """The objective of the quarter's set leadership sent back once, and its comment."""
    return SENT_BACK[1 if quarter == 1 else "later"]


def team_sets(quarter: int) -> dict[str, list[Obj]]:
    """The team OKRs of a quarter that is under way or over: Q1's own, else the carried ones."""
    if quarter == 1:
        return TEAM_Q1
    return {team: [spec] for team, spec in carried(quarter).items()}
