"""What the webhooks say about OKR objects: the ``data`` of each event (``accounts.webhooks.emit``).

Numbers are the progress engine's, as stored on the rows (``okr.objectives.stored``
writes them in the same transaction, before the event is emitted). The shapes are
documented in the API description (``okr/api/webhooks_schema.py``).
"""

from __future__ import annotations

from accounts.models import Team, User
from okr.models import CheckIn, Cycle, KeyResult, Objective, Review


def _person(user: User | None) -> dict | None:
    return None if user is None else {"id": str(user.uuid), "name": user.name or user.email}


def _team(team: Team | None) -> dict | None:
    return None if team is None else {"id": str(team.uuid), "name": team.name}


def cycle_data(cycle: Cycle) -> dict:
    return {
        "id": str(cycle.uuid),
        "kind": cycle.kind,
        "label": cycle.label,
        "start_date": cycle.start_date,
        "end_date": cycle.end_date,
    }


def objective_data(objective: Objective) -> dict:
    return {
        "id": str(objective.uuid),
        "title": objective.title,
        "level": objective.level,
        "status": objective.status,
        "team": _team(objective.team),
        "owner": _person(objective.owner),
        "cycle": {"id": str(objective.cycle.uuid), "label": objective.cycle.label},
        "progress": objective.stored_progress,
    }


def check_in_data(check_in: CheckIn, key_result: KeyResult) -> dict:
    fresh = KeyResult.objects.values("stored_progress", "stored_verdict").get(pk=key_result.pk)
    return {
        "id": str(check_in.uuid),
        "created_at": check_in.created_at,
        "author": _person(check_in.author),
        "value": check_in.value,
        "done": check_in.done,
        "steps_done": check_in.steps_done,
        "confidence": check_in.confidence,
        "note": check_in.note,
        "key_result": {
            "id": str(key_result.uuid),
            "title": key_result.title,
            "kind": key_result.kind,
            "unit": key_result.unit,
            "start_value": key_result.start_value,
            "target_value": key_result.target_value,
            "progress": fresh["stored_progress"],
            "verdict": fresh["stored_verdict"],
            "objective": {
                "id": str(key_result.objective.uuid),
                "title": key_result.objective.title,
            },
        },
    }


def review_data(review: Review, key_results: int) -> dict:
    return {"id": str(review.uuid), "date": review.date, "key_results": key_results}
