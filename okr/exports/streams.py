"""An organisation's OKRs, check-ins and scores as CSV (and the first two as JSON), as a stream.

Rows are read with ``iterator(chunk_size=2000)`` and written as they come, so
memory and time stay flat however large the organisation is: a handful of
queries per 2 000 objects. Column names are stable identifiers (not
translated); texts are the users' own words, verbatim. In CSV a text that a
spreadsheet would run as a formula (starting with = + - @) is prefixed with
an apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import batched

from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organisation
from okr.lib import calendar
from okr.lib import progress as maths
from okr.models import CheckIn, KeyResult, Objective, Score
from okr.objectives import numbers

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Which objective a row is about: the first columns of the OKR and the score exports.
OBJECTIVE_COLUMNS = [
    "cycle",
    "cycle_start",
    "cycle_end",
    "level",
    "team",
    "objective_id",
    "objective",
]

OKR_COLUMNS = [
    *OBJECTIVE_COLUMNS,
    "objective_status",
    "objective_owner",
    "objective_progress",
    "objective_expected",
    "objective_verdict",
    "parent_objective_id",
    "parent_key_result_id",
    "alignment",
    "key_result_id",
    "key_result",
    "kind",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "progress",
    "expected",
    "expected_value",
    "verdict",
    "confidence",
    "commitment",
    "due_date",
    "done",
    "steps_done",
    "steps_total",
    "weight",
    "key_result_owner",
    "archived",
    "last_check_in_at",
    "rollup",
]

CHECK_IN_COLUMNS = [
    "check_in_id",
    "created_at",
    "cycle",
    "team",
    "objective_id",
    "objective",
    "key_result_id",
    "key_result",
    "unit",
    "value",
    "done",
    "steps_done",
    "confidence",
    "note",
    "author",
]

SCORE_COLUMNS = [
    "score_id",
    *OBJECTIVE_COLUMNS,
    "key_result_id",
    "key_result",
    "commitment",
    "weight",
    "progress",
    "computed",
    "override",
    "override_reason",
    "score",
    "overridden_by",
    "overridden_at",
    "computed_at",
]


# --- Reading ------------------------------------------------------------------------------------


def objectives(organisation: Organisation) -> Iterator[Objective]:
    """Every objective (archived too) with its key results, in chunks."""
    key_results = KeyResult.objects.select_related("owner").order_by("order", "id")
    return (
        Objective.objects.filter(organisation=organisation)
        .select_related("cycle", "team", "owner", "parent_objective", "parent_key_result")
        .prefetch_related(Prefetch("key_results", queryset=key_results))
        .order_by("cycle__start_date", "cycle__kind", "level", "team__name", "order", "id")
        .iterator(chunk_size=CHUNK)
    )


def check_ins(organisation: Organisation) -> Iterator[CheckIn]:
    return (
        CheckIn.objects.filter(organisation=organisation)
        .select_related("key_result__objective__team", "key_result__objective__cycle", "author")
        .order_by("created_at", "id")
        .iterator(chunk_size=CHUNK)
    )


def scores(organisation: Organisation) -> Iterator[Score]:
    """Every frozen score by cycle; each objective's row first, then its key results'."""
    return (
        Score.objects.filter(organisation=organisation)
        .select_related("cycle", "objective__team", "key_result__objective__team", "overridden_by")
        .order_by(
            "cycle__start_date",
            "cycle__kind",
            Coalesce("objective_id", "key_result__objective_id"),
            F("key_result_id").asc(nulls_first=True),
            "id",
        )
        .iterator(chunk_size=CHUNK)
    )


# --- Values -------------------------------------------------------------------------------------


def _number(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def _person(user) -> str:
    if user is None:
        return ""
    return user.email


def _uuid(obj) -> str:
    return str(obj.uuid) if obj is not None else ""


def _when(value, tz=None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value, tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _progress(value) -> float | None:
    return None if value is None else round(value, 4)


def _objective_values(objective: Objective, cycle) -> dict:
    """The OBJECTIVE_COLUMNS of a row about ``objective`` (a score names its own cycle)."""
    return {
        "cycle": cycle.label,
        "cycle_start": _when(cycle.start_date),
        "cycle_end": _when(cycle.end_date),
        "level": objective.level,
        "team": objective.team.name if objective.team_id else "",
        "objective_id": str(objective.uuid),
        "objective": objective.title,
    }


def _with_numbers(organisation: Organisation, chunk: list[Objective]) -> None:
    """The engine's numbers on a chunk of objectives and their key results (at most 4 queries).

    Every key result gets its own (archived ones too); an objective's come
    from its live key results, as the pages show them.
    """
    krs = [kr for objective in chunk for kr in objective.key_results.all()]
    numbers.annotate_key_results(krs, calendar.today(organisation))
    scores = numbers.objective_scores(chunk)
    for objective in chunk:
        objective.numbers = maths.objective_numbers(
            [kr.numbers for kr in objective.key_results.all() if not kr.archived],
            closed=objective.cycle.state == objective.cycle.State.CLOSED,
            score=scores.get(objective.pk),
        )


def okr_records(organisation: Organisation) -> Iterator[dict]:
    """One record per key result (with its objective's columns); an objective without any: one."""
    for chunk in batched(objectives(organisation), CHUNK):
        chunk = list(chunk)
        _with_numbers(organisation, chunk)
        yield from _okr_records_of(organisation, chunk)


def _okr_records_of(organisation: Organisation, chunk: list[Objective]) -> Iterator[dict]:
    for objective in chunk:
        krs = list(objective.key_results.all())
        objective_numbers = objective.numbers
        base = {
            **_objective_values(objective, objective.cycle),
            "objective_status": objective.status,
            "objective_owner": _person(objective.owner),
            "objective_progress": _progress(objective_numbers.progress),
            "objective_expected": _progress(objective_numbers.expected),
            "objective_verdict": objective_numbers.verdict,
            "parent_objective_id": _uuid(objective.parent_objective),
            "parent_key_result_id": _uuid(objective.parent_key_result),
            "alignment": objective.alignment,
        }
        if not krs:
            yield {**base, **dict.fromkeys(OKR_COLUMNS[len(base) :])}
            continue
        for kr in krs:
            yield {
                **base,
                "key_result_id": str(kr.uuid),
                "key_result": kr.title,
                "kind": kr.kind,
                "unit": kr.unit,
                "direction": kr.direction,
                "start_value": _number(kr.start_value),
                "target_value": _number(kr.target_value),
                "current_value": _number(kr.current_value),
                "progress": _progress(kr.numbers.progress),
                "expected": _progress(kr.numbers.expected),
                "expected_value": _number(kr.numbers.expected_amount),
                "verdict": kr.numbers.verdict,
                "confidence": kr.confidence,
                "commitment": kr.commitment,
                "due_date": _when(kr.due_date),
                "done": kr.done,
                "steps_done": kr.steps_done,
                "steps_total": kr.steps_total,
                "weight": _number(kr.weight),
                "key_result_owner": _person(kr.owner),
                "archived": kr.archived,
                "last_check_in_at": _when(kr.last_check_in_at, organisation.tz),
                "rollup": kr.rollup,
            }


def check_in_records(organisation: Organisation) -> Iterator[dict]:
    for check_in in check_ins(organisation):
        kr = check_in.key_result
        objective = kr.objective
        yield {
            "check_in_id": str(check_in.uuid),
            "created_at": _when(check_in.created_at, organisation.tz),
            "cycle": objective.cycle.label,
            "team": objective.team.name if objective.team_id else "",
            "objective_id": str(objective.uuid),
            "objective": objective.title,
            "key_result_id": str(kr.uuid),
            "key_result": kr.title,
            "unit": kr.unit,
            "value": _number(check_in.value),
            "done": check_in.done,
            "steps_done": check_in.steps_done,
            "confidence": check_in.confidence,
            "note": check_in.note,
            "author": _person(check_in.author),
        }


def score_records(organisation: Organisation) -> Iterator[dict]:
    """One record per score; ``score`` is leadership's override if set, else the computed one."""
    for score in scores(organisation):
        kr = score.key_result
        objective = kr.objective if kr is not None else score.objective
        yield {
            "score_id": str(score.uuid),
            **_objective_values(objective, score.cycle),
            "key_result_id": _uuid(kr),
            "key_result": kr.title if kr is not None else "",
            "commitment": kr.commitment if kr is not None else "",
            "weight": _number(kr.weight) if kr is not None else None,
            "progress": _progress(score.progress),
            "computed": score.computed,
            "override": score.override,
            "override_reason": score.override_reason,
            "score": score.value,
            "overridden_by": _person(score.overridden_by),
            "overridden_at": _when(score.overridden_at, organisation.tz),
            "computed_at": _when(score.computed_at, organisation.tz),
        }


# --- CSV ----------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write() hands back the line (csv.writer writes one row at a time)."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def csv_stream(columns: list[str], records: Iterable[dict]) -> Iterator[str]:
    """A UTF-8 BOM (so spreadsheets read å, ä, ö), the header, then a line per record."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow([_cell(record.get(name)) for name in columns])


def okrs_csv(organisation: Organisation) -> Iterator[str]:
    return csv_stream(OKR_COLUMNS, okr_records(organisation))


def check_ins_csv(organisation: Organisation) -> Iterator[str]:
    return csv_stream(CHECK_IN_COLUMNS, check_in_records(organisation))


def scores_csv(organisation: Organisation) -> Iterator[str]:
    return csv_stream(SCORE_COLUMNS, score_records(organisation))


# --- JSON ---------------------------------------------------------------------------------------


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_array(records: Iterable[dict]) -> Iterator[str]:
    yield "["
    first = True
    for record in records:
        yield ("\n" if first else ",\n") + _json(record)
        first = False
    yield "\n]"


def json_stream(organisation: Organisation) -> Iterator[str]:
    """One JSON document: the organisation, then the OKR and check-in records as arrays."""
    head = {
        "organisation": {
            "id": str(organisation.uuid),
            "name": organisation.name,
            "slug": organisation.slug,
        },
        "exported_at": timezone.now().isoformat(),
    }
    yield _json(head)[:-1] + ',\n"okrs": '
    yield from _json_array(okr_records(organisation))
    yield ',\n"check_ins": '
    yield from _json_array(check_in_records(organisation))
    yield "\n}\n"
