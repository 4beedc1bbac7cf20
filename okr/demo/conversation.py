"""The demo's conversation: a few comments with mentions in DPAB's current quarter.

Vilma asks Produktion about capacity (the story's "diskussion om mer resurser"),
Mats praises Marknad's work with a mention, and Fredrika comments on Johan's
latest check-in. Written through the conversation services, so the mentions
resolve and notify as they would in use (the bell shows them). Idempotent: a
comment already there is not written again.
"""

from __future__ import annotations

from accounts.models import Organisation, User
from okr.conversation import services
from okr.demo.story import Plan
from okr.models import CheckIn, Comment, Cycle, KeyResult, Objective

#: (team, author, text, reply author, reply text) on the team's first objective this quarter.
ON_OBJECTIVES = [
    (
        "Produktion",
        "vilma@dpab.example",
        "@Pernilla hur ser kapaciteten ut inför kvartalets sista veckor? "
        "Ta gärna med det till nästa genomgång.",
        "pernilla@dpab.example",
        "Vi går på marginalen just nu. Jag tar med ett förslag om mer resurser "
        "till genomgången, @Vilma.",
    ),
]
#: (team, author, text) on the team's first key result this quarter.
ON_KEY_RESULTS = [
    (
        "Marknad",
        "mats@dpab.example",
        "Snyggt jobbat, @Linnea! @Per kan du dela siffrorna från kampanjen "
        "så vi har dem på tavlan i köket?",
    ),
]
#: (team, author, text) on the latest check-in of the team's first key result.
ON_CHECK_INS = [
    ("Försäljning", "fredrika@dpab.example", "@Johan bra jobbat med de norska kunderna!"),
]


def _people(organisation: Organisation) -> dict[str, User]:
    users = User.objects.filter(memberships__organisation=organisation)
    return {user.email: user for user in users}


def _first_objective(organisation, quarter, team_name) -> Objective | None:
    return (
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            team__name=team_name,
        )
        .order_by("order", "id")
        .first()
    )


def _first_key_result(objective: Objective | None) -> KeyResult | None:
    if objective is None:
        return None
    return objective.key_results.filter(archived=False).order_by("order", "id").first()


def _say(target, author, text, parent=None) -> Comment | None:
    if target is None or author is None:
        return None
    existing = Comment.objects.filter(**{_field(target): target}, text=text, deleted=False).first()
    if existing is not None:
        return existing
    return services.comment_create(target=target, author=author, text=text, parent=parent)


def _field(target) -> str:
    if isinstance(target, Objective):
        return "objective"
    if isinstance(target, KeyResult):
        return "key_result"
    return "check_in"


def lay_out(organisation: Organisation, plan: Plan) -> None:
    year, quarter_number = plan.current
    quarter = Cycle.objects.filter(
        organisation=organisation, kind=Cycle.Kind.QUARTER, year=year, quarter=quarter_number
    ).first()
    if quarter is None:
        return
    people = _people(organisation)
    for team, author, text, replier, reply in ON_OBJECTIVES:
        objective = _first_objective(organisation, quarter, team)
        first = _say(objective, people.get(author), text)
        if first is not None:
            _say(objective, people.get(replier), reply, parent=first)
    for team, author, text in ON_KEY_RESULTS:
        kr = _first_key_result(_first_objective(organisation, quarter, team))
        _say(kr, people.get(author), text)
    for team, author, text in ON_CHECK_INS:
        kr = _first_key_result(_first_objective(organisation, quarter, team))
        check_in = (
            CheckIn.objects.filter(key_result=kr).order_by("-created_at", "-id").first()
            if kr
            else None
        )
        _say(check_in, people.get(author), text)
