"""Personal objectives in the API: ``level`` "personal" on the objectives endpoint.

``POST /api/v1/<org>/objectives/`` with ``level`` "personal" comes here (from
``okr.objectives.api``); reading, changing, archiving and the key results are the
objectives and key results endpoints as they are (the policy decides: the owner).
The organisation's pilot off: 400 on ``level``, nothing is created.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions

from accounts.api.base import rename_errors
from accounts.models import Organisation, User
from okr.models import Objective
from okr.personal import services


def create(organisation: Organisation, user: User, data: dict) -> Objective:
    """Check what the request says against the pilot and the parent, then create (400 otherwise)."""
    if not organisation.personal_okrs:
        raise exceptions.ValidationError(
            {"level": [_("Personal OKRs are not turned on in this organisation.")]}
        )
    errors = {}
    parent_kr, parent_objective = data.get("parent_key_result"), data.get("parent_objective")
    parent = parent_kr.objective if parent_kr is not None else parent_objective
    if parent is None or parent.level != Objective.Level.TEAM:
        name = "parent_key_result" if parent_kr is not None else "parent_objective"
        errors[name] = [_("Choose one of your team's objectives or key results of the quarter.")]
    else:
        if data.get("team") is not None and data["team"].pk != parent.team_id:
            errors["team"] = [_("A personal objective is in the team of its parent.")]
        if data["cycle"].pk != parent.cycle_id:
            errors["cycle"] = [_("A personal objective is in the quarter of its parent.")]
    if data.get("owner") is not None and data["owner"].pk != user.pk:
        errors["owner"] = [_("You write personal OKRs for yourself only.")]
    if data.get("alignment") == Objective.Alignment.DIRECT:
        errors["alignment"] = [
            _("A personal objective never adds into its parent's numbers: it is indirect.")
        ]
    if errors:
        raise exceptions.ValidationError(errors)
    names = {"parent": "parent_key_result" if parent_kr is not None else "parent_objective"}
    try:
        return services.personal_objective_create(
            organisation=organisation,
            author=user,
            title=data["title"],
            why=data.get("why", ""),
            parent_objective=parent_objective,
            parent_key_result=parent_kr,
        )
    except DjangoValidationError as exc:
        raise rename_errors(exc, names) from None
