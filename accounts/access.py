"""The one access module: every organisation page and API view starts here.

``get_organisation_for_user`` resolves the organisation from the URL and the
membership of the signed-in user, and raises 404 both when the organisation
does not exist and when the user is not a member: a non-member cannot learn
that an organisation exists. The ``get_<thing>_for_user`` helpers look
objects up *inside* that organisation, with the same 404 for missing and
not-yours alike.
"""

from __future__ import annotations

import functools
import uuid

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from accounts.models import Invitation, Membership, Organisation, Team, User


def _as_uuid(code) -> uuid.UUID:
    try:
        return code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def get_organisation_for_user(request, org_slug: str) -> Organisation:
    """Resolve the organisation and the request user's membership, or 404.

    Sets ``request.organisation`` and ``request.membership``, and switches
    the language to the user's own or else the organisation's.
    """
    cached = getattr(request, "organisation", None)
    if cached is not None and cached.slug == org_slug:
        return cached
    user = request.user
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation")
        .filter(organisation__slug=org_slug, user=user)
        .first()
    )
    if membership is None:
        raise Http404
    request.organisation = membership.organisation
    request.membership = membership
    language = user.language or membership.organisation.language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return membership.organisation


def require_admin(request) -> None:
    """Members of the organisation who lack the role get 403 (they know it exists)."""
    if not request.membership.is_admin:
        raise PermissionDenied


def require_leadership(request) -> None:
    if not request.membership.is_leadership:
        raise PermissionDenied


def org_view(view=None, *, role: str | None = None):
    """Decorator for every view under ``/<org_slug>/``.

    Anonymous visitors are sent to the login page; non-members get 404;
    members without ``role`` ("admin" or "leadership") get 403.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            get_organisation_for_user(request, org_slug)
            if role == "admin":
                require_admin(request)
            elif role == "leadership":
                require_leadership(request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def get_for_org(request, queryset, code, org_field: str = "organisation"):
    """The object with public id ``code`` inside the request's organisation, or 404.

    ``queryset`` is a model's manager or a queryset (with the related rows the
    caller needs); ``org_field`` is the lookup that ties it to the organisation.
    Missing and not-yours get the same 404, so ids of other organisations leak nothing.
    """
    try:
        return queryset.get(**{org_field: request.organisation, "uuid": _as_uuid(code)})
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_team_for_user(request, code) -> Team:
    return get_for_org(request, Team.objects, code)


def get_membership_for_user(request, code) -> Membership:
    return get_for_org(request, Membership.objects.select_related("user"), code)


def get_invitation_for_user(request, code) -> Invitation:
    return get_for_org(request, Invitation.objects, code)


def get_member_user_for_user(request, code) -> User:
    """A user looked up by public id, only if they belong to the request's organisation."""
    return get_for_org(request, User.objects, code, org_field="memberships__organisation")
