"""Writes for the team workshop and leadership's approval queue.

A team drafts its quarter (``draft``), the lead submits the set
(``proposed``), leadership approves it (``approved``) or asks for changes
with a comment (``changes_requested``), and the team edits and submits
again. Every status change writes an ``ObjectiveEvent`` (the status history,
with the comment); the status itself is set through
``services.objective_set_status`` so the version moves on and an edit form
opened before the change is caught as stale.

The parking lot keeps ideas and activities a team parks while it writes;
each is turned into a key result (of an objective of the team's quarter) or
an initiative (behind one of its key results), or discarded.

Who may is ``accounts.policy``'s answer for the person who acts (``author``;
``None``: the system, such as the demo), asked first; here are the rules that
cross objects: same organisation, team and quarter, and which status may
follow which.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit, policy, revision, webhooks
from accounts.models import Organisation, Team, User
from accounts.policy import Action
from okr.conversation import notify
from okr.models import Cycle, Initiative, KeyResult, Objective, ObjectiveEvent, ParkingLotItem
from okr.objectives import services
from okr.objectives import webhooks as webhook_data

Status = Objective.Status

#: Statuses the team may edit in the workshop and submit. A proposed objective
#: waits for leadership; an approved one may be refined (it stays approved).
EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED})
SUBMITTABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
COMMENT_MAX_CHARS = 2000


def _team_objectives(organisation: Organisation, team: Team, cycle: Cycle):
    return Objective.objects.filter(
        organisation=organisation, team=team, cycle=cycle, level=Objective.Level.TEAM
    )


def _record(objective: Objective, from_status: str, to_status: str, author, comment="") -> None:
    ObjectiveEvent.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        author=author,
    )


def _locked(objective: Objective) -> Objective:
    return Objective.objects.select_for_update().get(pk=objective.pk)


def _transition(
    objective: Objective, allowed_from, to_status: str, author, comment=""
) -> Objective:
    """Lock the row, check the status it is in now, set the new one and write the event."""
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("The objective is %(status)s now; reload to see its latest state.")
                % {"status": locked.get_status_display().lower()}
            }
        )
    previous = locked.status
    updated = services.objective_set_status(objective=locked, status=to_status)
    _record(updated, previous, to_status, author, comment)
    return updated


# --- Status: submit, approve, request changes -----------------------------------------


@transaction.atomic
def objective_submit(
    *, organisation: Organisation, team: Team, cycle: Cycle, author: User | None
) -> list[Objective]:
    """Propose the team's draft and changes-requested objectives of ``cycle`` to leadership.

    Returns the objectives that were proposed (none when there was nothing to submit).
    """
    policy.enforce(author, Action.OBJECTIVES_SUBMIT, team)
    if team.organisation_id != organisation.id or cycle.organisation_id != organisation.id:
        raise ValidationError({"team": _("Choose a team in the organisation.")})
    candidates = list(
        _team_objectives(organisation, team, cycle)
        .filter(status__in=SUBMITTABLE)
        .select_for_update()
        .order_by("order", "id")
    )
    proposed = []
    for objective in candidates:
        proposed.append(_transition(objective, SUBMITTABLE, Status.PROPOSED, author))
    notify.approval_requested(proposed, author)
    return proposed


@transaction.atomic
def objective_approve(*, objective: Objective, author: User | None, comment: str = "") -> Objective:
    """Leadership approves a proposed team objective."""
    # Asked about the row as it is now, not as the caller last read it.
    policy.enforce(author, Action.OBJECTIVE_APPROVE, _locked(objective))
    if objective.level != Objective.Level.TEAM:
        raise ValidationError({"status": _("Only team objectives are approved.")})
    comment = comment.strip()[:COMMENT_MAX_CHARS]
    approved = _transition(objective, {Status.PROPOSED}, Status.APPROVED, author, comment)
    details = {"team": approved.team.name if approved.team_id else "", "comment": comment}
    audit.record(
        approved.organisation_id, author, audit.Kind.OBJECTIVE_APPROVED, approved, details=details
    )
    notify.approval_decided(approved, author, notify.Kind.APPROVED, comment)
    if webhooks.subscribed(approved.organisation_id, webhooks.EventType.OBJECTIVE_APPROVED):
        data = webhook_data.objective_data(approved)
        webhooks.emit(approved.organisation_id, webhooks.EventType.OBJECTIVE_APPROVED, data)
    return approved


@transaction.atomic
def objective_approve_team(
    *, organisation: Organisation, team: Team, cycle: Cycle, author: User | None
) -> list[Objective]:
    """Approve every proposed objective of the team's quarter (the whole set at once)."""
    policy.enforce(author, Action.OBJECTIVES_APPROVE_TEAM, team)
    proposed = list(
        _team_objectives(organisation, team, cycle)
        .filter(status=Status.PROPOSED)
        .select_for_update()
        .order_by("order", "id")
    )
    return [objective_approve(objective=o, author=author) for o in proposed]


@transaction.atomic
def objective_request_changes(
    *, objective: Objective, author: User | None, comment: str
) -> Objective:
    """Leadership sends a proposed objective back with a comment the team sees in its workshop."""
    policy.enforce(author, Action.OBJECTIVE_REQUEST_CHANGES, _locked(objective))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change, so the team knows.")})
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"comment": _("At most %(count)d characters.") % {"count": COMMENT_MAX_CHARS}}
        )
    if objective.level != Objective.Level.TEAM:
        raise ValidationError({"status": _("Only team objectives are approved.")})
    sent_back = _transition(objective, {Status.PROPOSED}, Status.CHANGES_REQUESTED, author, comment)
    details = {"team": sent_back.team.name if sent_back.team_id else "", "comment": comment}
    audit.record(
        sent_back.organisation_id,
        author,
        audit.Kind.OBJECTIVE_CHANGES_REQUESTED,
        sent_back,
        details=details,
    )
    notify.approval_decided(sent_back, author, notify.Kind.CHANGES_REQUESTED, comment)
    return sent_back


