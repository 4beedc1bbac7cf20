"""The words the search tests look for: the same texts in Acme and in the other organisation.

``search_world(cast)`` gives each kind one thing in Acme that contains "pilotkunder"
(and "Norge"), and the same texts in ``cast.other_org``: a result from there is a leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership
from okr.models import Comment
from tests.support.factories import (
    CheckInFactory,
    InitiativeFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

OBJECTIVE = "Etablera oss på den norska marknaden"
WHY = "Vi behöver tre pilotkunder i Norge innan katalogen är klar."
KEY_RESULT = "Tre pilotkunder i Norge"
INITIATIVE = "Ringa pilotkunder i Oslo"
COMMENT = "Har vi hittat pilotkunderna i Norge ännu?"
TEAM = "Norgeteamet"
PERSON = "Nora Pilotsson"


@dataclass
class SearchWorld:
    objective: object
    key_result: object
    initiative: object
    comment: object
    check_in_comment: object
    team: object
    person: object


def things(org, author, *, email: str) -> SearchWorld:
    year, _ = year_and_quarter(org)
    objective = strategic_objective(org, year, title=OBJECTIVE)
    objective.why = WHY
    objective.save(update_fields=["why"])
    key_result = metric_kr(objective, title=KEY_RESULT, target=3, unit="")
    initiative = InitiativeFactory(key_result=key_result, title=INITIATIVE)
    comment = Comment.objects.create(
        organisation=org, author=author, text=COMMENT, objective=objective
    )
    check_in = CheckInFactory(key_result=key_result, value=1)
    check_in_comment = Comment.objects.create(
        organisation=org, author=author, text="Första pilotkunden är klar", check_in=check_in
    )
    team = TeamFactory(organisation=org, name=TEAM)
    person = UserFactory(email=email, name=PERSON)
    MembershipFactory(organisation=org, user=person, role=Membership.Role.MEMBER, title="Säljare")
    return SearchWorld(objective, key_result, initiative, comment, check_in_comment, team, person)


def search_world(cast) -> SearchWorld:
    """Acme's things (Acme writes Swedish), after the other organisation got the same texts."""
    cast.org.language = "sv"
    cast.org.save(update_fields=["language"])
    things(cast.other_org, cast.outsider, email="nora@other.example")
    return things(cast.org, cast.member, email="nora@acme.example")
