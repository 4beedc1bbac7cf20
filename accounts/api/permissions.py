"""Who may call what: ``accounts.policy``, the rules the pages and the services follow too.

Order matters and mirrors ``org_view``: no credentials -> 401; not a member of
the organisation in the URL (or a token made for another organisation) -> 404;
a member the policy refuses -> 403 (or 409 when the object's state refuses),
before the input is read.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.permissions import BasePermission

from accounts import policy
from accounts.access import get_organisation_for_user
from accounts.models import ApiToken


class OrganisationMember(BasePermission):
    """Resolve the organisation of the URL for the request's user: 404 for everyone else."""

    def has_permission(self, request, view):
        org_slug = view.kwargs.get("org_slug", "")
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None and token.organisation.slug != org_slug:
            raise Http404
        get_organisation_for_user(request, org_slug)
        return True


class ByPolicy(BasePermission):
    """Ask the policy about the operation, as the view names it in ``policy_actions``.

    ``policy_actions`` maps the view's operations (``"create"``, ``"partial_update"``,
    ``"close"``, or ``"*"`` for all) to an ``Action``: about the object in the URL
    when there is one, else about the organisation. Operations it does not name
    (reads; creations about an object in the body) are the view's and its services'
    to ask. A refusal raises ``PolicyError``, which the exception handler answers.
    """

    @staticmethod
    def _action(view) -> policy.Action | None:
        actions = getattr(view, "policy_actions", None) or {}
        return actions.get(getattr(view, "action", None)) or actions.get("*")

    def has_permission(self, request, view):
        action = self._action(view)
        if action is not None and view.lookup_url_kwarg not in view.kwargs:
            policy.require(request.membership, action)
        return True

    def has_object_permission(self, request, view, obj):
        action = self._action(view)
        if action is not None:
            policy.require(request.membership, action, obj)
        return True