@transaction.atomic
def workshop_objective_create(
    *,
    organisation: Organisation,
    team: Team,
    cycle: Cycle,
    title: str,
    author: User | None,
    why: str = "",
    owner: User | None = None,
    parent_objective: Objective | None = None,
    parent_key_result: KeyResult | None = None,
    alignment: str = Objective.Alignment.INDIRECT,
) -> Objective:
    """A new draft team objective on a quarter; its status history starts here.

    The one way a person adds a team objective, from the workshop and the API alike.
    """
    policy.enforce(author, Action.OBJECTIVE_CREATE, team)
    if cycle.kind != Cycle.Kind.QUARTER:
        raise ValidationError({"cycle": _("Team objectives belong to a quarter.")})
    for parent in (parent_objective, parent_key_result and parent_key_result.objective):
        if parent is not None and parent.cycle_id != cycle.parent_id:
            raise ValidationError(
                {"parent": _("Choose a strategic objective or key result of the same year.")}
            )
    objective = services.objective_create(
        organisation=organisation,
        cycle=cycle,
        level=Objective.Level.TEAM,
        team=team,
        title=title,
        why=why,
        owner=owner,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
        alignment=alignment,
        status=Status.DRAFT,
        author=author,
    )
    _record(objective, "", Status.DRAFT, author)
    return objective


# --- Parking lot -------------------------------------------------------------------------


def parking_lot_add(
    *, organisation: Organisation, team: Team, cycle: Cycle, text: str, author: User | None
) -> ParkingLotItem:
    policy.enforce(author, Action.WORKSHOP_PARK, team)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the idea first.")})
    if team.organisation_id != organisation.id or cycle.organisation_id != organisation.id:
        raise ValidationError({"text": _("Choose a team in the organisation.")})
    return ParkingLotItem.objects.create(
        organisation=organisation, team=team, cycle=cycle, text=text[:300], author=author
    )


def _open_item(item: ParkingLotItem) -> ParkingLotItem:
    locked = ParkingLotItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != ParkingLotItem.State.OPEN:
        raise ValidationError(
            {"item": _("Someone already took care of this idea; reload to see the parking lot.")}
        )
    return locked


def _mark(item: ParkingLotItem, state: str) -> ParkingLotItem:
    ParkingLotItem.objects.filter(pk=item.pk).update(state=state)
    revision.bump(item.organisation_id)  # an update() sends no signal: the pages show the state
    item.state = state
    return item


@transaction.atomic
def parking_lot_to_key_result(
    *,
    item: ParkingLotItem,
    objective: Objective,
    title: str = "",
    owner: User | None = None,
    author: User | None = None,
) -> KeyResult:
    """Turn the idea into a key result of one of the team's objectives in the same quarter.

    The key result starts as a metric with its target pending: the team sets
    start and target when it has rewritten the idea into a result.
    """
    policy.enforce(author, Action.WORKSHOP_PARK, item.team)
    locked = _open_item(item)
    if (
        objective.organisation_id != locked.organisation_id
        or objective.team_id != locked.team_id
        or objective.cycle_id != locked.cycle_id
        or objective.status == Status.ARCHIVED
    ):
        raise ValidationError({"objective": _("Choose one of the team's objectives.")})
    if author is None and objective.status not in EDITABLE:
        raise ValidationError(
            {"objective": _("This objective waits for leadership; choose another one.")}
        )
    kr = services.key_result_create(
        objective=objective,
        title=(title or "").strip() or locked.text,
        owner=owner,
        author=author,
        kind=KeyResult.Kind.METRIC,
        start_value=None,
        target_value=None,
    )
    _mark(locked, ParkingLotItem.State.CONVERTED)
    item.state = locked.state
    return kr


@transaction.atomic
def parking_lot_to_initiative(
    *,
    item: ParkingLotItem,
    key_result: KeyResult,
    title: str = "",
    owner: User | None = None,
    author: User | None = None,
) -> Initiative:
    """Turn the activity into an initiative behind one of the team's key results."""
    policy.enforce(author, Action.WORKSHOP_PARK, item.team)
    locked = _open_item(item)
    objective = key_result.objective
    if (
        key_result.organisation_id != locked.organisation_id
        or key_result.archived
        or objective.team_id != locked.team_id
        or objective.cycle_id != locked.cycle_id
        or objective.status == Status.ARCHIVED
    ):
        raise ValidationError({"key_result": _("Choose one of the team's key results.")})
    initiative = services.initiative_create(
        key_result=key_result,
        title=(title or "").strip() or locked.text,
        owner=owner,
        author=author,
    )
    _mark(locked, ParkingLotItem.State.CONVERTED)
    item.state = locked.state
    return initiative


@transaction.atomic
def parking_lot_discard(*, item: ParkingLotItem, author: User | None = None) -> ParkingLotItem:
    policy.enforce(author, Action.WORKSHOP_PARK, item.team)
    locked = _open_item(item)
    _mark(locked, ParkingLotItem.State.DISCARDED)
    item.state = locked.state
    return item
