"""Settings pages for an organisation's admins: organisation, teams, members, invitations.

Every view parses the request, calls a service in ``accounts/services.py``
and renders. One view serves a page and its fragments: an HTMX request gets
the named partial of the page's template (followed by the status messages,
swapped out of band into the page's live region); a request without
JavaScript gets the whole page, or a redirect back to it after a change.
Destructive actions (delete, remove, revoke) are plain POST forms with
``data-confirm``, so the confirmation in static/js/app.js can stop them.
"""

from __future__ import annotations

import copy
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from accounts import services
from accounts.access import (
    get_invitation_for_user,
    get_membership_for_user,
    get_team_for_user,
    org_view,
)
from accounts.models import Invitation, Membership, Team, TeamMembership
from accounts.policy import Action
from accounts.settings_forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganisationForm,
    TeamCreateForm,
    TeamForm,
    add_service_error,
)

STATUS = "settings/_layout.html#status"


def _fragments(request, template: str, context: dict, *partials: str) -> HttpResponse:
    """The named partials of ``template``, then the messages for the page's status region."""
    response = render(request, f"{template}#{partials[0]}", context)
    for name in partials[1:]:
        response.write(render_to_string(f"{template}#{name}", context, request))
    response.write(render_to_string(STATUS, {}, request))
    return response


def _page_or_fragment(request, template: str, context: dict, partial: str) -> HttpResponse:
    if request.htmx:
        return _fragments(request, template, context, partial)
    return render(request, template, context)


def _uuid_param(request, name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.GET.get(name, ""))
    except ValueError:
        return None


def _name(user) -> str:
    return user.name or user.email


# --- Organisation ----------------------------------------------------------

ORGANISATION = "settings/organisation.html"


@org_view(action=Action.SETTINGS_EDIT)
@require_http_methods(["GET", "POST"])
def organisation(request):
    org = request.organisation
    # The form works on a copy: bad input must not leak into the page's header.
    form = OrganisationForm(request.POST or None, instance=copy.copy(org))
    saved = False
    if request.method == "POST" and form.is_valid():
        changed = set(form.changed_data)
        try:
            services.organisation_update(
                organisation=org, data=form.cleaned_data, author=request.user
            )
        except ValidationError as exc:  # the fiscal year came into use meanwhile
            org.refresh_from_db()
            form.add_error(None, exc)
            return _page_or_fragment(
                request, ORGANISATION, {"form": form, "saved": False}, "organisation-form"
            )
        messages.success(request, _("The organisation's settings were saved."))
        if not request.htmx:
            return redirect("settings:organisation", org.slug)
        if changed & {"name", "language"}:
            # The header and maybe the page's language change: load the page again.
            return HttpResponseClientRefresh()
        form, saved = OrganisationForm(instance=copy.copy(org)), True
    return _page_or_fragment(
        request, ORGANISATION, {"form": form, "saved": saved}, "organisation-form"
    )


# --- Teams -----------------------------------------------------------------

TEAMS = "settings/teams.html"


def _load_teams(organisation) -> list[Team]:
    people = TeamMembership.objects.select_related("user").order_by(
        "-is_lead", "user__name", "user__email"
    )
    teams = list(
        Team.objects.filter(organisation=organisation)
        .select_related("parent")
        .prefetch_related(Prefetch("team_memberships", queryset=people))
    )
    for team in teams:
        team.lead_users = [tm.user for tm in team.team_memberships.all() if tm.is_lead]
        team.member_users = [tm.user for tm in team.team_memberships.all()]
    return teams


def _load_people(organisation) -> list:
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


def _tree_rows(teams: list[Team]) -> list[tuple[Team, int]]:
    """Teams in tree order (departments above their teams) with their depth."""
    children: dict[int | None, list[Team]] = {}
    known = {t.pk for t in teams}
    for team in teams:
        parent = team.parent_id if team.parent_id in known else None
        children.setdefault(parent, []).append(team)
    rows, seen = [], set()

    def walk(parent_id, depth):
        for team in children.get(parent_id, []):
            if team.pk in seen:
                continue
            seen.add(team.pk)
            rows.append((team, min(depth, 5)))
            walk(team.pk, depth + 1)

    walk(None, 0)
    # Anything left over would be a cycle (which the services refuse): show it anyway.
    rows += [(t, 0) for t in teams if t.pk not in seen]
    return rows


def _teams_context(teams, *, create_form=None, editing=None, edit_form=None, focus=None) -> dict:
    return {
        "rows": _tree_rows(teams),
        "create_form": create_form if create_form is not None else TeamCreateForm(teams=teams),
        "editing": editing,
        "edit_form": edit_form,
        "focus": focus,
    }


