"""Writes for the OKR core: small typed functions the pages, the API and the jobs share.

Each checks the rules that cross objects (same organisation, parent kinds,
stale versions) and raises ``ValidationError`` with per-field messages, or
``StaleEdit`` when someone else saved first. Before anything, each asks
``accounts.policy`` whether the person who acts (``author``) may: a refusal
raises ``policy.PolicyError`` (403, or 409 for the object's state). ``author``
``None`` is the system itself (jobs, the demo, imports), which is not checked.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy, revision, webhooks
from accounts.models import Membership, Organisation, Team, User
from accounts.policy import Action
from okr.chat import events as chat_events
from okr.lib import calendar
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import approval, numbers, signals, stored
from okr.objectives import webhooks as webhook_data


class StaleEdit(Exception):
    """The form was read at an older version than the one stored now."""

    def __init__(self, current):
        super().__init__("stale")
        self.current = current


# --- Cycles ------------------------------------------------------------------


@transaction.atomic
def cycle_year_get_or_create(*, organisation: Organisation, year: int) -> Cycle:
    """The year cycle and its four quarters, created on demand."""
    start, end = calendar.fiscal_year_bounds(year, organisation.fiscal_year_start_month)
    today = calendar.today(organisation)
    # A cycle that has started is active until the quarter close closes it.
    state = Cycle.State.ACTIVE if start <= today else Cycle.State.PLANNING
    year_cycle, _created = Cycle.objects.get_or_create(
        organisation=organisation,
        kind=Cycle.Kind.YEAR,
        year=year,
        defaults={"start_date": start, "end_date": end, "state": state},
    )
    existing = set(year_cycle.quarters.values_list("quarter", flat=True))
    for (_year, q), q_start, q_end in calendar.quarters_of_year(
        year, organisation.fiscal_year_start_month
    ):
        if q in existing:
            continue
        q_state = Cycle.State.ACTIVE if q_start <= today else Cycle.State.PLANNING
        Cycle.objects.get_or_create(
            organisation=organisation,
            kind=Cycle.Kind.QUARTER,
            year=year,
            quarter=q,
            defaults={
                "parent": year_cycle,
                "start_date": q_start,
                "end_date": q_end,
                "state": q_state,
            },
        )
    return year_cycle


def cycle_for_date(*, organisation: Organisation, day: date, kind: str = Cycle.Kind.YEAR) -> Cycle:
    year_cycle = cycle_year_get_or_create(
        organisation=organisation,
        year=calendar.fiscal_year_of(day, organisation.fiscal_year_start_month),
    )
    if kind == Cycle.Kind.YEAR:
        return year_cycle
    return Cycle.objects.get(
        organisation=organisation, kind=Cycle.Kind.QUARTER, start_date__lte=day, end_date__gte=day
    )


# --- Objectives ----------------------------------------------------------------


def _check_member(organisation: Organisation, user: User | None, field: str) -> None:
    if (
        user is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError({field: _("Choose someone in the organisation.")})


def _check_personal_parent(organisation, cycle, team_id, parent_objective, parent_key_result):
    """A personal objective sits under a team objective or key result of its quarter and team."""
    parent = parent_key_result.objective if parent_key_result is not None else parent_objective
    if (
        parent is None
        or parent.organisation_id != organisation.id
        or parent.level != Objective.Level.TEAM
        or parent.cycle_id != cycle.id
        or parent.team_id != team_id
        or parent.status == Objective.Status.ARCHIVED
        or (parent_key_result is not None and parent_key_result.archived)
    ):
        raise ValidationError(
            {"parent": _("Choose one of your team's objectives or key results of the quarter.")}
        )


def _check_parent(
    organisation, cycle, level, parent_objective, parent_key_result, team_id=None
) -> None:
    if level == Objective.Level.PERSONAL:
        _check_personal_parent(organisation, cycle, team_id, parent_objective, parent_key_result)
        return
    if level == Objective.Level.STRATEGIC:
        if parent_objective or parent_key_result:
            raise ValidationError({"parent": _("A strategic objective has no parent.")})
        return
    if parent_objective is not None and (
        parent_objective.organisation_id != organisation.id
        or parent_objective.level != Objective.Level.STRATEGIC
    ):
        raise ValidationError(
            {"parent": _("Choose a strategic objective or one of its key results.")}
        )
    if parent_key_result is not None:
        parent = parent_key_result.objective
        if (
            parent_key_result.organisation_id != organisation.id
            or parent.level != Objective.Level.STRATEGIC
        ):
            raise ValidationError(
                {"parent": _("Choose a strategic objective or one of its key results.")}
            )


def _next_order(queryset, *, parent) -> int:
    """One more than the highest ``order`` in ``queryset``, the children of ``parent``.

    The parent's row stays locked until the transaction ends, so parallel creates under
    one parent queue up here and each reads the order the one before it wrote (without
    the lock, five at once all read the same highest order and shared the next one).
    """
    list(type(parent).objects.select_for_update().filter(pk=parent.pk).values_list("pk"))
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def objective_create(
    *,
    organisation: Organisation,
    cycle: Cycle,
    level: str,
    title: str,
    why: str = "",
    owner: User | None = None,
    team: Team | None = None,
    parent_objective: Objective | None = None,
    parent_key_result: KeyResult | None = None,
    alignment: str = Objective.Alignment.INDIRECT,
    status: str | None = None,
    author: User | None = None,
) -> Objective:
    personal = level == Objective.Level.PERSONAL
    if personal:  # a person's own, under their team's (okr.personal checks the pilot)
        policy.enforce(author, Action.PERSONAL_OKR_CREATE, team, organisation=organisation)
    else:
        for_team = team if level == Objective.Level.TEAM else None
        policy.enforce(author, Action.OBJECTIVE_CREATE, for_team, organisation=organisation)
    if cycle.organisation_id != organisation.id:
        raise ValidationError({"cycle": _("Unknown cycle.")})
    if level == Objective.Level.STRATEGIC and cycle.kind != Cycle.Kind.YEAR:
        raise ValidationError({"cycle": _("Strategic objectives belong to a year.")})
    if level != Objective.Level.STRATEGIC and (
        team is None or team.organisation_id != organisation.id
    ):
        raise ValidationError({"team": _("Choose a team in the organisation.")})
    _check_member(organisation, owner, "owner")
    if personal:
        _check_personal_owner(owner, author)
        alignment = Objective.Alignment.INDIRECT  # never counted in the parent's numbers
    _check_parent(
        organisation, cycle, level, parent_objective, parent_key_result, getattr(team, "pk", None)
    )
    if status is None:  # a personal objective is live at once: no approval
        status = (
            Objective.Status.DRAFT if level == Objective.Level.TEAM else Objective.Status.APPROVED
        )
    siblings = Objective.objects.filter(
        organisation=organisation, cycle=cycle, level=level, team=team
    )
    objective = Objective.objects.create(
        organisation=organisation,
        cycle=cycle,
        level=level,
        team=team,
        owner=owner,
        title=title.strip(),
        why=why.strip(),
        status=status,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
        alignment=alignment,
        order=_next_order(siblings, parent=cycle),
    )
    stored.refresh(objectives=[objective])
    if webhooks.subscribed(organisation.pk, webhooks.EventType.OBJECTIVE_CREATED):
        objective.refresh_from_db(fields=["stored_progress"])
        data = webhook_data.objective_data(objective)
        webhooks.emit(organisation, webhooks.EventType.OBJECTIVE_CREATED, data)
    return objective


@transaction.atomic
def objective_update(
    *, objective: Objective, version: int, author: User | None = None, **fields
) -> Objective:
    """Save new values unless someone saved since ``version`` was read.

    On an approved team objective the change is recorded, and a material one by
    ``author`` other than leadership sends it back to proposed (``approval``).
    """
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    decision = policy.enforce_change(author, Action.OBJECTIVE_EDIT, locked, fields)
    if locked.version != version:
        raise StaleEdit(locked)
    if "owner" in fields:
        _check_member(locked.organisation, fields["owner"], "owner")
        if locked.level == Objective.Level.PERSONAL and fields["owner"] != locked.owner:
            raise ValidationError({"owner": _("A personal objective stays its owner's.")})
    if locked.level == Objective.Level.PERSONAL:
        fields.pop("alignment", None)  # always indirect: never counted in the parent's numbers
    parent_objective = fields.get("parent_objective", locked.parent_objective)
    parent_key_result = fields.get("parent_key_result", locked.parent_key_result)
    _check_parent(
        locked.organisation,
        locked.cycle,
        locked.level,
        parent_objective,
        parent_key_result,
        locked.team_id,
    )
    before = approval.before_edit(locked, locked)
    old_parent = locked.parent_key_result_id  # it may have summed this objective's numbers
    for name, value in fields.items():
        setattr(
            locked,
            name,
            value.strip() if isinstance(value, str) and name in {"title", "why"} else value,
        )
    _check_contributions(locked)
    change = approval.change_of(locked, locked, before, reapproval=decision.reapproval)
    if change.send_back:
        locked.status = Objective.Status.PROPOSED
    locked.version += 1
    locked.save()
    stored.refresh(objectives=[locked], key_results=[old_parent])
    approval.record(change, author)
    return locked


def objective_set_status(*, objective: Objective, status: str) -> Objective:
    with transaction.atomic():
        locked = Objective.objects.select_for_update().get(pk=objective.pk)
        archiving = Objective.Status.ARCHIVED in (status, locked.status)
        locked.status = status
        locked.version += 1
        locked.save()
        if archiving:  # a parent that sums its direct contributions leaves it out, or back in
            stored.refresh(objectives=[locked])
    return locked


@transaction.atomic
def objective_archive(*, objective: Objective, author: User | None = None) -> Objective:
    locked = Objective.objects.select_for_update().get(pk=objective.pk)
    policy.enforce(author, Action.OBJECTIVE_ARCHIVE, locked)
    return objective_set_status(objective=objective, status=Objective.Status.ARCHIVED)


@transaction.atomic
def objective_move(*, objective: Objective, offset: int, author: User | None = None) -> None:
    """Move an objective up (-1) or down (+1) among its siblings."""
    policy.enforce(author, Action.OBJECTIVE_REORDER, objective)
    siblings = list(
        Objective.objects.select_for_update()
        .filter(
            organisation_id=objective.organisation_id,
            cycle_id=objective.cycle_id,
            level=objective.level,
            team_id=objective.team_id,
        )
        .exclude(status=Objective.Status.ARCHIVED)
        .order_by("order", "id")
    )
    _move_in(siblings, objective.pk, offset)


def _move_in(items: list, pk: int, offset: int) -> None:
    index = next((i for i, item in enumerate(items) if item.pk == pk), None)
    if index is None:
        return
    target = index + offset
    if not 0 <= target < len(items):
        return
    items.insert(target, items.pop(index))
    for position, item in enumerate(items, start=1):
        if item.order != position:
            item.order = position
            type(item).objects.filter(pk=item.pk).update(order=position)
    revision.bump(items[0].organisation_id)  # the order pages show


# --- Key results ----------------------------------------------------------------

KEY_RESULT_FIELDS = (
    "title",
    "kind",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "due_date",
    "steps_total",
    "commitment",
    "owner",
    "weight",
    "rollup",
)


#: A key result's weight: above 0, at most this, two decimals (``KeyResult.weight``).
WEIGHT_MAX = Decimal("999.99")


def _validate_key_result(kr: KeyResult) -> None:
    errors = {}
    weight = Decimal(str(kr.weight))  # the pages, the API and the demo pass a number
    if not Decimal(0) < weight <= WEIGHT_MAX or weight != weight.quantize(Decimal("0.01")):
        errors["weight"] = _(
            "Enter a weight above 0 and at most 999.99, with at most two decimals."
        )
    if kr.kind == KeyResult.Kind.METRIC:
        if kr.start_value is None and kr.target_value is not None:
            errors["start_value"] = _("A metric needs a start value.")
        elif kr.target_value is not None and kr.start_value is not None:
            if kr.target_value == kr.start_value:
                errors["target_value"] = _("The target must differ from the start.")
            elif kr.direction == KeyResult.Direction.INCREASE and kr.target_value < kr.start_value:
                errors["target_value"] = _(
                    "Higher is better, so the target must be above the start."
                )
            elif kr.direction == KeyResult.Direction.DECREASE and kr.target_value > kr.start_value:
                errors["target_value"] = _(
                    "Lower is better, so the target must be below the start."
                )
    else:
        if kr.steps_total is not None and kr.steps_total < 1:
            errors["steps_total"] = _("Enter at least one step, or leave it empty.")
    refusal = numbers.rollup_refusal(kind=kr.kind, unit=kr.unit, rollup=kr.rollup)
    if refusal:
        errors["rollup"] = refusal
    refusal = numbers.contribution_refusal(
        numbers.summing_parent(kr.objective), kind=kr.kind, unit=kr.unit
    )
    if refusal:
        errors["unit"] = refusal
    if errors:
        raise ValidationError(errors)


def _check_contributions(objective: Objective) -> None:
    """A team objective linked directly to a key result that sums: its metrics must add in."""
    parent = numbers.summing_parent(objective)
    if parent is None or objective.pk is None:
        return
    for kr in objective.key_results.filter(archived=False):
        refusal = numbers.contribution_refusal(parent, kind=kr.kind, unit=kr.unit)
        if refusal:
            raise ValidationError({"parent": refusal})


def _check_personal_owner(owner: User | None, author: User | None) -> None:
    if owner is None or (author is not None and owner.pk != author.pk):
        raise ValidationError({"owner": _("You write personal OKRs for yourself only.")})


def _personal_key_result_owner(objective: Objective, owner: User | None):
    """A personal objective's key results are its owner's (none given: the owner)."""
    if owner is not None and owner.pk != objective.owner_id:
        raise ValidationError({"owner": _("A personal key result is its objective's owner's.")})
    return objective.owner


@transaction.atomic
def key_result_create(
    *,
    objective: Objective,
    title: str,
    owner: User | None = None,
    author: User | None = None,
    **fields,
) -> KeyResult:
    policy.enforce(author, Action.KEY_RESULT_CREATE, objective)
    _check_member(objective.organisation, owner, "owner")
    if objective.level == Objective.Level.PERSONAL:
        owner = _personal_key_result_owner(objective, owner)
        if not objective.organisation.personal_okrs:  # the pilot off: nothing new is written
            raise ValidationError(_("Personal OKRs are not turned on in this organisation."))
    kr = KeyResult(
        organisation_id=objective.organisation_id,
        objective=objective,
        title=title.strip(),
        owner=owner,
        order=_next_order(objective.key_results.all(), parent=objective),
        **{k: v for k, v in fields.items() if k in KEY_RESULT_FIELDS},
    )
    if kr.kind == KeyResult.Kind.MILESTONE:
        kr.start_value = kr.target_value = None
    _validate_key_result(kr)
    kr.save()
    stored.refresh(key_results=[kr])
    return kr


@transaction.atomic
def key_result_update(
    *, key_result: KeyResult, version: int, author: User | None = None, **fields
) -> KeyResult:
    """Save new values unless someone saved since ``version`` was read.

    Of an approved team objective: recorded, and a material change by ``author``
    other than leadership sends the objective back to proposed (``approval``).
    """
    locked = (
        KeyResult.objects.select_for_update()
        .select_related("organisation", "objective")
        .get(pk=key_result.pk)
    )
    decision = policy.enforce_change(author, Action.KEY_RESULT_EDIT, locked, fields)
    if locked.version != version:
        raise StaleEdit(locked)
    if "owner" in fields:
        _check_member(locked.organisation, fields["owner"], "owner")
        if locked.objective.level == Objective.Level.PERSONAL:
            fields["owner"] = _personal_key_result_owner(locked.objective, fields["owner"])
    before = approval.before_edit(locked, locked.objective)
    for name, value in fields.items():
        if name in KEY_RESULT_FIELDS:
            setattr(locked, name, value.strip() if name == "title" else value)
    if locked.kind == KeyResult.Kind.MILESTONE:
        locked.start_value = locked.target_value = None
    _validate_key_result(locked)
    change = approval.change_of(locked, locked.objective, before, reapproval=decision.reapproval)
    locked.version += 1
    locked.save()
    if change.send_back:
        objective_set_status(objective=locked.objective, status=Objective.Status.PROPOSED)
    stored.refresh(key_results=[locked])
    approval.record(change, author)
    return locked


def key_result_archive(*, key_result: KeyResult, author: User | None = None) -> None:
    policy.enforce(author, Action.KEY_RESULT_ARCHIVE, key_result)
    with transaction.atomic():
        KeyResult.objects.filter(pk=key_result.pk).update(archived=True)
        stored.refresh(key_results=[key_result])
    key_result.refresh_from_db()


@transaction.atomic
def key_result_move(*, key_result: KeyResult, offset: int, author: User | None = None) -> None:
    policy.enforce(author, Action.KEY_RESULT_REORDER, key_result)
    siblings = list(
        KeyResult.objects.select_for_update()
        .filter(objective_id=key_result.objective_id, archived=False)
        .order_by("order", "id")
    )
    _move_in(siblings, key_result.pk, offset)


# --- Check-ins ---------------------------------------------------------------------


@transaction.atomic
def check_in_record(
    *,
    key_result: KeyResult,
    author: User | None,
    confidence: str,
    value: Decimal | None = None,
    done: bool | None = None,
    steps_done: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> CheckIn:
    """Append a check-in; the key result's current value follows the latest one."""
    locked = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective")
        .get(pk=key_result.pk)
    )
    policy.enforce(author, Action.CHECK_IN, locked)
    if confidence not in CheckIn.Confidence.values:
        raise ValidationError({"confidence": _("Choose a confidence.")})
    if locked.kind == KeyResult.Kind.METRIC:
        if value is None:
            raise ValidationError({"value": _("Enter the current value.")})
        done, steps_done = None, None
    else:
        value = None
        if (
            steps_done is not None
            and locked.steps_total is not None
            and steps_done > locked.steps_total
        ):
            raise ValidationError(
                {"steps_done": _("At most %(total)s steps.") % {"total": locked.steps_total}}
            )
        if done is None and steps_done is None:
            done = locked.done
        if done is None:
            done = False
    at = at or timezone.now()
    check_in = CheckIn.objects.create(
        organisation_id=locked.organisation_id,
        key_result=locked,
        value=value,
        done=done,
        steps_done=steps_done,
        confidence=confidence,
        note=note.strip(),
        author=author,
        created_at=at,
    )
    latest = locked.last_check_in_at is None or at >= locked.last_check_in_at
    if latest:
        update = {"confidence": confidence, "last_check_in_at": at}
        if locked.kind == KeyResult.Kind.METRIC:
            update["current_value"] = value
        else:
            update["done"] = bool(done)
            if steps_done is not None:
                update["steps_done"] = steps_done
        KeyResult.objects.filter(pk=locked.pk).update(**update)
        for name, val in update.items():
            setattr(key_result, name, val)
    signals.check_in_recorded.send(sender=CheckIn, check_in=check_in, key_result=locked)
    # After the receivers: a parent that sums its direct contributions has its new value.
    stored.refresh(key_results=[locked])
    # Turned at risk or off track (its latest confidence, as the review's at-risk list): chat.
    after = confidence if latest else locked.confidence
    chat_events.check_in_recorded(locked, check_in, before=locked.confidence, after=after)
    if webhooks.subscribed(locked.organisation_id, webhooks.EventType.CHECK_IN_RECORDED):
        data = webhook_data.check_in_data(check_in, locked)
        webhooks.emit(locked.organisation_id, webhooks.EventType.CHECK_IN_RECORDED, data)
    return check_in


# --- Initiatives ----------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *, key_result: KeyResult, title: str, owner: User | None = None, author: User | None = None
) -> Initiative:
    policy.enforce(author, Action.INITIATIVE_CREATE, key_result)
    _check_member(key_result.organisation, owner, "owner")
    return Initiative.objects.create(
        organisation_id=key_result.organisation_id,
        key_result=key_result,
        title=title.strip(),
        owner=owner,
        order=_next_order(key_result.initiatives.all(), parent=key_result),
    )


def initiative_set_status(
    *, initiative: Initiative, status: str, author: User | None = None
) -> Initiative:
    policy.enforce(author, Action.INITIATIVE_EDIT, initiative)
    if status not in Initiative.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    initiative.status = status
    initiative.save(update_fields=["status"])
    return initiative
