"""Valid data for schemathesis (tests/project/test_schemathesis.py): real ids, and the rules
between fields that a JSON Schema cannot state.

A valid path names a real object of its kind; half of the valid ids in a valid body or query
name real objects too (``use_real_ids``); valid bodies obey the rules that compare two
fields (``fit_rules_between_fields``). "Half" is a fixed half of the generated values, the
same in every run.
"""

from __future__ import annotations

import re
import uuid
import zlib
from decimal import Decimal

from schemathesis.core.parameters import ParameterLocation

MILESTONE_STEPS = 3
ORG = "acme"


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _half(value) -> bool:
    """A fixed half of the generated values (the same in every run)."""
    return zlib.crc32(repr(value).encode("utf-8", "backslashreplace")) % 2 == 0


def fitting_key_result(body: dict, world):
    """The real key result a check-in body fits: a metric takes a value, a milestone done
    or at most its steps (None: it fits neither, so its id is left as generated)."""
    value, done, steps = (body.get(name) for name in ("value", "done", "steps_done"))
    if value is not None and done is None and steps is None:
        return world["metric"]
    fits_steps = steps is None or (isinstance(steps, int) and steps <= MILESTONE_STEPS)
    if value is None and (done is not None or steps is not None) and fits_steps:
        return world["milestone"]
    return None


def _number(value):
    from okr.lib.fields import number_from_json

    try:
        return number_from_json(value)
    except ValueError:
        return None


def fit_rules_between_fields(case, world):
    """Rules that compare two fields, which a JSON Schema cannot state: valid data obeys
    them too (each has its own tests). A metric with a target has a start, on the worse side
    of the target (higher or lower is better), never equal to it; only a
    metric in a unit that adds up sums its contributions; a review moves from a scheduled
    day (half the time a real one) to another day; a comment is on exactly one objective, key
    result or check-in (a reply on its parent's); only a review's decision has an owner, a due
    date or a key result; a personal objective sits under its team's objective or key result,
    in its quarter and team, owned by its author and indirect; a year to plan has not ended
    (by the organisation's calendar, which the schema cannot know); deleting the organisation
    is confirmed with its name (the request is undone after each example)."""
    body = case.body
    start, target = _number(body.get("start_value")), _number(body.get("target_value"))
    creates = case.path.endswith("/key-results/")
    no_start = creates or ("start_value" in body and body["start_value"] is None)
    if body.get("kind", "metric") == "metric" and target is not None and start is None and no_start:
        start = Decimal(1) if target == 0 else Decimal(0)  # a metric's target has a start
        body["start_value"] = str(start)
    if start is not None and start == target:
        body["target_value"] = "1" if start == 0 else "0"
    fit_the_direction(case, body)
    if "rollup" in body and isinstance(body.get("unit", ""), str):
        from okr.lib.progress.rollup import rollup_problem

        kind = body.get("kind", "metric")  # a key result in the path is a metric
        if rollup_problem(kind=kind, unit=body.get("unit"), rollup=body["rollup"]):
            body["rollup"] = "none"
    if case.path.endswith("/reviews/") and body.get("moved_from") is not None:
        if _half(body["moved_from"]):
            body["moved_from"] = world["scheduled_day"]
        if body["moved_from"] == body.get("date"):
            body["moved_from"] = None
    if case.path.endswith("/comments/"):
        targets = [name for name in ("objective", "key_result", "check_in") if body.get(name)]
        if body.get("parent") == str(world["comment"]) or not targets:
            targets = ["objective"]
            body["objective"] = str(world["objective"])
        for name in ("objective", "key_result", "check_in"):
            if name != targets[0]:
                body.pop(name, None)
    if case.path.endswith("/objectives/") and body.get("level") == "personal":
        fit_a_personal_objective(body, world)
    planned = re.search(r"/years/(start|drafts|publish)/$", case.path)
    if planned and isinstance(body.get("year"), int):
        this_year = world["next_year"] - 1
        if body["year"] < this_year or (case.path.endswith("/publish/") and _half(body)):
            body["year"] = world["next_year"]
    if case.path.endswith("/deletion/") and isinstance(body.get("name"), str):
        from accounts.models import Organisation

        body["name"] = Organisation.objects.get(slug=ORG).name  # the confirmation is the name
    if case.path.endswith("/entries/") and body.get("kind", "note") != "decision":
        for name in ("owner", "due_date", "key_result"):
            if body.get(name) is not None:
                body.pop(name)


