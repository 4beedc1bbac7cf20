"""The features' events as chat messages: what each service passes to ``okr.chat.announce``.

Each asks ``hooks_for`` first (one indexed query) and does nothing more when no hook
takes the event; only then does it read what the message needs. All run inside the
calling service's transaction.
"""

from __future__ import annotations

from collections import Counter

from accounts.models import TeamMembership
from okr.chat import Event, announce, hooks_for
from okr.lib.review import CONFIDENCE_RANK, is_at_risk
from okr.models import ObjectiveEvent


def reminders_sent(organisation, review, user_ids: list[int]) -> None:
    """Check-in reminders went out before ``review``: the organisation's hooks hear how many,
    each team's hooks how many of its members (once per review: a later sweep adds nothing)."""
    hooks = hooks_for(organisation.pk, Event.CHECK_IN_REMINDER)
    if not hooks or not user_ids:
        return
    key = f"{Event.CHECK_IN_REMINDER}:{review.pk}"
    announce(
        organisation,
        Event.CHECK_IN_REMINDER,
        review,
        key=key,
        hooks=hooks,
        facts={"count": len(user_ids)},
    )
    team_ids = {team for _pk, team, _kind in hooks if team is not None}
    if not team_ids:
        return
    rows = TeamMembership.objects.filter(team_id__in=team_ids, user_id__in=user_ids)
    counts = Counter(rows.values_list("team_id", flat=True))
    names = dict(rows.values_list("team_id", "team__name").distinct())
    for team_id, count in counts.items():
        facts = {"count": count, "team": names[team_id]}
        announce(
            organisation,
            Event.CHECK_IN_REMINDER,
            review,
            team_id,
            key=key,
            hooks=hooks,
            facts=facts,
            only_team=True,
        )


def _last_event_id(objective) -> int:
    last = ObjectiveEvent.objects.filter(objective_id=objective.pk).order_by("-pk").first()
    return last.pk if last is not None else 0


def approval_requested(objectives: list) -> None:
    """A team proposed objectives (or an approved one needs approval again)."""
    if not objectives:
        return
    first = objectives[0]
    hooks = hooks_for(first.organisation_id, Event.APPROVAL_REQUESTED)
    if not hooks:
        return
    key = f"{Event.APPROVAL_REQUESTED}:{first.pk}:{_last_event_id(first)}"
    facts = {
        "titles": [o.title for o in objectives],
        "team": first.team.name if first.team_id else "",
    }
    announce(
        first.organisation,
        Event.APPROVAL_REQUESTED,
        first,
        first.team_id,
        key=key,
        facts=facts,
        hooks=hooks,
    )


def approval_decided(objective, approved: bool, comment: str = "") -> None:
    """Leadership approved ``objective`` or asked for changes."""
    hooks = hooks_for(objective.organisation_id, Event.APPROVAL_DECIDED)
    if not hooks:
        return
    key = f"{Event.APPROVAL_DECIDED}:{objective.pk}:{_last_event_id(objective)}"
    facts = {
        "approved": approved,
        "comment": comment,
        "team": objective.team.name if objective.team_id else "",
    }
    announce(
        objective.organisation,
        Event.APPROVAL_DECIDED,
        objective,
        objective.team_id,
        key=key,
        facts=facts,
        hooks=hooks,
    )


def turned_risky(before: str, after: str) -> bool:
    """Whether a confidence change is news: into at risk or off track, or at risk to off track."""
    if not is_at_risk(after):  # the review's at-risk rule (okr.lib.review)
        return False
    return not is_at_risk(before) or CONFIDENCE_RANK[after] > CONFIDENCE_RANK[before]


def check_in_recorded(key_result, check_in, *, before: str, after: str) -> None:
    """A check-in turned the key result at risk or off track (its latest confidence, as the
    review's at-risk list reads it): no query at all otherwise."""
    if not turned_risky(before or "", after or ""):
        return
    hooks = hooks_for(key_result.organisation_id, Event.KEY_RESULT_AT_RISK)
    if not hooks:
        return
    objective = key_result.objective
    announce(
        objective.organisation,
        Event.KEY_RESULT_AT_RISK,
        key_result,
        objective.team_id,
        key=f"{Event.KEY_RESULT_AT_RISK}:{key_result.pk}:{check_in.pk}",
        facts={"verdict": after, "objective": objective.title},
        hooks=hooks,
    )
