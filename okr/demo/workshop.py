"""The workshop history of DPAB's first quarter, for the demo (../shared/examples/dpab.md).

Every team objective of Q1 went through the workshop: drafted, proposed by
the team lead, approved by Vilma. Marknad's campaign objective took one round
of "changes requested" first; Produktion's "Överträffa våra kunders
förväntningar" still waits in the approval queue. Marknad parked two ideas:
"Skriva fem blogginlägg" (turned into an initiative behind the key result on
reaching decision makers) and "Ha en monter på Postmässan" (still open).

Idempotent: an objective that already has a status history is left alone, and
parking-lot items are found by their text.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Team, TeamMembership, User
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective, ObjectiveEvent, ParkingLotItem
from okr.objectives import services
from okr.workshop import services as services_workshop

Status = Objective.Status

STILL_PROPOSED = "Överträffa våra kunders förväntningar"
SENT_BACK = "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter"
SENT_BACK_COMMENT = (
    "Bra mål, men hur vet vi att det ger nya kontakter? Lägg till ett nyckelresultat "
    "för antalet leads, så att vi ser att kampanjen leder till försäljning."
)
PARKED = [
    # (text, author, converted into an initiative behind this key result, or None = open)
    ("Skriva fem blogginlägg", "per", "Nå 1000 beslutsfattare med vårt budskap"),
    ("Ha en monter på Postmässan", "oskar", None),
]


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


def _event(objective, from_status, to_status, author, at, comment="") -> None:
    event = ObjectiveEvent.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        author=author,
    )
    ObjectiveEvent.objects.filter(pk=event.pk).update(created_at=at)


def _history(objective: Objective, lead: User | None, vilma: User | None, quarter: Cycle) -> None:
    """Draft at the workshop, proposed by the lead, decided at the leadership meeting after."""
    workshop_day = quarter.start_date - timedelta(days=24)
    _event(objective, "", Status.DRAFT, lead, _at(workshop_day, 10))
    _event(
        objective, Status.DRAFT, Status.PROPOSED, lead, _at(workshop_day + timedelta(days=2), 16)
    )
    if objective.title == STILL_PROPOSED:
        services.objective_set_status(objective=objective, status=Status.PROPOSED)
        return
    meeting = workshop_day + timedelta(days=7)
    if objective.title == SENT_BACK:
        _event(
            objective,
            Status.PROPOSED,
            Status.CHANGES_REQUESTED,
            vilma,
            _at(meeting, 9),
            SENT_BACK_COMMENT,
        )
        _event(objective, Status.CHANGES_REQUESTED, Status.PROPOSED, lead, _at(meeting, 15))
        meeting += timedelta(days=3)
    _event(objective, Status.PROPOSED, Status.APPROVED, vilma, _at(meeting, 11))


@transaction.atomic
def load_workshop_history(organisation: Organisation) -> dict:
    year = calendar.current_fiscal_year(organisation)
    year_cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
    q1 = year_cycle.quarters.get(quarter=1)
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(memberships__organisation=organisation)
    }
    vilma = people.get("vilma")
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    leads = {
        tm.team_id: tm.user
        for tm in TeamMembership.objects.filter(
            team__organisation=organisation, is_lead=True
        ).select_related("user")
    }
    objectives = (
        Objective.objects.filter(organisation=organisation, cycle=q1, level=Objective.Level.TEAM)
        .exclude(events__isnull=False)
        .order_by("team__order", "order", "id")
    )
    for objective in objectives:
        _history(objective, leads.get(objective.team_id), vilma, q1)

    marknad = teams.get("Marknad")
    if marknad is not None:
        for text, author, kr_title in PARKED:
            if ParkingLotItem.objects.filter(team=marknad, cycle=q1, text=text).exists():
                continue
            item = ParkingLotItem.objects.create(
                organisation=organisation,
                team=marknad,
                cycle=q1,
                text=text,
                author=people.get(author),
            )
            kr = (
                KeyResult.objects.filter(
                    organisation=organisation,
                    objective__team=marknad,
                    objective__cycle=q1,
                    title=kr_title,
                ).first()
                if kr_title
                else None
            )
            if kr is not None:
                services_workshop.parking_lot_to_initiative(
                    item=item, key_result=kr, owner=people.get(author)
                )
    return {
        "events": ObjectiveEvent.objects.filter(organisation=organisation).count(),
        "parking_lot": ParkingLotItem.objects.filter(organisation=organisation).count(),
    }
