"""Writes for personal OKRs: the pilot's checks around the OKR core's services.

The core (``okr.objectives.services``) checks the rules of the "personal" level
(the parent, the owner, never counted in the numbers) and asks the policy; these
add the organisation's pilot and derive the team and the quarter from the parent.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from okr.models import KeyResult, Objective
from okr.objectives import services as core


class PilotOff(ValidationError):
    """The organisation has not turned the personal OKR pilot on (the pages answer 404 first)."""

    def __init__(self):
        super().__init__(_("Personal OKRs are not turned on in this organisation."))


def require_pilot(organisation: Organisation) -> None:
    if not organisation.personal_okrs:
        raise PilotOff


def personal_objective_create(
    *,
    organisation: Organisation,
    author: User,
    title: str,
    why: str = "",
    parent_objective: Objective | None = None,
    parent_key_result: KeyResult | None = None,
) -> Objective:
    """``author``'s own objective under a team objective or key result of its quarter."""
    require_pilot(organisation)
    parent = parent_key_result.objective if parent_key_result is not None else parent_objective
    if parent is None or parent.level != Objective.Level.TEAM:
        raise ValidationError(
            {"parent": _("Choose one of your team's objectives or key results of the quarter.")}
        )
    return core.objective_create(
        organisation=organisation,
        cycle=parent.cycle,
        level=Objective.Level.PERSONAL,
        team=parent.team,
        owner=author,
        title=title,
        why=why,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
        author=author,
    )


def personal_objective_update(*, objective: Objective, version: int, author: User, **fields):
    require_pilot(objective.organisation)
    _require_personal(objective)
    return core.objective_update(objective=objective, version=version, author=author, **fields)


def personal_objective_archive(*, objective: Objective, author: User) -> Objective:
    require_pilot(objective.organisation)
    _require_personal(objective)
    return core.objective_archive(objective=objective, author=author)


def personal_key_result_create(
    *, objective: Objective, author: User, title: str, **fields
) -> KeyResult:
    """A key result of a personal objective: its owner's, never summing anything."""
    require_pilot(objective.organisation)
    _require_personal(objective)
    fields.pop("rollup", None)
    fields.pop("owner", None)
    return core.key_result_create(
        objective=objective, title=title, owner=objective.owner, author=author, **fields
    )


def personal_key_result_archive(*, key_result: KeyResult, author: User) -> None:
    require_pilot(key_result.organisation)
    _require_personal(key_result.objective)
    core.key_result_archive(key_result=key_result, author=author)


def _require_personal(objective: Objective) -> None:
    if objective.level != Objective.Level.PERSONAL:
        raise ValidationError(_("This is not a personal objective."))
