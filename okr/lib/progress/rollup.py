"""Roll-up: when the direct children of a key result add into its number, and what they add up to.

A key result says how its direct contributions combine (``rollup``):

* ``"sum"``: its current value *is* the sum of the current values of the
  team key results aligned directly to it in the same unit (counts and
  amounts: "20 MSEK", "5 pilot customers");
* ``"none"`` (the default): the children are listed, never added. Rates,
  percentages, NPS and averages can only be this: 35 NPS and 40 NPS do not
  make 75 NPS.

Whether a unit can be summed is decided from its text (``unit_is_summable``),
so a form, the API and the engine refuse the same things. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from okr.lib.progress.engine import METRIC, KeyResultFacts
from okr.lib.progress.maths import Number, _to_float

__all__ = [
    "NOT_METRIC",
    "NOT_SUMMABLE",
    "ROLLUP_NONE",
    "ROLLUP_SUM",
    "ROLLUPS",
    "UNIT_MISMATCH",
    "Contribution",
    "RollUp",
    "adds_into",
    "combine_contributions",
    "contribution_problem",
    "rollup_problem",
    "same_unit",
    "sum_values",
    "unit_family",
    "unit_is_summable",
]

ROLLUP_NONE = "none"
ROLLUP_SUM = "sum"
ROLLUPS = (ROLLUP_NONE, ROLLUP_SUM)

#: Why a roll-up or a contribution is refused (the caller words the message).
NOT_METRIC = "not_metric"
NOT_SUMMABLE = "not_summable"
UNIT_MISMATCH = "unit_mismatch"

# Units that measure a share, a rate, a mean or an index: adding two of them means nothing.
# Whole words, in the languages the app speaks (sv, nb, en), matched case-insensitively.
_NOT_SUMMABLE_WORDS = frozenset(
    {
        "nps",
        "enps",
        "csat",
        "ces",
        "pp",
        "pct",
        "procentenheter",
        "prosentpoeng",
        "rate",
        "ratio",
        "kvot",
        "index",
        "indeks",
        "score",
        "betyg",
        "karakter",
        "mean",
        "median",
        "avg",
        "snitt",
        "gjsn",
        "per",
        "x",
    }
)
# Word beginnings for the same (Swedish and Norwegian make compounds: "snittbetyg", "andelen").
_NOT_SUMMABLE_PREFIXES = (
    "procent",
    "prosent",
    "percent",
    "andel",
    "average",
    "genomsnitt",
    "gjennomsnitt",
    "snitt",
    "rating",
    "frekvens",
    "frequency",
)
# A sign of a share or a rate anywhere in the unit: "%", "‰", "kr/h", "SEK/kund".
_NOT_SUMMABLE_SIGNS = ("%", "‰", "/")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Quantities with units in several scales or currencies, where a mismatch is a mistake.
_FAMILIES = {
    "money": frozenset(
        {"sek", "kr", "kronor", "kroner", "nok", "dkk", "eur", "euro", "usd", "gbp", "€", "$"}
    ),
    "time": frozenset(
        {
            "h",
            "tim",
            "timmar",
            "timer",
            "hours",
            "min",
            "minuter",
            "minutter",
            "dagar",
            "dager",
            "days",
            "veckor",
            "uker",
            "weeks",
            "månader",
            "måneder",
            "months",
        }
    ),
    "mass": frozenset({"g", "kg", "ton", "tonn", "tonnes"}),
}
# Scale prefixes written before a unit: kSEK, MSEK, tkr, Mkr, mnkr, mdkr, miljoner kr.
_SCALES = ("miljoner ", "millioner ", "milj ", "mill ", "mdr", "md", "mn", "k", "t", "m")


def same_unit(a: str | None, b: str | None) -> bool:
    """Units match ignoring case and surrounding space ("MSEK" and " msek").

    Lower-case, not casefold, so a database ``Lower(Trim(unit))`` agrees.
    """
    return (a or "").strip().lower() == (b or "").strip().lower()


def unit_is_summable(unit: str | None) -> bool:
    """Can values in this unit be added up? Counts and amounts yes; shares, rates, NPS, means no.

    An empty unit is a plain count ("5 pilot customers" written as 5) and sums.
    """
    text = (unit or "").strip().lower()
    if any(sign in text for sign in _NOT_SUMMABLE_SIGNS):
        return False
    for word in _WORD.findall(text):
        if word in _NOT_SUMMABLE_WORDS or word.startswith(_NOT_SUMMABLE_PREFIXES):
            return False
    return True


def rollup_problem(*, kind: str, unit: str | None, rollup: str) -> str | None:
    """Why a key result may not sum its direct contributions (``None``: it may, or it does not sum)."""
    if rollup != ROLLUP_SUM:
        return None
    if kind != METRIC:
        return NOT_METRIC
    if not unit_is_summable(unit):
        return NOT_SUMMABLE
    return None


def unit_family(unit: str | None) -> str | None:
    """The quantity a unit measures when it has scaled siblings: ``money``, ``time``, ``mass``.

    "MSEK", "kSEK", "tkr", "kr", "EUR" are all money; "h", "timmar", "dagar"
    time. A unit of no known family ("st", "kunder", "leads") gives ``None``.
    """
    text = (unit or "").strip().lower().replace(".", "")
    for family, words in _FAMILIES.items():
        if text in words:
            return family
        for prefix in _SCALES:
            if text.startswith(prefix) and text[len(prefix) :].strip() in words:
                return family
    return None


def contribution_problem(
    *,
    parent_kind: str,
    parent_unit: str | None,
    parent_rollup: str,
    child_kind: str,
    child_unit: str | None,
) -> str | None:
    """Why a key result may not be aligned directly under a summing parent (``None``: fine).

    A key result that *is* a contribution but in another unit of the same
    quantity ("kSEK" under a parent that sums "MSEK") is refused: adding it
    would be wrong and leaving it out silently would be too. Other key results
    of the objective (a milestone, "40 kundmöten" under "20 MSEK") are not
    contributions: they are listed and never added, and nothing is refused.
    Only a parent that sums refuses anything.
    """
    if parent_rollup != ROLLUP_SUM or parent_kind != METRIC or child_kind != METRIC:
        return None
    if same_unit(child_unit, parent_unit):
        return None
    family = unit_family(parent_unit)
    if family is not None and family == unit_family(child_unit):
        return UNIT_MISMATCH
    return None


def adds_into(
    *,
    direct: bool,
    parent_kind: str,
    parent_unit: str | None,
    parent_rollup: str,
    child_kind: str,
    child_unit: str | None,
) -> bool:
    """Does a child key result's current value add into its parent's?

    Only through a direct link, into a metric parent that sums a summable
    unit, from a metric child in the same unit.
    """
    return (
        direct
        and parent_rollup == ROLLUP_SUM
        and rollup_problem(kind=parent_kind, unit=parent_unit, rollup=parent_rollup) is None
        and child_kind == METRIC
        and same_unit(child_unit, parent_unit)
    )


def sum_values(values: Iterable[Number | None]) -> Decimal | None:
    """The exact sum of the values that are set; ``None`` when none is."""
    total: Decimal | None = None
    for value in values:
        as_float = _to_float(value)
        if as_float is None:  # not set, or not a finite number
            continue
        exact = isinstance(value, Decimal | int)
        number = Decimal(value) if exact else Decimal(repr(as_float))
        total = number if total is None else total + number
    return total


@dataclass(frozen=True, slots=True)
class Contribution:
    """A child key result as a roll-up sees it: its current value, unit and kind, and the link."""

    current: Number | None
    unit: str = ""
    kind: str = METRIC
    direct: bool = True


@dataclass(frozen=True, slots=True)
class RollUp:
    """What the direct children add up to for one parent.

    ``summed``: the parent sums and its current value is ``total`` (in
    ``facts``). ``added``: the children that add in (direct, metric, same
    unit), ``counted`` of them with a value. When the parent does not sum,
    ``total`` is ``None`` and nothing is added: the children are only listed.
    """

    summed: bool
    total: Decimal | None
    added: int
    counted: int
    facts: KeyResultFacts


def combine_contributions(parent: KeyResultFacts, children: Sequence[Contribution]) -> RollUp:
    """The parent's facts with its current value replaced by the sum of its direct children, if it sums.

    A summing parent's current value *is* the sum, whatever its own check-ins
    said; with no child value yet it stands at its start (current ``None``).
    A parent that does not sum (or whose unit cannot be summed) is returned
    unchanged.
    """
    sums = parent.rollup == ROLLUP_SUM and (
        rollup_problem(kind=parent.kind, unit=parent.unit, rollup=parent.rollup) is None
    )
    if not sums:
        return RollUp(summed=False, total=None, added=0, counted=0, facts=parent)
    adding = [
        child
        for child in children
        if adds_into(
            direct=child.direct,
            parent_kind=parent.kind,
            parent_unit=parent.unit,
            parent_rollup=parent.rollup,
            child_kind=child.kind,
            child_unit=child.unit,
        )
    ]
    total = sum_values(child.current for child in adding)
    counted = sum(1 for child in adding if _to_float(child.current) is not None)
    return RollUp(
        summed=True,
        total=total,
        added=len(adding),
        counted=counted,
        facts=replace(parent, current=total),
    )
