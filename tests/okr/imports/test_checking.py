"""The import's plan, per-row errors and the all-or-nothing write (okr.imports)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Membership
from okr.imports import checking, reading, services
from okr.imports.checking import default_quarter
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import services as okr
from tests.okr.imports.sheets import HEADER_SV, csv_bytes, row, xlsx_bytes
from tests.support.factories import TeamFactory, year_and_quarter


def _membership(cast, user):
    return Membership.objects.get(organisation=cast.org, user=user)


def _quarter(org):
    year, quarter = default_quarter(org)
    return f"{calendar.fiscal_year_label(year, org.fiscal_year_start_month)} Q{quarter}"


def _check(cast, user, rows, **kwargs):
    sheet = reading.read("okr.csv", csv_bytes(rows, **kwargs))
    return checking.check(cast.org, _membership(cast, user), sheet), sheet


def _errors(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


def test_a_team_imports_its_objectives_as_drafts_with_swedish_numbers(cast):
    quarter = _quarter(cast.org)
    rows = [
        row(quarter=quarter, start="1 000,5", target="2 000", owner="MEMBER@acme.example"),
        row(quarter=quarter, key_result="Kampanj klar", kind="milstolpe", commitment="åtagande"),
        row("Minska churn", "Churn under 5%", quarter=quarter, start="8", target="5", unit="%"),
    ]
    plan, sheet = _check(cast, cast.member, rows, header=HEADER_SV)
    assert plan.errors == []
    assert [len(o.key_results) for o in plan.objectives] == [2, 1]
    plan, created = services.import_sheet(
        organisation=cast.org, membership=_membership(cast, cast.member), sheet=sheet
    )
    assert [o.status for o in created] == [Objective.Status.DRAFT] * 2
    assert {o.team for o in created} == {cast.team}
    first = created[0].key_results.order_by("order")
    assert first[0].start_value == Decimal("1000.5") and first[0].owner == cast.member
    assert first[1].kind == KeyResult.Kind.MILESTONE
    assert first[1].commitment == KeyResult.Commitment.COMMITTED
    churn = created[1].key_results.get()
    assert churn.direction == KeyResult.Direction.DECREASE


def test_xlsx_and_a_strategic_parent_from_the_same_file(cast):
    year, _quarter_cycle = year_and_quarter(cast.org)
    label = f"{calendar.fiscal_year_label(year.year, cast.org.fiscal_year_start_month)} Q1"
    data = xlsx_bytes(
        [
            row("Starkaste året", "20MSEK", team="", quarter=label, start=0, target=20),
            row(quarter=label, parent="starkaste året", start=0, target=10),
        ]
    )
    sheet = reading.read("okr.xlsx", data)
    membership = _membership(cast, cast.leader)
    plan, created = services.import_sheet(organisation=cast.org, membership=membership, sheet=sheet)
    strategic = next(o for o in created if o.level == Objective.Level.STRATEGIC)
    team = next(o for o in created if o.level == Objective.Level.TEAM)
    assert team.parent_objective == strategic and team.status == Objective.Status.DRAFT
    assert strategic.cycle == year


def test_per_row_errors(cast):
    quarter = _quarter(cast.org)
    Objective.objects.create(
        organisation=cast.org,
        cycle=_quarter_cycle(cast.org),
        level=Objective.Level.TEAM,
        team=cast.team,
        title="Finns redan",
    )
    rows = [
        row("A", team="Nobody", quarter=quarter),  # 2
        row("B", owner="nobody@acme.example", quarter=quarter),  # 3
        row("C", target="1.500,5", quarter=quarter),  # 4
        row("D", target="", quarter=quarter),  # 5
        row("E", parent="Finns inte", quarter=quarter),  # 6
        row("F", quarter=quarter),  # 7
        row("G", quarter=quarter),  # 8
        row("G", quarter=quarter),  # 9: the same key result twice
        row("F", "Igen", quarter=quarter),  # 10: F again, not together
        row("Finns redan", quarter=quarter),  # 11
        row("H", quarter="sommaren"),  # 12
        row("I", kind="ungefär", commitment="kanske", quarter=quarter),  # 13
        row("", "", quarter=quarter),  # 14
    ]
    plan, _sheet = _check(cast, cast.lead, rows)
    got = _errors(plan)
    assert got[0] == (2, "Team", "No team called \u201cNobody\u201d.")
    assert (3, "Owner", "Nobody with this e-mail is in the organisation.") in got
    assert any(e[:2] == (4, "Target") and "1 500" in e[2] for e in got)
    assert (5, "Target", "A metric needs a target.") in got
    assert any(e[:2] == (6, "Parent objective") and "Finns inte" in e[2] for e in got)
    assert (
        10,
        "Objective",
        "This objective appears in an earlier row: keep its rows together.",
    ) in got
    assert (9, "Key result", "This objective already has this key result.") in got
    assert (11, "Objective", "An objective with this title already exists there.") in got
    assert any(e[:2] == (12, "Quarter") for e in got)
    assert (13, "Kind", "Write metric or milestone.") in got
    assert (13, "Commitment", "Write committed or aspirational.") in got
    assert (14, "Objective", "Write the objective.") in got
    assert (14, "Key result", "Write the key result.") in got
    assert not any(e[0] in (7, 8) for e in got)


def _quarter_cycle(org):
    year, quarter = default_quarter(org)
    okr.cycle_year_get_or_create(organisation=org, year=year)
    return Cycle.objects.get(organisation=org, kind="quarter", year=year, quarter=quarter)


def test_errors_are_translated(cast):
    from django.utils import translation

    with translation.override("sv"):
        plan, _sheet = _check(cast, cast.lead, [row(team="Ingen")])
    assert plan.errors[0].message == "Inget team heter \u201cIngen\u201d."


def _counts():
    return Objective.objects.count(), KeyResult.objects.count()


def test_a_failure_in_the_last_row_writes_nothing(cast):
    quarter = _quarter(cast.org)
    rows = [row(f"Mål {i}", quarter=quarter) for i in range(5)] + [
        row("Sist", target="x", quarter=quarter)
    ]
    before = _counts()
    sheet = reading.read("okr.csv", csv_bytes(rows))
    with pytest.raises(services.ImportFailed) as failed:
        services.import_sheet(
            organisation=cast.org, membership=_membership(cast, cast.lead), sheet=sheet
        )
    assert [e.row for e in failed.value.plan.errors] == [7]
    assert _counts() == before


def test_a_failure_while_writing_the_last_row_rolls_everything_back(cast, monkeypatch):
    quarter = _quarter(cast.org)
    rows = [row(f"Mål {i}", quarter=quarter) for i in range(3)]
    real = okr.key_result_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 3:
            raise ValidationError({"unit": "Nej."})
        return real(**kwargs)

    monkeypatch.setattr(services.okr, "key_result_create", failing)
    before = _counts()
    sheet = reading.read("okr.csv", csv_bytes(rows))
    with pytest.raises(services.ImportFailed) as failed:
        services.import_sheet(
            organisation=cast.org, membership=_membership(cast, cast.lead), sheet=sheet
        )
    assert _errors(failed.value.plan) == [(4, "Unit", "Nej.")]
    assert _counts() == before


def test_confirming_checks_again(cast):
    """Someone adds the same objective between the preview and the confirmation."""
    quarter = _quarter(cast.org)
    plan, sheet = _check(cast, cast.lead, [row("Dubbel", quarter=quarter)])
    assert plan.errors == []
    services.import_sheet(
        organisation=cast.org, membership=_membership(cast, cast.lead), sheet=sheet
    )
    before = _counts()
    with pytest.raises(services.ImportFailed) as failed:
        services.import_sheet(
            organisation=cast.org, membership=_membership(cast, cast.lead), sheet=sheet
        )
    assert failed.value.plan.errors[0].column == "Objective"
    assert _counts() == before


def test_who_may_import_which_rows(cast):
    TeamFactory(organisation=cast.org, name="Sales")
    quarter = _quarter(cast.org)
    rows = [
        row("Strategiskt", team="", quarter=quarter),
        row("Säljmål", team="sales", quarter=quarter),
        row("Eget", quarter=quarter),
    ]
    plan, _sheet = _check(cast, cast.member, rows)
    assert _errors(plan) == [
        (2, "Team", "Only leadership may import strategic objectives."),
        (3, "Team", "Only the team's members and leadership may import objectives for this team."),
    ]
    plan, _sheet = _check(cast, cast.leader, rows)
    assert plan.errors == []
