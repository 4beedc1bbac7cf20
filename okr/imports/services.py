"""Write a spreadsheet's OKRs: checked again, then all rows or none (one transaction).

Through the OKR core's services (``objective_create``, ``key_result_create``), which
ask the policy again for each objective; a team's objectives are drafts in its
workshop, never approved here. ``ImportFailed`` carries the per-row errors.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import policy
from accounts.policy import Action
from okr.imports import checking
from okr.imports.checking import Plan, RowError
from okr.imports.reading import Sheet
from okr.models import Cycle, Objective
from okr.objectives import services as okr

#: A core service's field to the import's column.
_COLUMNS = {
    "title": "objective",
    "why": "why",
    "parent": "parent",
    "team": "team",
    "cycle": "quarter",
    "owner": "owner",
    "unit": "unit",
    "start_value": "start",
    "target_value": "target",
    "commitment": "commitment",
    "kind": "kind",
}


class ImportFailed(Exception):
    def __init__(self, plan: Plan):
        super().__init__("import failed")
        self.plan = plan


def _errors_of(error: ValidationError, row: int, header: dict, *, on_key_result: bool):
    found = []
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for name, messages in items:
        key = _COLUMNS.get(name, "")
        if name == "title" and on_key_result:
            key = "key_result"
        found += [RowError(row, header.get(key, ""), str(m)) for m in messages]
    return found


def _cycle(organisation, planned, cache: dict) -> Cycle:
    if planned.year not in cache:
        year_cycle = okr.cycle_year_get_or_create(organisation=organisation, year=planned.year)
        cache[planned.year] = {None: year_cycle} | {c.quarter: c for c in year_cycle.quarters.all()}
    return cache[planned.year][planned.quarter]


def _write(organisation, plan: Plan, author, header: dict) -> list[Objective]:
    created: list[Objective] = []
    cycles: dict = {}
    strategic: dict = {}
    # Strategic objectives first: a team's row may name one of them as its parent.
    ordered = sorted(plan.objectives, key=lambda o: o.team is not None)
    for planned in ordered:
        row = planned.row
        try:
            policy.enforce(author, Action.OKR_IMPORT, planned.team, organisation=organisation)
            parent = planned.parent
            if planned.team is not None and planned.parent_title and parent is None:
                parent = strategic.get((planned.year, planned.parent_title.casefold()))
            objective = okr.objective_create(
                organisation=organisation,
                cycle=_cycle(organisation, planned, cycles),
                level=planned.level,
                title=planned.title,
                why=planned.why,
                team=planned.team,
                parent_objective=parent,
                status=Objective.Status.DRAFT if planned.team is not None else None,
                author=author,
            )
        except ValidationError as error:
            errors = _errors_of(error, row, header, on_key_result=False)
            raise ImportFailed(Plan([], errors, 0)) from None
        if planned.team is None:
            strategic[(planned.year, planned.title.casefold())] = objective
        for kr in planned.key_results:
            try:
                okr.key_result_create(
                    objective=objective,
                    title=kr.title,
                    owner=kr.owner,
                    author=author,
                    kind=kr.kind,
                    unit=kr.unit,
                    direction=kr.direction,
                    start_value=kr.start,
                    target_value=kr.target,
                    commitment=kr.commitment,
                )
            except ValidationError as error:
                errors = _errors_of(error, kr.row, header, on_key_result=True)
                raise ImportFailed(Plan([], errors, 0)) from None
        created.append(objective)
    return created


def import_sheet(*, organisation, membership, sheet: Sheet) -> tuple[Plan, list[Objective]]:
    """Check ``sheet`` again (things may have changed since the preview), then write it all
    in one transaction, or raise ``ImportFailed`` (with the errors) having written nothing.
    A refusal of the policy (``PolicyError``) also leaves nothing written."""
    plan = checking.check(organisation, membership, sheet)
    if plan.errors:
        raise ImportFailed(plan)
    with transaction.atomic():
        created = _write(organisation, plan, membership.user, sheet.header)
    return plan, created
