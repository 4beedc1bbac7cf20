"""Who may do what with OKRs. Plain functions over a membership and ids.

Everyone in an organisation reads everything (transparency). Leadership
edits strategic OKRs and may edit any team's; a team lead edits the team's
OKRs; an owner edits and checks in on their own key results.
"""

from __future__ import annotations

from accounts.models import Membership, TeamMembership


def lead_team_ids(membership: Membership) -> frozenset[int]:
    """The teams this member leads (one query, cached on the membership)."""
    cached = getattr(membership, "_lead_team_ids", None)
    if cached is None:
        cached = frozenset(
            TeamMembership.objects.filter(
                user_id=membership.user_id,
                is_lead=True,
                team__organisation_id=membership.organisation_id,
            ).values_list("team_id", flat=True)
        )
        membership._lead_team_ids = cached
    return cached


def can_edit_strategic(membership: Membership) -> bool:
    return membership.is_leadership


def can_edit_objective(membership: Membership, objective) -> bool:
    if membership.is_leadership:
        return True
    if objective.level == "strategic":
        return False
    return objective.owner_id == membership.user_id or objective.team_id in lead_team_ids(
        membership
    )


def can_edit_key_result(membership: Membership, key_result, objective=None) -> bool:
    """Owners, the objective's team lead, and leadership."""
    if membership.is_leadership or key_result.owner_id == membership.user_id:
        return True
    objective = objective or key_result.objective
    return objective.team_id is not None and objective.team_id in lead_team_ids(membership)


can_check_in = can_edit_key_result
