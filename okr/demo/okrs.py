"""Writes DPAB's OKRs for the demo as ``okr.demo.story`` lays them out: objectives, key results,
check-ins, the workshop's status history and the first quarter's parking lot.

* Strategic OKRs (``specs.STRATEGIC``) for every year of the plan, checked in on
  every meeting day of the year up to now.
* Each quarter under way or over gets its team OKRs (``specs.team_sets``), as they
  went through the workshop: drafted 24 days before the quarter, proposed by the
  team lead, one objective sent back once by Vilma with a comment, all approved
  before the quarter began; checked in on every meeting day up to now. An
  objective that carries on from the quarter before points at it (``carried_from``).
* The next quarter's workshop (``specs.NEXT``): Produktion's proposal waits for
  leadership, Marknad and Försäljning are drafting.
* Marknad's parking lot of the year's first quarter: "Skriva fem blogginlägg"
  turned into an initiative, "Ha en monter på Postmässan" still open.

Idempotent: objectives are found by quarter, team and title, key results by
title, check-ins by their moment; what exists is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from accounts.models import Organisation, Team, TeamMembership, User
from okr.demo import specs
from okr.demo.specs import Kr, Obj
from okr.demo.story import LEADER, Plan, Role, at
from okr.lib import calendar
from okr.models import CheckIn, Cycle, KeyResult, Objective, ObjectiveEvent, ParkingLotItem
from okr.objectives import services, signals
from okr.workshop import services as workshop

Status = Objective.Status

NOTES = {
    "on_track": "Går enligt plan.",
    "at_risk": "Något efter, vi ser över prioriteringarna.",
    "off_track": "Långt efter: behöver hjälp på ledningsmötet.",
}

PARKED = [
    # (text, author, converted into an initiative behind this key result, or None = open)
    ("Skriva fem blogginlägg", "per", "Nå 1000 beslutsfattare med vårt budskap"),
    ("Ha en monter på Postmässan", "oskar", None),
]


def people_of(organisation: Organisation) -> dict[str, User]:
    """The demo's people by the name part of their e-mail ("vilma", "par")."""
    users = User.objects.filter(memberships__organisation=organisation)
    return {u.email.split("@")[0]: u for u in users}


def lay_out(organisation: Organisation, plan: Plan) -> None:
    people = people_of(organisation)
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    leads = {
        tm.team_id: tm.user
        for tm in TeamMembership.objects.filter(
            team__organisation=organisation, is_lead=True
        ).select_related("user")
    }
    parents: dict[int, dict[str, Objective | KeyResult]] = {}
    for year in plan.years:
        year_cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
        parents[year] = _strategic(organisation, year_cycle, people, plan)
    for fiscal_quarter, role in plan.quarters:
        year_cycle = services.cycle_year_get_or_create(
            organisation=organisation, year=fiscal_quarter.year
        )
        quarter = year_cycle.quarters.get(quarter=fiscal_quarter.quarter)
        context = _Quarter(organisation, quarter, people, teams, leads, parents[quarter.year])
        if role == Role.NEXT:
            _workshop_under_way(context, plan)
        else:
            _quarter_under_way_or_over(context, plan)
    first = Cycle.objects.get(
        organisation=organisation, kind=Cycle.Kind.QUARTER, year=plan.current.year, quarter=1
    )
    _parking_lot(organisation, first, people, teams.get("Marknad"))


# --- Objectives and key results -----------------------------------------------------------


def _objective(
    organisation, cycle, level, spec: Obj, people, team=None, parents=None
) -> tuple[Objective, bool]:
    objective = Objective.objects.filter(
        organisation=organisation, cycle=cycle, level=level, team=team, title=spec.title
    ).first()
    if objective is not None:
        return objective, False
    parent = (parents or {}).get(spec.parent)
    objective = services.objective_create(
        organisation=organisation,
        cycle=cycle,
        level=level,
        team=team,
        title=spec.title,
        why=spec.why,
        owner=people.get(spec.owner),
        parent_objective=parent if isinstance(parent, Objective) else None,
        parent_key_result=parent if isinstance(parent, KeyResult) else None,
        alignment=spec.alignment,
        status=spec.status,
    )
    return objective, True


def _key_result(objective: Objective, spec: Kr, people) -> KeyResult:
    kr = objective.key_results.filter(title=spec.title).first()
    if kr is not None:
        return kr
    cycle = objective.cycle
    if spec.due:
        due = date(cycle.year, *spec.due)
    elif spec.kind == "milestone":
        due = cycle.end_date
    else:
        due = None
    return services.key_result_create(
        objective=objective,
        title=spec.title,
        owner=people.get(spec.owner),
        kind=spec.kind,
        unit=spec.unit,
        direction=spec.direction,
        start_value=spec.start if spec.kind == "metric" else None,
        target_value=spec.target if spec.kind == "metric" else None,
        due_date=due,
        commitment=spec.commitment,
        rollup=spec.rollup,
    )


