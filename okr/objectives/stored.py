"""Stored numbers: the progress engine's output kept on key results and objectives.

Every write that moves a number (a check-in, a change of a key result's
definition or an objective's link, new quarterly steps, an archived key
result or objective, a frozen or overridden score) calls ``refresh`` in its
own transaction. ``refresh`` asks the engine through ``okr.objectives.numbers``
(the same batch loader every page uses) and writes its answer:

* ``stored_progress``: progress 0..1 (``None`` while unmeasured);
* ``stored_verdict``: the verdict on ``numbers_on``;
* ``stored_numbers``: the whole ``KeyResultNumbers`` / ``ObjectiveNumbers`` as JSON
  text (parsed only by a reader that uses it, not by every query that loads the row);
* ``numbers_on``: the organisation's day they were computed for.

A key result that adds into a parent that sums its direct contributions
moves that parent (and the parent's objective) too.

Progress does not depend on the day; the expected pace and the verdict do.
``refresh_organisation`` (the hourly job ``okr.refresh_numbers`` and
``manage.py store_numbers``) recomputes the rows whose day has passed or
whose cycle was closed since, and readers use stored numbers only when they
are today's and of the cycle's state now (``objective_numbers``), else the
engine on the spot: a stored number is never older than the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Prefetch, Q, prefetch_related_objects

from accounts import revision
from accounts.models import Organisation
from okr.lib import calendar
from okr.lib import progress as engine
from okr.lib.progress import stored as stored_json
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import numbers

#: Rows written per UPDATE statement.
BATCH = 1000
STORED_FIELDS = ["stored_progress", "stored_verdict", "stored_numbers", "numbers_on"]


# --- Reading ------------------------------------------------------------------------------------


def key_result_numbers(kr: KeyResult, today: date) -> engine.KeyResultNumbers | None:
    """The stored numbers of a key result if they still hold today, else ``None``."""
    closed = kr.objective.cycle.state == Cycle.State.CLOSED
    return stored_json.key_result_numbers(kr.stored_numbers, kr.numbers_on, today, closed)


def objective_numbers(objective: Objective, today: date) -> engine.ObjectiveNumbers | None:
    """The stored numbers of an objective (its cycle selected with it) if they hold today."""
    closed = objective.cycle.state == Cycle.State.CLOSED
    return stored_json.objective_numbers(
        objective.stored_numbers, objective.numbers_on, today, closed
    )


def set_numbers(
    today: date,
    *,
    objectives: Sequence[Objective] = (),
    key_results: Sequence[KeyResult] = (),
) -> None:
    """Numbers on rows for a page: the stored ones while they hold today, else the engine's now.

    ``objectives`` (their cycle selected with them): each objective, and its
    key results when they were prefetched; an objective whose own or whose key
    results' stored numbers do not hold is computed from its live key results
    (loaded here if they were not). ``key_results`` (their objective's cycle
    selected with them): on their own. Rows stored today cost no query; the
    others cost what ``okr.objectives.numbers`` does for them in one batch.
    """
    unstored_objectives = []
    for objective in objectives:
        known = objective_numbers(objective, today)
        prefetched = getattr(objective, "_prefetched_objects_cache", {}).get("key_results")
        kr_numbers = (
            [] if prefetched is None else [key_result_numbers(kr, today) for kr in prefetched]
        )
        if known is None or None in kr_numbers:
            unstored_objectives.append(objective)
            continue
        numbers.set_objective(objective, known)
        for kr, kept in zip(prefetched or (), kr_numbers, strict=True):
            _set_kept(kr, kept)
    unstored_krs = []
    for kr in key_results:
        kept = key_result_numbers(kr, today)
        if kept is None:
            unstored_krs.append(kr)
        else:
            _set_kept(kr, kept)
    if unstored_objectives:
        missing = [
            o
            for o in unstored_objectives
            if "key_results" not in getattr(o, "_prefetched_objects_cache", {})
        ]
        prefetch_related_objects(missing, _live_key_results())
    if unstored_objectives or unstored_krs:
        numbers.annotate_objectives(unstored_objectives, today, key_results=unstored_krs)


def _set_kept(kr: KeyResult, kept: engine.KeyResultNumbers) -> None:
    if numbers.sums(kr):
        kr.current_value = kept.current  # the sum of its direct children, as stored with it
    numbers.set_key_result(kr, kept)


# --- Writing ------------------------------------------------------------------------------------


def _live_key_results():
    return Prefetch("key_results", queryset=KeyResult.objects.filter(archived=False))


def refresh(
    *,
    key_results: Iterable[KeyResult | int] = (),
    objectives: Iterable[Objective | int] = (),
    today: date | None = None,
) -> int:
    """Recompute and store the numbers of these key results and objectives (and what they move).

    Each key result's objective follows, and so does a parent key result its
    objective supports directly (it may sum its direct contributions), with
    that parent's objective. An objective brings all its live key results.
    About 6 queries, whatever the number of rows (2 more per ``BATCH`` rows).
    Returns the number of objectives written.
    """
    kr_ids = {getattr(k, "pk", k) for k in key_results}
    objective_ids = {getattr(o, "pk", o) for o in objectives}
    kr_ids.discard(None)
    objective_ids.discard(None)
    if not kr_ids and not objective_ids:
        return 0
    # What moves with them: the objectives of the key results, and the parent key results
    # the objectives support directly (with their objectives).
    parents = set()
    for objective_id, parent_id, alignment, level in Objective.objects.filter(
        Q(pk__in=objective_ids) | Q(key_results__pk__in=kr_ids)
    ).values_list("pk", "parent_key_result_id", "alignment", "level"):
        objective_ids.add(objective_id)
        if (
            parent_id is not None
            and alignment == Objective.Alignment.DIRECT
            and level != Objective.Level.PERSONAL  # never counted in the parent's numbers
        ):
            parents.add(parent_id)
    rows = list(
        Objective.objects.filter(Q(pk__in=objective_ids) | Q(key_results__pk__in=parents))
        .distinct()
        .select_related("cycle", "organisation")
        .prefetch_related(_live_key_results())
    )
    return _store(rows, today)


def _store(objectives: list[Objective], today: date | None) -> int:
    """Number the objectives and their live key results with the engine, and write it all."""
    if not objectives:
        return 0
    by_org: dict[int, list[Objective]] = {}
    for objective in objectives:
        by_org.setdefault(objective.organisation_id, []).append(objective)
    for group in by_org.values():
        day = today or calendar.today(group[0].organisation)
        numbers.annotate_objectives(group, day)
        for objective in group:
            _stamp(objective, objective.numbers, day)
            for kr in objective.key_results.all():
                _stamp(kr, kr.numbers, day)
    Objective.objects.bulk_update(objectives, STORED_FIELDS, batch_size=BATCH)
    krs = [kr for objective in objectives for kr in objective.key_results.all()]
    KeyResult.objects.bulk_update(krs, STORED_FIELDS, batch_size=BATCH)
    for organisation_id in by_org:  # bulk writes send no signals: pages cached go stale here
        revision.bump(organisation_id)
    return len(objectives)


def _stamp(row: KeyResult | Objective, numbers_: object, day: date) -> None:
    row.stored_progress = numbers_.progress
    row.stored_verdict = numbers_.verdict
    row.stored_numbers = json.dumps(stored_json.to_json(numbers_))
    row.numbers_on = day


def stale(organisation: Organisation, today: date | None = None):
    """The organisation's live objectives whose stored numbers no longer hold.

    Never stored; stored on another day in a cycle that is open; or stored
    before their cycle was closed (the close freezes scores without storing:
    until this job has run, readers see the cycle closed and ask the engine).
    A closed cycle's numbers, once stored, hold for good.
    """
    today = today or calendar.today(organisation)
    closed = Q(cycle__state=Cycle.State.CLOSED)
    frozen = Q(stored_verdict__in=[engine.SCORED, engine.PENDING])
    return (
        Objective.objects.filter(organisation=organisation)
        .exclude(status=Objective.Status.ARCHIVED)
        .filter(Q(numbers_on__isnull=True) | (~closed & ~Q(numbers_on=today)) | (closed & ~frozen))
    )


def refresh_organisation(
    organisation: Organisation, *, today: date | None = None, everything: bool = False
) -> int:
    """Store today's numbers on every stale objective of the organisation (all with ``everything``).

    Returns the number of objectives written.
    """
    today = today or calendar.today(organisation)
    queryset = (
        Objective.objects.filter(organisation=organisation)
        if everything
        else stale(organisation, today)
    )
    return refresh_all(queryset, today=today)


def refresh_all(queryset, *, today: date | None = None) -> int:
    """Store the numbers of the objectives of ``queryset`` and their key results.

    In chunks of ``BATCH`` objectives (about 7 queries each); returns the
    number of objectives written.
    """
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = list(
            Objective.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("cycle", "organisation")
            .prefetch_related(_live_key_results())
        )
        written += _store(chunk, today)
    return written
