"""Builders shared by the review, reminder and quarter close tests (and a check of them).

``build(cast)`` gives the cast's organisation (Acme, English, Europe/Stockholm,
reviews every second Monday, country SE) two teams with approved OKRs in the
first quarter of 2026 and one strategic objective, owned by the cast's
people, with check-ins at fixed moments. Review Mondays in that quarter:
5 and 19 January, 2 and 16 February, 2, 16 and 30 March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

YEAR = 2026


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class World:
    org: object
    year: object
    q1: object
    marknad: object
    sales: object
    objectives: dict
    krs: dict
    people: dict


def build(cast, *, extra_owners: int = 0, check_ins: bool = True) -> World:
    org = cast.org
    year = CycleFactory(organisation=org, year=YEAR)
    q1 = year.quarters.get(quarter=1)
    marknad = TeamFactory(organisation=org, name="Marknad", order=1)
    sales = TeamFactory(organisation=org, name="Försäljning", order=2)
    per = UserFactory(email="per@acme.example", name="Per Persson", language="sv")
    kari = UserFactory(email="kari@acme.example", name="Kari Nordmann", language="nb")
    for user in (per, kari):
        MembershipFactory(organisation=org, user=user)
    TeamMembershipFactory(team=marknad, user=cast.leader, is_lead=True)
    TeamMembershipFactory(team=marknad, user=per)
    TeamMembershipFactory(team=sales, user=cast.admin, is_lead=True)
    TeamMembershipFactory(team=sales, user=kari)
    strategic = ObjectiveFactory(
        organisation=org,
        cycle=year,
        level="strategic",
        title="Kommande år vårt starkaste tillväxtår",
    )
    growth = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        owner=cast.admin,
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(20),
        unit="MSEK",
        commitment="committed",
    )
    norway = ObjectiveFactory(
        organisation=org,
        cycle=q1,
        level="team",
        team=marknad,
        title="Leverera marknadsmaterial för Norge",
        status="approved",
        parent_objective=strategic,
    )
    website = KeyResultFactory(
        objective=norway, title="Lansera översatt hemsida senast 15/2", owner=per, kind="milestone"
    )
    leads = KeyResultFactory(
        objective=norway,
        title="Generera 100 nya leads",
        owner=per,
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(100),
    )
    selling = ObjectiveFactory(
        organisation=org,
        cycle=q1,
        level="team",
        team=sales,
        title="Aggressiv försäljningstillväxt",
        status="approved",
        parent_key_result=growth,
        alignment="direct",
    )
    invoicing = KeyResultFactory(
        objective=selling,
        title="Fakturering nya kunder 4MSEK",
        owner=kari,
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(4),
        unit="MSEK",
        commitment="committed",
    )
    upsell = KeyResultFactory(
        objective=selling,
        title="Merförsäljning 1,5MSEK",
        owner=cast.member,
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal("1.5"),
        unit="MSEK",
    )
    draft = ObjectiveFactory(
        organisation=org, cycle=q1, level="team", team=sales, title="Ett utkast", status="draft"
    )
    KeyResultFactory(
        objective=draft,
        title="Utkastets resultat",
        owner=cast.member,
        start_value=0,
        target_value=1,
    )
    people = {"per": per, "kari": kari}
    for i in range(extra_owners):
        user = UserFactory(email=f"owner{i}@acme.example", name=f"Owner {i}")
        MembershipFactory(organisation=org, user=user)
        KeyResultFactory(
            objective=selling,
            title=f"{i + 1} nya kunder i Bergen",
            owner=user,
            kind="metric",
            start_value=Decimal(0),
            target_value=Decimal(10),
        )
        people[f"owner{i}"] = user
    krs = {
        "growth": growth,
        "website": website,
        "leads": leads,
        "invoicing": invoicing,
        "upsell": upsell,
    }
    if check_ins:
        record(
            leads,
            per,
            date(2026, 1, 12),
            value=10,
            confidence="on_track",
            note="Kampanjen startade",
        )
        record(
            leads,
            per,
            date(2026, 1, 26),
            value=30,
            confidence="at_risk",
            note="Färre leads än väntat",
        )
        record(invoicing, kari, date(2026, 1, 13), value=1, confidence="on_track")
        record(
            invoicing,
            kari,
            date(2026, 2, 10),
            value=2,
            confidence="off_track",
            note="Stora kunden hoppade av",
        )
        record(
            website,
            per,
            date(2026, 2, 12),
            done=True,
            confidence="on_track",
            note="Hemsidan är uppe",
        )
        record(growth, cast.admin, date(2026, 1, 20), value=2, confidence="on_track")
    return World(
        org=org,
        year=year,
        q1=q1,
        marknad=marknad,
        sales=sales,
        objectives={"strategic": strategic, "norway": norway, "selling": selling, "draft": draft},
        krs=krs,
        people=people,
    )


def record(kr, author, day: date, *, confidence="on_track", value=None, done=None, note="", hour=9):
    return CheckInFactory(
        key_result=kr,
        author=author,
        confidence=confidence,
        value=None if value is None else Decimal(str(value)),
        done=done,
        note=note,
        at=at(day, hour),
    )
