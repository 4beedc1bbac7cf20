"""Read the rows of a spreadsheet against an organisation: what would be created, and
each row's errors (row number, column, message). Reads only, in a bounded number of
queries whatever the number of rows; nothing is written.

Decided once:
* A row with an empty Team is a strategic objective's key result; else the team's, by
  name (case does not matter). A team's objectives land as drafts in its workshop.
* Quarter: "Q1 2027" (as the pages write it), "2027 Q1", "2026/27 Q3", "K1 2027" (the fiscal year's label as
  ``okr.lib.calendar`` writes it, or its first calendar year). Empty: the quarter of
  today, or the next one when today's ends within two weeks. A strategic row takes the
  fiscal year of its quarter (a year alone is enough there).
* Consecutive rows with the same objective (team, quarter, title) form one objective;
  its Why and Parent objective are read from its first row. The same objective again
  further down is an error, as is a title that already exists in that quarter.
* Kind: metric (the default) or milestone, in English, Swedish or Norwegian. A metric
  needs a start and a target (numbers as the app reads them, ``okr.lib.fields``); a
  target below the start means lower is better.
* Commitment: committed or aspirational (the default).
* Who may: ``Action.OKR_IMPORT`` for the row's team (``None``: strategic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts import policy
from accounts.cleaning import Refused
from accounts.models import Membership, Team
from accounts.policy import Action
from okr.imports.reading import Sheet
from okr.lib import calendar, fields
from okr.models import Cycle, KeyResult, Objective

MAX_TITLE = 300
MAX_WHY = 5000
MAX_UNIT = 30

KINDS = {
    KeyResult.Kind.METRIC: (
        "metric",
        "number",
        "numeric",
        "kpi",
        "mätvärde",
        "mått",
        "nyckeltal",
        "tal",
        "siffra",
        "måltal",
        "mål",
        "måleverdi",
        "tall",
        "måltall",
        "nøkkeltall",
        "numerisk",
        "metrisk",
    ),
    KeyResult.Kind.MILESTONE: ("milestone", "milstolpe", "milepæl", "milepel", "leveranse"),
}
COMMITMENTS = {
    KeyResult.Commitment.COMMITTED: (
        "committed",
        "commit",
        "åtagande",
        "åtaget",
        "utlovat",
        "lovat",
        "forpliktet",
        "forpliktende",
        "lovet",
        "forpliktelse",
    ),
    KeyResult.Commitment.ASPIRATIONAL: (
        "aspirational",
        "aspiration",
        "stretch",
        "ambitiöst",
        "ambitiös",
        "ambitiost",
        "ambisiøst",
        "ambisiøs",
        "ambitiøs",
        "ambitiøst",
        "ambition",
        "ambisjon",
    ),
}
_WORD = {w: key for key, words in KINDS.items() for w in words}
_COMMIT = {w: key for key, words in COMMITMENTS.items() for w in words}
_QUARTER = re.compile(
    r"^(?:(?P<y1>\d{4})(?:\s*/\s*(?P<n1>\d{2}))?[\s\-_]*(?:[QK]\s*(?P<q1>[1-4]))?"
    r"|[QK]\s*(?P<q2>[1-4])[\s\-_]*(?P<y2>\d{4})(?:\s*/\s*(?P<n2>\d{2}))?"
    r"|(?P<q3>[1-4])\s*\.?\s*kvartal(?:et)?\s*(?P<y3>\d{4})(?:\s*/\s*(?P<n3>\d{2}))?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as the file writes it ("" for the row as a whole)
    message: str


@dataclass
class PlannedKeyResult:
    row: int
    title: str
    kind: str
    unit: str
    start: Decimal | None
    target: Decimal | None
    owner: object  # a User or None
    commitment: str

    @property
    def direction(self) -> str:
        if self.start is not None and self.target is not None and self.target < self.start:
            return KeyResult.Direction.DECREASE
        return KeyResult.Direction.INCREASE


@dataclass
class PlannedObjective:
    row: int
    team: Team | None
    year: int
    quarter: int | None
    title: str
    why: str
    parent: Objective | None = None
    parent_title: str = ""  # a strategic objective of the same file
    label: str = ""  # the quarter or year as the calendar writes it
    key_results: list[PlannedKeyResult] = field(default_factory=list)

    @property
    def level(self) -> str:
        return Objective.Level.STRATEGIC if self.team is None else Objective.Level.TEAM


@dataclass
class Plan:
    objectives: list[PlannedObjective]
    errors: list[RowError]
    rows: int

    @property
    def key_result_count(self) -> int:
        return sum(len(o.key_results) for o in self.objectives)

    @property
    def teams(self) -> list[str]:
        return sorted({o.team.name for o in self.objectives if o.team is not None})


def default_quarter(organisation) -> calendar.FiscalQuarter:
    """Today's quarter, or the next when today's ends within two weeks (the workshop's)."""
    today = calendar.today(organisation)
    start_month = organisation.fiscal_year_start_month
    current = calendar.quarter_of(today, start_month)
    if calendar.quarter_end(*current, start_month) - today < timedelta(days=14):
        return calendar.next_quarter(*current)
    return current


def parse_quarter(text: str, start_month: int) -> tuple[int, int | None]:
    """(fiscal year, quarter or None) of a Quarter cell; ``Refused`` when it is neither."""
    match = _QUARTER.match(" ".join(text.split()))
    if not match:
        raise Refused(_("Write the quarter as 2027 Q1 (or the fiscal year alone)."), "invalid")
    groups = match.groupdict()
    year = int(groups["y1"] or groups["y2"] or groups["y3"])
    second = groups["n1"] or groups["n2"] or groups["n3"]
    quarter = groups["q1"] or groups["q2"] or groups["q3"]
    if second is not None and int(second) != (year + 1) % 100:
        raise Refused(_("Write the quarter as 2027 Q1 (or the fiscal year alone)."), "invalid")
    if not calendar.MIN_YEAR <= year <= calendar.MAX_YEAR - 1:
        raise Refused(_("Write the quarter as 2027 Q1 (or the fiscal year alone)."), "range")
    return year, int(quarter) if quarter else None


def _number(text: str) -> Decimal:
    try:
        return fields.parse_number(text)
    except Refused as refusal:
        raise Refused(_(refusal.message) % refusal.params, refusal.code) from None


class _Checker:
    def __init__(self, organisation, membership, sheet: Sheet):
        self.org = organisation
        self.membership = membership
        self.sheet = sheet
        self.errors: list[RowError] = []
        self.start_month = organisation.fiscal_year_start_month
        teams = Team.objects.filter(organisation=organisation).only("id", "name", "uuid")
        self.teams = {t.name.strip().casefold(): t for t in teams}
        self.members = {
            m.user.email.casefold(): m.user
            for m in Membership.objects.filter(organisation=organisation).select_related("user")
        }
        self.may: dict[int | None, bool] = {}

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, self.sheet.header.get(key, ""), str(message)))

    def allowed(self, team: Team | None) -> bool:
        key = getattr(team, "pk", None)
        if key not in self.may:
            self.may[key] = policy.can(self.membership, Action.OKR_IMPORT, team)
        return self.may[key]

    def text(self, number, row, key, limit, required_message=None) -> str:
        value = row.get(key, "")
        if len(value) > limit:
            self.error(number, key, _("Write at most %(limit)s characters.") % {"limit": limit})
            return value[:limit]
        if not value and required_message:
            self.error(number, key, required_message)
        return value

    def where(self, number, row) -> tuple[Team | None, int, int | None] | None:
        team = None
        name = row.get("team", "")
        if name:
            team = self.teams.get(name.casefold())
            if team is None:
                self.error(number, "team", _("No team called “%(name)s”.") % {"name": name[:120]})
                return None
        if not self.allowed(team):
            message = policy.may(self.membership, Action.OKR_IMPORT, team).message
            self.error(number, "team", message)
        raw = row.get("quarter", "")
        if raw:
            try:
                year, quarter = parse_quarter(raw, self.start_month)
            except Refused as refusal:
                self.error(number, "quarter", refusal.message)
                return None
        else:
            year, quarter = default_quarter(self.org)
        if team is not None and quarter is None:
            self.error(number, "quarter", _("A team's objective needs a quarter, such as 2027 Q1."))
            return None
        return team, year, (quarter if team is not None else None)

    def key_result(self, number, row) -> PlannedKeyResult:
        title = self.text(number, row, "key_result", MAX_TITLE, _("Write the key result."))
        raw_kind = row.get("kind", "").casefold()
        kind = _WORD.get(raw_kind, KeyResult.Kind.METRIC if not raw_kind else None)
        if kind is None:
            self.error(number, "kind", _("Write metric or milestone."))
            kind = KeyResult.Kind.METRIC
        raw_commitment = row.get("commitment", "").casefold()
        commitment = _COMMIT.get(raw_commitment, "" if raw_commitment else "aspirational")
        if not commitment:
            self.error(number, "commitment", _("Write committed or aspirational."))
        start = target = None
        if kind == KeyResult.Kind.METRIC:
            for key, message in (
                ("start", _("A metric needs a start value.")),
                ("target", _("A metric needs a target.")),
            ):
                value = None
                if not row.get(key):
                    self.error(number, key, message)
                else:
                    try:
                        value = _number(row[key])
                    except Refused as refusal:
                        self.error(number, key, refusal.message)
                if key == "start":
                    start = value
                else:
                    target = value
            if start is not None and start == target:
                self.error(number, "target", _("The target must differ from the start."))
        owner = None
        email = row.get("owner", "")
        if email:
            owner = self.members.get(email.casefold())
            if owner is None:
                self.error(number, "owner", _("Nobody with this e-mail is in the organisation."))
        unit = self.text(number, row, "unit", MAX_UNIT)
        return PlannedKeyResult(
            number, title, kind, unit, start, target, owner, commitment or "aspirational"
        )

    def run(self) -> Plan:
        objectives: list[PlannedObjective] = []
        seen: set[tuple] = set()
        current = None
        for number, row in self.sheet.rows:
            title = self.text(number, row, "objective", MAX_TITLE, _("Write the objective."))
            place = self.where(number, row)
            kr = self.key_result(number, row)
            if place is None or not title:
                current = None
                continue
            team, year, quarter = place
            key = (getattr(team, "pk", None), year, quarter, title.casefold())
            if current is None or current[0] != key:
                if key in seen:
                    self.error(
                        number,
                        "objective",
                        _("This objective appears in an earlier row: keep its rows together."),
                    )
                    current = None
                    continue
                seen.add(key)
                planned = PlannedObjective(
                    number,
                    team,
                    year,
                    quarter,
                    title,
                    self.text(number, row, "why", MAX_WHY),
                    parent_title=row.get("parent", ""),
                )
                objectives.append(planned)
                current = (key, planned)
            planned = current[1]
            if kr.title and any(
                k.title.casefold() == kr.title.casefold() for k in planned.key_results
            ):
                self.error(number, "key_result", _("This objective already has this key result."))
                continue
            planned.key_results.append(kr)
        self.against_stored(objectives)
        self.errors.sort(key=lambda e: e.row)
        return Plan(objectives, self.errors, len(self.sheet.rows))

    def against_stored(self, objectives: list[PlannedObjective]) -> None:
        """Parents, duplicates and closed quarters, in three queries."""
        years = {o.year for o in objectives}
        if not years:
            return
        cycles = {
            (c.year, c.quarter): c
            for c in Cycle.objects.filter(organisation=self.org, year__in=years)
        }
        stored = list(
            Objective.objects.filter(organisation=self.org, cycle__year__in=years)
            .exclude(status=Objective.Status.ARCHIVED)
            .exclude(level=Objective.Level.PERSONAL)
            .select_related("cycle")
            .only("id", "uuid", "title", "level", "team_id", "cycle__year", "cycle__quarter")
        )
        strategic = {
            (o.cycle.year, o.title.strip().casefold()): o
            for o in stored
            if o.level == Objective.Level.STRATEGIC
        }
        existing = {
            (o.team_id, o.cycle.year, o.cycle.quarter, o.title.strip().casefold()) for o in stored
        }
        planned_strategic = {(o.year, o.title.casefold()) for o in objectives if o.team is None}
        for o in objectives:
            label_year = calendar.fiscal_year_label(o.year, self.start_month)
            o.label = f"Q{o.quarter} {label_year}" if o.quarter else label_year
            cycle = cycles.get((o.year, o.quarter))
            if cycle is not None and cycle.state == Cycle.State.CLOSED:
                self.error(o.row, "quarter", _("That quarter is closed."))
            if (getattr(o.team, "pk", None), o.year, o.quarter, o.title.casefold()) in existing:
                self.error(
                    o.row, "objective", _("An objective with this title already exists there.")
                )
            if not o.parent_title:
                continue
            if o.team is None:
                self.error(o.row, "parent", _("A strategic objective has no parent."))
                continue
            wanted = (o.year, o.parent_title.casefold())
            o.parent = strategic.get(wanted)
            if o.parent is None and wanted not in planned_strategic:
                self.error(
                    o.row,
                    "parent",
                    _("No strategic objective of %(year)s is called “%(title)s”.")
                    % {"year": label_year, "title": o.parent_title[:300]},
                )


def check(organisation, membership, sheet: Sheet) -> Plan:
    """The plan of ``sheet`` for ``membership`` (who imports) and its per-row errors."""
    return _Checker(organisation, membership, sheet).run()
