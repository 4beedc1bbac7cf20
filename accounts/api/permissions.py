"""Who may call what: the same rules as the pages (accounts.access, accounts.policy).

Order matters and mirrors ``org_view``: no credentials -> 401; not a member of
the organisation in the URL (or a token made for another organisation) -> 404;
a member without the role -> 403.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

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


class AdminRole(BasePermission):
    message = _("Only the organisation's admins may do this.")

    def has_permission(self, request, view):
        return request.membership.is_admin


class AdminForWrites(BasePermission):
    """Everyone in the organisation reads; admins write."""

    message = AdminRole.message

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.membership.is_admin


class LeadershipForWrites(BasePermission):
    message = _("Only leadership may do this.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.membership.is_leadership
