"""Puts the request's organisation, membership and what it may do into every template."""

from accounts import policy
from accounts.policy import Action


class OrganisationRights:
    """``{% if can.settings %}``: the policy's answers about the organisation itself, asked lazily.

    Pages show a link or a control only where the policy would allow what it leads to.
    """

    ACTIONS = {
        "approve": Action.OBJECTIVES_APPROVE_TEAM,
        "close_quarter": Action.QUARTER_CLOSE,
        "delete_organisation": Action.ORGANISATION_DELETE,
        "export": Action.EXPORT,
        "invite": Action.INVITE,
        "settings": Action.SETTINGS_EDIT,
        "strategic": Action.OBJECTIVE_CREATE,
        "teams": Action.TEAMS_MANAGE,
    }

    def __init__(self, membership):
        self.membership = membership

    def __getitem__(self, name: str) -> bool:
        return policy.can(self.membership, self.ACTIONS[name])


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "can": OrganisationRights(membership),
    }