@org_view(action=Action.TEAMS_MANAGE)
@require_http_methods(["GET", "POST"])
def teams(request):
    """The organisation's teams, and the form to create one."""
    org = request.organisation
    teams = _load_teams(org)
    if request.method == "GET":
        context = _teams_context(teams, focus=_uuid_param(request, "focus"))
        return _page_or_fragment(request, TEAMS, context, "teams-list")

    form = TeamCreateForm(request.POST, teams=teams)
    if form.is_valid():
        try:
            team = services.team_create(
                organisation=org,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
                author=request.user,
            )
        except services.ServiceError as exc:
            add_service_error(form, str(exc))
        else:
            messages.success(request, _("The team %(name)s was created.") % {"name": team.name})
            if not request.htmx:
                return redirect("settings:teams", org.slug)
            teams = _load_teams(org)
            context = _teams_context(teams, create_form=TeamCreateForm(teams=teams, focus=True))
            return _fragments(request, TEAMS, context, "team-create", "teams-list-oob")
    return _page_or_fragment(request, TEAMS, _teams_context(teams, create_form=form), "team-create")


@org_view(action=Action.TEAMS_MANAGE)
@require_http_methods(["GET", "POST"])
def team(request, code):
    """Edit one team in place: GET opens the form in its row, POST saves it."""
    org = request.organisation
    found = get_team_for_user(request, code)
    teams = _load_teams(org)
    team = next(t for t in teams if t.pk == found.pk)
    people = _load_people(org)
    if request.method == "POST":
        form = TeamForm(request.POST, teams=teams, team=team, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.team_update(
                    team=team,
                    name=data["name"],
                    parent=data["parent"],
                    leads=data["leads"],
                    members=data["members"],
                    author=request.user,
                )
            except services.ServiceError as exc:
                add_service_error(form, str(exc))
            else:
                messages.success(request, _("The team %(name)s was saved.") % {"name": team.name})
                if not request.htmx:
                    return redirect("settings:teams", org.slug)
                context = _teams_context(_load_teams(org), focus=team.uuid)
                return _fragments(request, TEAMS, context, "teams-list")
    else:
        initial = {
            "name": team.name,
            "parent": str(team.parent.uuid) if team.parent_id else "",
            "leads": [str(u.uuid) for u in team.lead_users],
            "members": [str(u.uuid) for u in team.member_users],
        }
        form = TeamForm(initial=initial, teams=teams, team=team, people=people, focus=True)
    context = _teams_context(teams, editing=team, edit_form=form)
    return _page_or_fragment(request, TEAMS, context, "teams-list")


@org_view(action=Action.TEAMS_MANAGE)
@require_POST
def team_delete(request, code):
    team = get_team_for_user(request, code)
    try:
        services.team_delete(team=team, author=request.user)
    except services.ServiceError:
        messages.error(
            request,
            _(
                "The team %(name)s still has OKRs, so it cannot be deleted. Move or archive them first."
            )
            % {"name": team.name},
        )
    else:
        messages.success(request, _("The team %(name)s was deleted.") % {"name": team.name})
    if request.htmx:
        return _fragments(
            request, TEAMS, _teams_context(_load_teams(request.organisation)), "teams-list"
        )
    return redirect("settings:teams", request.organisation.slug)


# --- Members ---------------------------------------------------------------

MEMBERS = "settings/members.html"


def _members_context(organisation, *, focus=None, role_error=None) -> dict:
    in_org = (
        TeamMembership.objects.filter(team__organisation=organisation)
        .select_related("team")
        .order_by("team__name")
    )
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related(
            Prefetch("user__team_memberships", queryset=in_org, to_attr="org_team_memberships")
        )
        .order_by("user__name", "user__email")
    )
    return {
        "memberships": memberships,
        "admin_count": sum(1 for m in memberships if m.is_admin),
        "roles": Membership.Role.choices,
        "focus": focus,
        "role_error": role_error,
    }


def _last_admin_message(membership) -> str:
    return _("%(name)s is the organisation's only admin. Make someone else an admin first.") % {
        "name": _name(membership.user)
    }


@org_view(action=Action.MEMBERS_MANAGE)
@require_http_methods(["GET"])
def members(request):
    context = _members_context(request.organisation, focus=_uuid_param(request, "focus"))
    return _page_or_fragment(request, MEMBERS, context, "members-list")


@org_view(action=Action.MEMBERS_MANAGE)
@require_POST
def member_role(request, code):
    """Change someone's role; the last admin stays an admin."""
    org = request.organisation
    membership = get_membership_for_user(request, code)
    form = MembershipRoleForm(request.POST)
    role_error = None
    if not form.is_valid():
        role_error = _("Choose one of the roles.")
        messages.error(request, role_error)
    else:
        role = form.cleaned_data["role"]
        try:
            services.membership_set_role(membership=membership, role=role, author=request.user)
        except services.ServiceError as exc:
            if str(exc) == "last_admin":
                role_error = _last_admin_message(membership)
            else:
                role_error = _("Choose one of the roles.")
            messages.error(request, role_error)
        else:
            messages.success(
                request,
                _("%(name)s now has the role %(role)s.")
                % {"name": _name(membership.user), "role": membership.get_role_display()},
            )
            if membership.user_id == request.user.pk and role != Membership.Role.ADMIN:
                # You gave up your own admin role: the settings are no longer yours.
                home = redirect("okr:home", org.slug)
                return HttpResponseClientRedirect(home.url) if request.htmx else home
    if request.htmx:
        context = _members_context(
            org,
            focus=membership.uuid,
            role_error=(membership.uuid, role_error) if role_error else None,
        )
        return _fragments(request, MEMBERS, context, "members-list")
    return redirect("settings:members", org.slug)


