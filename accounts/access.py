"""The one access module: every organisation page and API view starts here.

``get_organisation_for_user`` resolves the organisation from the URL and the
membership of the signed-in user, and raises 404 both when the organisation
does not exist and when the user is not a member: a non-member cannot learn
that an organisation exists. The ``get_<thing>_for_user`` helpers look
objects up *inside* that organisation, with the same 404 for missing and
not-yours alike.

What a member may do is ``accounts.policy``'s answer; ``org_view`` turns its
refusals (``PolicyError``) into the page's 403 or 409 with the policy's message.
"""

from __future__ import annotations

import functools
import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import policy
from accounts.middleware import use_language
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
        # The person's teams come with it: the policy's questions on the page cost no query.
        policy.with_teams(Membership.objects.select_related("organisation"))
        .filter(organisation__slug=org_slug, user=user)
        .first()
    )
    if membership is None:
        raise Http404
    request.organisation = membership.organisation
    request.membership = membership
    policy.remember(user, membership)
    language = user.language or membership.organisation.language
    use_language(request, language)
    return membership.organisation


def refused(request, refusal: policy.PolicyError) -> HttpResponse:
    """The page's answer to a refusal: 403 or 409 with the policy's message.

    An HTMX request gets the message on the reloaded page (``HX-Refresh``), so an
    in-place edit never fails silently.
    """
    if getattr(request, "htmx", False):
        messages.error(request, refusal.message)
        response = HttpResponse(refusal.message, status=refusal.status_code)
        response["HX-Refresh"] = "true"
        return response
    title = _("Not possible now") if refusal.status_code == 409 else _("Not allowed")
    context = {"status": refusal.status_code, "title": title, "message": refusal.message}
    return render(request, "errors/error.html", context, status=refusal.status_code)


def org_view(view=None, *, action: policy.Action | None = None):
    """Decorator for every view under ``/<org_slug>/``.

    Anonymous visitors are sent to the login page; non-members get 404. With
    ``action`` (something done to the organisation itself, such as
    ``Action.SETTINGS_EDIT``) members the policy refuses get 403. A
    ``PolicyError`` raised by the view or its services becomes ``refused``.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            get_organisation_for_user(request, org_slug)
            try:
                if action is not None:
                    policy.require(request.membership, action)
                return func(request, *args, **kwargs)
            except policy.PolicyError as refusal:
                return refused(request, refusal)

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
