"""Writes for next year: start it, carry last year's strategic objectives on, draft, publish.

Next year's strategic OKRs are **drafts** (``Objective.Status.DRAFT``) until leadership
publishes them: the strategic page shows them marked as drafts, the year's scores
leave them out (the close scores approved objectives only), and publishing makes
them approved, each with a status event (``ObjectiveEvent``). Every function asks
``accounts.policy`` first (leadership: ``YEAR_START_NEXT``, ``YEAR_CARRY_ON``,
``YEAR_PUBLISH``) and reuses the OKR core's services (``objective_create``,
``key_result_create``, ``cycle_year_get_or_create``: the one calendar) for the rest.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import Membership, Organisation, User
from accounts.policy import Action
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, ObjectiveEvent
from okr.objectives import services


def _check_next_year(organisation: Organisation, year: int) -> None:
    """Only a year that has not ended is planned (this fiscal year or a later one)."""
    if not calendar.MIN_YEAR <= year <= calendar.MAX_YEAR:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    if year < calendar.current_fiscal_year(organisation):
        raise ValidationError({"year": _("That year is over: plan this year or a later one.")})


@transaction.atomic
def year_start(
    *,
    organisation: Organisation,
    year: int,
    carry: list[Objective] = (),
    author: User | None = None,
) -> Cycle:
    """Open fiscal year ``year`` (its cycle and quarters, by the organisation's fiscal year)
    and carry the chosen strategic objectives of the year before on into it, as drafts."""
    policy.enforce(author, Action.YEAR_START_NEXT, organisation=organisation)
    _check_next_year(organisation, year)
    cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
    for objective in carry:
        objective_carry_on(objective=objective, author=author)
    return cycle


def _baseline(kr: KeyResult):
    """Where last year's metric ended: next year's start (its new target is left to set)."""
    if kr.kind != KeyResult.Kind.METRIC:
        return None
    return kr.current_value if kr.current_value is not None else kr.start_value


@transaction.atomic
def objective_carry_on(*, objective: Objective, author: User | None = None) -> Objective:
    """Carry a strategic objective on into the next fiscal year, as a draft.

    The title, why and owner are copied verbatim; its live key results come along
    with their title, kind, unit, direction, commitment, weight and owner, each
    starting where it ended last year and with its target to be set again (pending).
    The draft points at the original (``carried_from``).
    """
    policy.enforce(author, Action.YEAR_CARRY_ON, organisation=objective.organisation_id)
    locked = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle", "organisation")
        .get(pk=objective.pk)
    )
    if locked.level != Objective.Level.STRATEGIC or locked.cycle.kind != Cycle.Kind.YEAR:
        raise ValidationError(
            {"objective": _("Only a strategic objective is carried on into next year.")}
        )
    if locked.status != Objective.Status.APPROVED:
        raise ValidationError({"objective": _("Only a published strategic objective carries on.")})
    organisation = locked.organisation
    year = locked.cycle.year + 1
    _check_next_year(organisation, year)
    if (
        Objective.objects.filter(carried_from=locked)
        .exclude(status=Objective.Status.ARCHIVED)
        .exists()
    ):
        raise ValidationError({"objective": _("This objective is already carried on.")})
    members = set(
        Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    draft = services.objective_create(
        organisation=organisation,
        cycle=services.cycle_year_get_or_create(organisation=organisation, year=year),
        level=Objective.Level.STRATEGIC,
        title=locked.title,
        why=locked.why,
        owner=locked.owner if locked.owner_id in members else None,
        status=Objective.Status.DRAFT,
        author=author,
    )
    # objective_create strips the text; a carried-on objective keeps it exactly as it was.
    draft.title, draft.why, draft.carried_from = locked.title, locked.why, locked
    draft.save(update_fields=["title", "why", "carried_from"])
    for kr in locked.key_results.filter(archived=False).order_by("order", "id"):
        copy = services.key_result_create(
            objective=draft,
            title=kr.title,
            owner=kr.owner if kr.owner_id in members else None,
            author=author,
            kind=kr.kind,
            unit=kr.unit,
            direction=kr.direction,
            start_value=_baseline(kr),
            target_value=None,
            steps_total=kr.steps_total,
            commitment=kr.commitment,
            weight=kr.weight,
            rollup=kr.rollup,
        )
        if copy.title != kr.title:  # verbatim, as the objective's
            copy.title = kr.title
            copy.save(update_fields=["title"])
    return draft


@transaction.atomic
def draft_create(
    *,
    organisation: Organisation,
    year: int,
    title: str,
    why: str = "",
    owner: User | None = None,
    author: User | None = None,
) -> Objective:
    """A new strategic objective for next year, as a draft (the coach helps on the page)."""
    policy.enforce(author, Action.YEAR_START_NEXT, organisation=organisation)
    _check_next_year(organisation, year)
    return services.objective_create(
        organisation=organisation,
        cycle=services.cycle_year_get_or_create(organisation=organisation, year=year),
        level=Objective.Level.STRATEGIC,
        title=title,
        why=why,
        owner=owner,
        status=Objective.Status.DRAFT,
        author=author,
    )


@transaction.atomic
def year_publish(*, organisation: Organisation, year: int, author: User | None = None) -> int:
    """Publish the year's draft strategic objectives: approved, each with its status event.

    Returns how many were published; none to publish is a ``ValidationError``.
    """
    policy.enforce(author, Action.YEAR_PUBLISH, organisation=organisation)
    if not calendar.MIN_YEAR <= year <= calendar.MAX_YEAR:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    drafts = list(
        Objective.objects.select_for_update()
        .filter(
            organisation=organisation,
            cycle__kind=Cycle.Kind.YEAR,
            cycle__year=year,
            level=Objective.Level.STRATEGIC,
            status=Objective.Status.DRAFT,
        )
        .order_by("order", "id")
    )
    if not drafts:
        raise ValidationError({"year": _("There are no drafts to publish for that year.")})
    for draft in drafts:
        services.objective_set_status(objective=draft, status=Objective.Status.APPROVED)
    ObjectiveEvent.objects.bulk_create(
        ObjectiveEvent(
            organisation=organisation,
            objective=draft,
            kind=ObjectiveEvent.Kind.STATUS,
            from_status=Objective.Status.DRAFT,
            to_status=Objective.Status.APPROVED,
            author=author,
        )
        for draft in drafts
    )
    return len(drafts)