def _strategic(organisation, year_cycle: Cycle, people, plan: Plan) -> dict:
    """The year's strategic OKRs (created once), checked in up to now; title -> row."""
    parents: dict[str, Objective | KeyResult] = {}
    for spec in specs.STRATEGIC:
        objective, _created = _objective(
            organisation, year_cycle, Objective.Level.STRATEGIC, spec, people
        )
        parents[spec.title] = objective
        for kr_spec in spec.krs:
            kr = _key_result(objective, kr_spec, people)
            parents[kr_spec.title] = kr
            _check_ins(kr, kr_spec, year_cycle, people, plan)
    return parents


# --- Check-ins ------------------------------------------------------------------------------


def _confidence(share_of_expected: float) -> str:
    if share_of_expected >= 0.85:
        return "on_track"
    if share_of_expected >= 0.6:
        return "at_risk"
    return "off_track"


def _check_ins(kr: KeyResult, spec: Kr, cycle: Cycle, people, plan: Plan) -> None:
    """A check-in on every meeting day of the cycle up to now, approaching ``spec.reached``.

    Only the missing ones are written, so a later run adds the weeks that have passed.
    Written in one insert per key result rather than through ``check_in_record`` (a
    year of demo is some 400 check-ins, loaded by many tests): the key result then
    follows its latest check-in and ``check_in_recorded`` is sent for it, as there.
    """
    if spec.kind == "metric" and spec.target is None:
        return  # pending ("NPS på X"): nothing to measure yet
    if spec.rollup == "sum":
        return  # its value is what the teams' key results add up to
    done_already = set(kr.check_ins.values_list("created_at", flat=True))
    moments = [
        m for m in plan.check_in_days(cycle.start_date, cycle.end_date) if m not in done_already
    ]
    if not moments:
        return
    length = (cycle.end_date - cycle.start_date).days
    author = people.get(spec.owner)
    rows = []
    for moment in moments:
        day = moment.astimezone(plan.tz).date()
        elapsed = (day - cycle.start_date).days / length
        # An S-curve that ends at ``reached``: slow start, then progress.
        share = spec.reached * min(1.0, elapsed) ** 1.3
        confidence = _confidence(share / max(elapsed, 0.05))
        value = done = None
        if spec.kind == "metric":
            value = spec.start + (spec.target - spec.start) * Decimal(str(round(share, 4)))
            value = value.quantize(Decimal("0.01"))
            note = NOTES[confidence]
        else:
            due = kr.due_date or cycle.end_date
            done = bool(spec.reached) and day >= due
            confidence = "on_track" if done or day < due else "off_track"
            note = "Klart!" if done else NOTES[confidence]
        rows.append(
            CheckIn(
                organisation_id=kr.organisation_id,
                key_result=kr,
                value=value,
                done=done,
                confidence=confidence,
                note=note,
                author=author,
                created_at=moment,
            )
        )
    CheckIn.objects.bulk_create(rows)
    latest = rows[-1]
    if kr.last_check_in_at is None or latest.created_at >= kr.last_check_in_at:
        update = {"confidence": latest.confidence, "last_check_in_at": latest.created_at}
        if spec.kind == "metric":
            update["current_value"] = latest.value
        else:
            update["done"] = latest.done
        KeyResult.objects.filter(pk=kr.pk).update(**update)
    signals.check_in_recorded.send(sender=CheckIn, check_in=latest, key_result=kr)


# --- Team quarters --------------------------------------------------------------------------


class _Quarter:
    """What writing one quarter's team OKRs needs."""

    def __init__(self, organisation, quarter: Cycle, people, teams, leads, parents):
        self.organisation = organisation
        self.quarter = quarter
        self.people = people
        self.teams = teams
        self.leads = leads
        self.parents = parents

    def objective(self, team: Team, spec: Obj) -> tuple[Objective, bool]:
        return _objective(
            self.organisation,
            self.quarter,
            Objective.Level.TEAM,
            spec,
            self.people,
            team,
            self.parents,
        )

    def carry_on(self, objective: Objective) -> None:
        """Point a new objective at the same team's objective of the same title just before."""
        earlier = (
            Objective.objects.filter(
                organisation=self.organisation,
                level=Objective.Level.TEAM,
                team=objective.team,
                title=objective.title,
                cycle__kind=Cycle.Kind.QUARTER,
                cycle__end_date__lt=self.quarter.start_date,
            )
            .order_by("-cycle__start_date")
            .first()
        )
        if earlier is not None:
            Objective.objects.filter(pk=objective.pk).update(carried_from=earlier)


