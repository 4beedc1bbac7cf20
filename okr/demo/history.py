"""DPAB's reviews and closed quarters for the demo, as ``okr.demo.story`` lays them out.

* A review on every meeting day from the first quarter laid out up to now, with
  leadership's decisions and notes (``texts.REVIEWS``), closed (frozen) at 11:00
  on its day through ``okr.reviews.services``. A scheduled Monday that is a public
  holiday is held on the next working day (a moved review).
* Every cycle that has ended is closed with scores through ``okr.closing.services``,
  as the nightly job would once the grace period is over (or now, when the grace
  period is not over yet: the story shows the quarter closed). Each quarter with
  team OKRs gets the teams' retrospectives (``texts.RETROSPECTIVES``), each closed
  year leadership's look back at it (``texts.YEAR_RETROSPECTIVE``).

Idempotent: reviews are found by date, decisions and notes are added only to a
review that has none and is still open, retrospectives only to a cycle that has
none; closing twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from accounts.demo import TEAMS
from accounts.models import Organisation, Team
from okr.closing import selectors as closing_sel
from okr.closing import services as closing
from okr.demo import texts
from okr.demo.okrs import people_of
from okr.demo.story import LEADER, REVIEW_CLOSED_TIME, Plan, at
from okr.lib import calendar, schedule
from okr.models import Cycle, Objective, RetrospectiveNote, Review, ReviewEntry
from okr.reviews import services as reviews


def lay_out(organisation: Organisation, plan: Plan) -> dict:
    people = people_of(organisation)
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    held = _reviews(organisation, plan, people, teams)
    closed = _close_what_has_ended(organisation, plan, people, teams)
    return {"reviews": held, "closed": closed}


def _reviews(organisation, plan: Plan, people, teams) -> int:
    vilma = people.get(LEADER.split("@")[0])
    rows = {r.date: r for r in Review.objects.filter(organisation=organisation)}
    # The n-th review of a quarter says what texts.REVIEWS[quarter][n] says.
    by_quarter: dict[calendar.FiscalQuarter, list] = defaultdict(list)
    for scheduled, day in plan.meeting_days(plan.history_start, plan.today):
        by_quarter[calendar.quarter_of(day, plan.start_month)].append((scheduled, day))
    held = 0
    for fiscal_quarter, days in by_quarter.items():
        said = texts.REVIEWS[fiscal_quarter.quarter]
        for index, (scheduled, day) in enumerate(days):
            closed_at = at(day, REVIEW_CLOSED_TIME, plan.tz)
            if closed_at > plan.now:
                continue
            held += 1
            review = rows.get(day)
            if review is None:
                review = reviews.review_create(
                    organisation=organisation,
                    day=day,
                    user=vilma,
                    moved_from=scheduled if scheduled != day else None,
                )
                rows[day] = review
            if review.is_closed:
                continue
            if not ReviewEntry.objects.filter(review=review).exists():
                for team_name, entries in (said[index] if index < len(said) else {}).items():
                    for kind, text, author in entries:
                        reviews.review_entry_add(
                            review=review,
                            team=teams.get(team_name) if team_name else None,
                            kind=kind,
                            text=text,
                            author=people.get(author),
                        )
            reviews.review_close(review=review, user=vilma, now=closed_at)
    return held


def _close_what_has_ended(organisation, plan: Plan, people, teams) -> int:
    """Close every cycle that ended before today, then write the retrospectives it lacks."""
    grace = timedelta(days=closing_sel.grace_days())
    ended = Cycle.objects.filter(organisation=organisation, end_date__lt=plan.today).order_by(
        "end_date",
        "kind",  # a year's last quarter before the year
    )
    closed = 0
    for cycle in ended:
        if cycle.state != Cycle.State.CLOSED:
            # When the nightly job would have (02:00 after the grace period), or now.
            moment = min(
                schedule.at_local(cycle.end_date + grace + timedelta(days=1), 2, plan.tz),
                plan.now,
            )
            result = closing.cycle_close(
                cycle=cycle, now=moment, today=calendar.today(organisation, moment)
            )
            closed += result.closed
        _retrospectives(organisation, cycle, people, teams)
    return closed


def _retrospectives(organisation, cycle: Cycle, people, teams) -> None:
    if RetrospectiveNote.objects.filter(cycle=cycle).exists():
        return
    if not Objective.objects.filter(cycle=cycle, status=Objective.Status.APPROVED).exists():
        return  # an empty quarter has nothing to look back on
    vilma = people.get(LEADER.split("@")[0])
    if cycle.kind == Cycle.Kind.YEAR:
        closing.retrospective_add(
            cycle=cycle, team=None, text=texts.YEAR_RETROSPECTIVE, author=vilma
        )
        return
    for team_name, text in texts.RETROSPECTIVES[cycle.quarter].items():
        if team_name in teams:
            lead = TEAMS[team_name][0].split("@")[0]  # the lead writes the team's look back
            closing.retrospective_add(
                cycle=cycle, team=teams[team_name], text=text, author=people.get(lead)
            )