@org_view(action=Action.MEMBERS_MANAGE)
@require_POST
def member_remove(request, code):
    """Remove someone from the organisation and its teams; the last admin stays."""
    org = request.organisation
    membership = get_membership_for_user(request, code)
    try:
        # An admin who leaves stays signed in (for their other organisations).
        keep = request.session.session_key if membership.user_id == request.user.pk else None
        services.membership_remove(
            membership=membership, keep_session_key=keep, author=request.user
        )
    except services.ServiceError:
        messages.error(request, _last_admin_message(membership))
    else:
        if membership.user_id == request.user.pk:
            messages.success(request, _("You have left %(name)s.") % {"name": org.name})
            home = redirect("accounts:home")
            return HttpResponseClientRedirect(home.url) if request.htmx else home
        messages.success(
            request,
            _("%(name)s was removed from the organisation and its teams.")
            % {"name": _name(membership.user)},
        )
    if request.htmx:
        return _fragments(request, MEMBERS, _members_context(org), "members-list")
    return redirect("settings:members", org.slug)


# --- Invitations -----------------------------------------------------------

INVITATIONS = "settings/invitations.html"

_INVITATION_NOT_OPEN = {
    "accepted": gettext_lazy("That invitation has already been accepted."),
    "revoked": gettext_lazy("That invitation has been withdrawn."),
}


def _invitations_context(organisation, *, form=None, teams=None, focus=None) -> dict:
    if teams is None:
        teams = list(Team.objects.filter(organisation=organisation))
    invitations = list(
        Invitation.objects.filter(organisation=organisation)
        .select_related("invited_by", "accepted_by")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("-created_at")
    )
    return {
        "form": form if form is not None else InvitationForm(teams=teams),
        "invitations": invitations,
        "invitation_days": settings.INVITATION_DAYS,
        "focus": focus,
    }


@org_view(action=Action.INVITE)
@require_http_methods(["GET", "POST"])
def invitations(request):
    """Invite people by e-mail, and see every invitation with its state."""
    org = request.organisation
    teams = list(Team.objects.filter(organisation=org))
    if request.method == "GET":
        context = _invitations_context(org, teams=teams, focus=_uuid_param(request, "focus"))
        return _page_or_fragment(request, INVITATIONS, context, "invitations-list")

    form = InvitationForm(request.POST, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                organisation=org,
                invited_by=request.user,
                email=data["email"],
                role=data["role"],
                teams=data["teams"],
            )
        except services.ServiceError as exc:
            add_service_error(form, str(exc))
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": data["email"]}
            )
            if not request.htmx:
                return redirect("settings:invitations", org.slug)
            context = _invitations_context(
                org, form=InvitationForm(teams=teams, focus=True), teams=teams
            )
            return _fragments(
                request, INVITATIONS, context, "invitation-create", "invitations-list-oob"
            )
    context = _invitations_context(org, form=form, teams=teams)
    return _page_or_fragment(request, INVITATIONS, context, "invitation-create")


def _after_invitation_action(request, invitation) -> HttpResponse:
    if request.htmx:
        context = _invitations_context(request.organisation, focus=invitation.uuid)
        return _fragments(request, INVITATIONS, context, "invitations-list")
    return redirect("settings:invitations", request.organisation.slug)


@org_view(action=Action.INVITE)
@require_POST
def invitation_resend(request, code):
    """A new link by e-mail (also for an expired invitation); the old link stops working."""
    invitation = get_invitation_for_user(request, code)
    try:
        services.invitation_resend(invitation=invitation, author=request.user)
    except services.ServiceError as exc:
        messages.error(
            request, _INVITATION_NOT_OPEN.get(str(exc), _("That invitation cannot be sent again."))
        )
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(email)s. The earlier link no longer works.")
            % {"email": invitation.email},
        )
    return _after_invitation_action(request, invitation)


@org_view(action=Action.INVITE)
@require_POST
def invitation_revoke(request, code):
    """Withdraw an invitation that has not been accepted; its link stops working."""
    invitation = get_invitation_for_user(request, code)
    try:
        services.invitation_revoke(invitation=invitation, author=request.user)
    except services.ServiceError as exc:
        messages.error(
            request, _INVITATION_NOT_OPEN.get(str(exc), _("That invitation cannot be withdrawn."))
        )
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return _after_invitation_action(request, invitation)
