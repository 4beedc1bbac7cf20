"""The demo's decisions that carry out, and one objective with unequal key result weights.

* After a poor first quarter Produktion "öppnade en diskussion om mer resurser", which
  led to a hire: the review decision that says so (``texts.REVIEWS``, verbatim) gets an
  owner (Produktion's lead), a due date four weeks after the review and Produktion's
  key result, and is marked done on that day once it has passed (the hire happened).
* The latest review's first decision is an open action of its team's lead, due a week
  after the next review: on the lead's home page and on the next review until done.
* The current quarter's first Produktion objective weighs its first key result double
  ("weight 2"), so the objective's progress and score show a weighted mean.

Written after ``history.lay_out`` (the reviews); the stored numbers are refreshed by
``load_demo`` at the end. Idempotent: what is set already is left as it is.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from accounts.demo import TEAMS
from accounts.models import Organisation, Team
from okr.demo.okrs import people_of
from okr.demo.story import Plan, at
from okr.models import Cycle, KeyResult, Objective, Review, ReviewEntry
from okr.objectives import stored

HIRE = "anställer"  # the decision of the story's hire (okr.demo.texts, a review of Q1)
PRODUCTION = "Produktion"
HEAVY = Decimal(2)


def _lead(people, team: Team | None):
    name = team.name if team is not None else PRODUCTION
    email = TEAMS.get(name, TEAMS[PRODUCTION])[0]
    return people.get(email.split("@")[0])


def _team_key_result(team: Team | None, day) -> KeyResult | None:
    """The first live key result of the team's approved objectives in the quarter of ``day``."""
    if team is None:
        return None
    return (
        KeyResult.objects.filter(
            objective__team=team,
            objective__status=Objective.Status.APPROVED,
            objective__cycle__kind=Cycle.Kind.QUARTER,
            objective__cycle__start_date__lte=day,
            objective__cycle__end_date__gte=day,
            archived=False,
        )
        .order_by("objective__order", "objective_id", "order", "id")
        .first()
    )


def _carry_out(entry: ReviewEntry, owner, due, plan: Plan, *, done: bool) -> bool:
    if entry.owner_id is not None or owner is None:
        return False
    entry.owner, entry.due_date = owner, due
    entry.key_result = _team_key_result(entry.team, entry.review.date)
    if done and due < plan.today:
        entry.done_at, entry.done_by = at(due, time(16, 0), plan.tz), owner
    entry.save(update_fields=["owner", "due_date", "key_result", "done_at", "done_by"])
    return True


def lay_out(organisation: Organisation, plan: Plan) -> int:
    """Owners for the story's decisions and one weighted objective; how many rows changed."""
    people = people_of(organisation)
    decided = ReviewEntry.objects.filter(
        organisation=organisation, kind=ReviewEntry.Kind.DECISION
    ).select_related("review", "team")
    changed = 0
    hire = decided.filter(text__contains=HIRE).order_by("review__date").first()
    if hire is not None:
        due = hire.review.date + timedelta(weeks=4)
        owner = _lead(people, hire.team)
        changed += _carry_out(hire, owner, due, plan, done=True)
    latest = Review.objects.filter(organisation=organisation, state=Review.State.CLOSED).last()
    if latest is not None:
        entry = decided.filter(review=latest).exclude(pk=getattr(hire, "pk", None)).first()
        if entry is not None:
            due = latest.date + timedelta(weeks=3)
            changed += _carry_out(entry, _lead(people, entry.team), due, plan, done=False)
    changed += _weigh(organisation, plan)
    return changed


def _weigh(organisation: Organisation, plan: Plan) -> int:
    objective = (
        Objective.objects.filter(
            organisation=organisation,
            team__name=PRODUCTION,
            status=Objective.Status.APPROVED,
            cycle__kind=Cycle.Kind.QUARTER,
            cycle__start_date__lte=plan.today,
            cycle__end_date__gte=plan.today,
        )
        .order_by("order", "id")
        .first()
    )
    if objective is None:
        return 0
    krs = list(objective.key_results.filter(archived=False).order_by("order", "id"))
    if len(krs) < 2 or any(kr.weight != 1 for kr in krs):
        return 0  # weighted already (or nothing to weigh against)
    changed = KeyResult.objects.filter(pk=krs[0].pk).update(weight=HEAVY)
    # A bulk write: the engine's stored numbers (and the revision the caches key on) follow here.
    stored.refresh(key_results=[krs[0].pk])
    return changed