def fit_the_direction(case, body):
    """A metric's target lies on the better side of its start: above it when higher is
    better (the default), below when lower is. A key result in the path is the world's
    (0 → 50, higher is better) for what the body leaves out."""
    if body.get("kind", "metric") != "metric":
        return
    in_path = re.search(r"/key-results/[^/]+/$", case.path) is not None
    start = _number(body["start_value"]) if "start_value" in body else None
    target = _number(body["target_value"]) if "target_value" in body else None
    if in_path:
        start = Decimal(0) if "start_value" not in body else start
        target = Decimal(50) if "target_value" not in body else target
    if start is None or target is None or start == target:
        return
    higher = body.get("direction", "increase") != "decrease"
    if (target > start) == higher:
        return
    if "start_value" in body and "target_value" in body:
        body["start_value"], body["target_value"] = body["target_value"], body["start_value"]
    elif "target_value" in body:
        body["target_value"] = _like(body["target_value"], 2 * start - target)
    elif "start_value" in body:
        body["start_value"] = _like(body["start_value"], 2 * target - start)
    else:
        body["direction"] = "increase" if body.get("direction") == "decrease" else "decrease"


def _like(sent, value: Decimal):
    """``value`` written as the JSON type of what was sent (a string or a number)."""
    if isinstance(sent, str):
        return str(value)
    return int(value) if isinstance(sent, int) and value == value.to_integral() else float(value)


def fit_a_personal_objective(body, world):
    """A personal objective under a real parent goes under the team's, in its quarter."""
    real = {str(world["references"][name]) for name in ("parent_objective", "parent_key_result")}
    if body.get("parent_key_result") in real:
        body["parent_key_result"] = str(world["team_key_result"])
    elif body.get("parent_objective") in real or not (
        body.get("parent_key_result") or body.get("parent_objective")
    ):
        body["parent_objective"] = str(world["team_objective"])
    if body.get("cycle") == str(world["references"]["cycle"]):
        body["cycle"] = str(world["quarter"])
    for name in ("owner", "team"):
        body.pop(name, None)
    if body.get("alignment") == "direct":
        body["alignment"] = "indirect"


def use_real_ids(case, world):
    """A valid path names a real object of its kind; half of the valid ids in a valid body
    or query name real objects too, of the kind the rest of the request fits (an invalid
    part is left as generated: it must be refused)."""
    meta = case.meta
    path_is_valid = not (meta and meta.is_negative_at(ParameterLocation.PATH))
    if path_is_valid and "code" in (case.path_parameters or {}):
        kind = case.path.split("/")[4]
        case.path_parameters["code"] = str(world["codes"][kind])
    body = case.body
    if isinstance(body, dict) and not (meta and meta.is_negative_at(ParameterLocation.BODY)):
        for name, value in list(body.items()):
            if name in world["lists"] and isinstance(value, list) and _half(value):
                body[name] = [str(world["lists"][name]) if is_uuid(v) else v for v in value]
            if name not in world["references"] or not is_uuid(value) or not _half(value):
                continue
            real = world["references"][name]
            if name == "cycle" and body.get("level") == "team":
                real = world["quarter"]
            if name == "parent" and case.path.endswith("/comments/"):
                real = world["comment"]
            if name == "key_result" and case.path.endswith("/check-ins/"):
                real = fitting_key_result(body, world) or value
            body[name] = str(real)
        fit_rules_between_fields(case, world)
    if case.query and not (meta and meta.is_negative_at(ParameterLocation.QUERY)):
        since, until = case.query.get("since"), case.query.get("until")
        if isinstance(since, str) and isinstance(until, str) and since > until:
            case.query["since"], case.query["until"] = until, since  # the first day comes first
        for name, value in list(case.query.items()):
            if name in world["references"] and is_uuid(value) and _half(value):
                case.query[name] = str(world["references"][name])
