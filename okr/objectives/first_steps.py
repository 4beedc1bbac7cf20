"""A new organisation's first steps: what the home page's checklist shows as done.

The steps follow the method: the vision and mission first, then the year's
strategic OKRs, the teams, the people, and the first team workshop (a team has
proposed its quarter's OKRs to leadership). ``first_steps`` answers in one query;
the checklist goes away once every step is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery

from accounts.models import Invitation, Membership, Organisation, Team
from okr.models import Objective

#: A team objective in one of these has left the workshop for leadership's queue.
PAST_THE_WORKSHOP = (
    Objective.Status.PROPOSED,
    Objective.Status.CHANGES_REQUESTED,
    Objective.Status.APPROVED,
)


@dataclass(frozen=True)
class FirstSteps:
    vision: bool  # both the vision and the mission are written
    strategic: bool  # a strategic objective that is not archived
    teams: bool  # a team
    people: bool  # someone besides the first member, or an invitation on its way
    workshop: bool  # a team has proposed its OKRs (or they went further)

    @property
    def done(self) -> int:
        return sum((self.vision, self.strategic, self.teams, self.people, self.workshop))

    @property
    def total(self) -> int:
        return 5

    @property
    def all_done(self) -> bool:
        return self.done == self.total


def first_steps(organisation: Organisation) -> FirstSteps:
    """Which first steps ``organisation`` has done (one query)."""
    org = OuterRef("pk")
    members = (
        Membership.objects.filter(organisation=org)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(
            has_strategic=Exists(
                Objective.objects.filter(organisation=org, level=Objective.Level.STRATEGIC).exclude(
                    status=Objective.Status.ARCHIVED
                )
            ),
            has_team=Exists(Team.objects.filter(organisation=org)),
            members=Subquery(members, output_field=IntegerField()),
            has_invitation=Exists(Invitation.objects.filter(organisation=org, revoked_at=None)),
            has_workshop=Exists(
                Objective.objects.filter(
                    organisation=org, level=Objective.Level.TEAM, status__in=PAST_THE_WORKSHOP
                )
            ),
        )
        .values(
            "vision",
            "mission",
            "has_strategic",
            "has_team",
            "members",
            "has_invitation",
            "has_workshop",
        )
        .get()
    )
    return FirstSteps(
        vision=bool(row["vision"].strip() and row["mission"].strip()),
        strategic=row["has_strategic"],
        teams=row["has_team"],
        people=(row["members"] or 0) > 1 or row["has_invitation"],
        workshop=row["has_workshop"],
    )
