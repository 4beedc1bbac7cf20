"""Look up alignment objects inside the request's organisation; 404 for missing and not-yours alike."""

from accounts import policy
from accounts.access import get_for_org
from accounts.policy import Action
from alignment import selectors
from alignment.models import Dependency


def get_dependency_for_user(request, code) -> Dependency:
    return get_for_org(request, selectors.dependencies(request.organisation), code)


def annotate_permissions(items: list[Dependency], membership) -> list[Dependency]:
    """Set the policy's ``can_manage`` on each dependency (at most 1 query, cached on the membership)."""
    for item in items:
        item.can_manage = policy.can(membership, Action.DEPENDENCY_MANAGE, item)
    return items
