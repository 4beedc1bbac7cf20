"""Look up alignment objects inside the request's organisation; 404 for missing and not-yours alike."""

from accounts import policy as okr_rules
from accounts.access import get_for_org
from alignment import rules, selectors
from alignment.models import Dependency


def get_dependency_for_user(request, code) -> Dependency:
    return get_for_org(request, selectors.dependencies(request.organisation), code)


def annotate_permissions(items: list[Dependency], membership) -> list[Dependency]:
    """Set ``can_manage`` on each dependency (at most 1 query, cached on the membership)."""
    if not items:
        return items
    lead_ids = () if membership.is_leadership else okr_rules.lead_team_ids(membership)
    for item in items:
        item.can_manage = rules.can_manage_dependency(
            is_leadership=membership.is_leadership,
            lead_team_ids=lead_ids,
            needing_team_id=item.needing_team_id,
            delivering_team_id=item.delivering_team_id,
        )
    return items