def _at(day: date, hour: int, tz) -> datetime:
    return at(day, time(hour), tz)


def _event(objective, from_status, to_status, author, moment, comment="") -> None:
    """A status change in the objective's history, dated when it happened in the story."""
    event = ObjectiveEvent.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        author=author,
    )
    ObjectiveEvent.objects.filter(pk=event.pk).update(created_at=moment)


def _approval_history(objective: Objective, lead, vilma, quarter: Cycle, tz) -> None:
    """Drafted at the workshop, proposed by the lead, decided at the leadership meeting after.

    All before the quarter begins; the objective ``specs.sent_back`` names goes back once.
    """
    workshop_day = quarter.start_date - timedelta(days=24)
    _event(objective, "", Status.DRAFT, lead, _at(workshop_day, 10, tz))
    proposed = _at(workshop_day + timedelta(days=2), 16, tz)
    _event(objective, Status.DRAFT, Status.PROPOSED, lead, proposed)
    meeting = workshop_day + timedelta(days=7)
    title, comment = specs.sent_back(quarter.quarter)
    if objective.title == title:
        _event(
            objective,
            Status.PROPOSED,
            Status.CHANGES_REQUESTED,
            vilma,
            _at(meeting, 9, tz),
            comment,
        )
        _event(objective, Status.CHANGES_REQUESTED, Status.PROPOSED, lead, _at(meeting, 15, tz))
        meeting += timedelta(days=3)
    _event(objective, Status.PROPOSED, Status.APPROVED, vilma, _at(meeting, 11, tz))


def _quarter_under_way_or_over(q: _Quarter, plan: Plan) -> None:
    vilma = q.people.get(LEADER.split("@")[0])
    for team_name, objectives in specs.team_sets(q.quarter.quarter).items():
        team = q.teams[team_name]
        for spec in objectives:
            objective, created = q.objective(team, spec)
            if created:
                q.carry_on(objective)
                _approval_history(objective, q.leads.get(team.pk), vilma, q.quarter, plan.tz)
            for kr_spec in spec.krs:
                kr = _key_result(objective, kr_spec, q.people)
                _check_ins(kr, kr_spec, q.quarter, q.people, plan)


def _workshop_under_way(q: _Quarter, plan: Plan) -> None:
    """The next quarter's drafts, written these last days; Produktion's set is proposed."""
    for team_name, spec in specs.NEXT.items():
        team = q.teams[team_name]
        objective, created = q.objective(team, spec)
        for kr_spec in spec.krs:
            _key_result(objective, kr_spec, q.people)
        if not created:
            continue
        q.carry_on(objective)
        lead = q.leads.get(team.pk)
        _event(objective, "", Status.DRAFT, lead, _at(plan.today - timedelta(days=2), 10, plan.tz))
        if spec.status == Status.PROPOSED:
            proposed = _at(plan.today - timedelta(days=1), 16, plan.tz)
            _event(objective, Status.DRAFT, Status.PROPOSED, lead, proposed)


def _parking_lot(organisation, quarter: Cycle, people, marknad: Team | None) -> None:
    if marknad is None:
        return
    for text, author, kr_title in PARKED:
        if ParkingLotItem.objects.filter(team=marknad, cycle=quarter, text=text).exists():
            continue
        item = ParkingLotItem.objects.create(
            organisation=organisation,
            team=marknad,
            cycle=quarter,
            text=text,
            author=people.get(author),
        )
        kr = (
            KeyResult.objects.filter(
                organisation=organisation,
                objective__team=marknad,
                objective__cycle=quarter,
                title=kr_title,
            ).first()
            if kr_title
            else None
        )
        if kr is not None:
            workshop.parking_lot_to_initiative(item=item, key_result=kr, owner=people.get(author))


def counts(organisation: Organisation) -> dict:
    return {
        "objectives": Objective.objects.filter(organisation=organisation).count(),
        "key_results": KeyResult.objects.filter(organisation=organisation).count(),
        "check_ins": CheckIn.objects.filter(organisation=organisation).count(),
    }


def quarter_label(plan: Plan) -> str:
    year, quarter = plan.current
    return f"Q{quarter} {calendar.fiscal_year_label(year, plan.start_month)}"
