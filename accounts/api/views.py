"""API views of the organisation, its teams, members and invitations.

Built on ``accounts.api.base.OrganisationAPI``: the organisation of the URL
first (404 for non-members), the object of a ``code`` through
``accounts.access`` (404 for another organisation's id), the role (403), then
the input (400). Everyone reads the organisation and its teams; admins change
them and manage members and invitations. Writes go through
``accounts.services``, the functions the settings pages call.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts import access as accounts_access
from accounts import services as accounts_services
from accounts.api import serializers as s
from accounts.api.base import Conflict, OrganisationAPI, responses, service_error
from accounts.api.filters import InvitationFilter, MemberFilter, TeamFilter
from accounts.models import Invitation, Membership, Team, TeamMembership
from accounts.policy import Action

# --- Organisation ----------------------------------------------------------------------------


class OrganisationViewSet(OrganisationAPI):
    policy_actions = {"partial_update": Action.SETTINGS_EDIT}
    serializer_class = s.OrganisationSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="The organisation",
        operation_id="organisation_retrieve",
        description="Everyone in the organisation reads it.",
        responses=responses({200: s.OrganisationSerializer}, bad_input=False, forbidden=False),
        tags=["organisation"],
    )
    def retrieve(self, request, org_slug):
        return self.answer(s.OrganisationSerializer, self.organisation)

    @extend_schema(
        summary="Change the organisation's settings (admin)",
        operation_id="organisation_partial_update",
        description="Only the fields sent change. The address (slug) cannot change. The "
        "fiscal year's first month cannot change once the organisation has cycles (409).",
        request=s.OrganisationWriteSerializer,
        responses=responses({200: s.OrganisationSerializer}, conflict=True),
        tags=["organisation"],
    )
    def partial_update(self, request, org_slug):
        data = self.parse(s.OrganisationWriteSerializer)
        organisation = self.organisation
        try:
            with transaction.atomic():
                accounts_services.organisation_update(
                    organisation=organisation, data=data, author=request.user
                )
        except DjangoValidationError as exc:
            organisation.refresh_from_db()
            locked = getattr(exc, "error_dict", {}).get("fiscal_year_start_month", [])
            if any(error.code == "in_use" for error in locked):
                # A rule of the organisation's state, not of the input: 409, as stale edits.
                raise Conflict(
                    detail=str(accounts_services.FISCAL_YEAR_LOCKED), code="fiscal_year_in_use"
                ) from None
            raise
        return self.answer(s.OrganisationSerializer, organisation)


# --- Teams ------------------------------------------------------------------------------------


def _teams_queryset(organisation):
    people = TeamMembership.objects.select_related("user").order_by(
        "-is_lead", "user__name", "user__email"
    )
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("parent")
        .prefetch_related(Prefetch("team_memberships", queryset=people))
    )


class TeamViewSet(OrganisationAPI):
    model = Team
    policy_actions = {
        "create": Action.TEAMS_MANAGE,
        "partial_update": Action.TEAMS_MANAGE,
        "destroy": Action.TEAMS_MANAGE,
    }
    serializer_class = s.TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["name", "created_at", "order"]
    ordering = ["order", "name"]
    lookup = staticmethod(accounts_access.get_team_for_user)

    def scoped_queryset(self):
        return _teams_queryset(self.organisation)

    def _reload(self, team):
        return _teams_queryset(self.organisation).get(pk=team.pk)

    @extend_schema(
        summary="Teams",
        description="Everyone in the organisation reads the teams and who is in them.",
        responses=responses({200: s.TeamSerializer(many=True)}, forbidden=False),
        tags=["teams"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.TeamSerializer)

    @extend_schema(
        summary="Create a team (admin)",
        request=s.TeamWriteSerializer,
        responses=responses({201: s.TeamSerializer}),
        tags=["teams"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.TeamWriteSerializer)
        try:
            with transaction.atomic():
                team = accounts_services.team_create(
                    organisation=self.organisation,
                    name=data["name"],
                    parent=data.get("parent"),
                    author=request.user,
                )
                if "leads" in data or "members" in data:
                    accounts_services.team_set_people(
                        team=team,
                        leads=data.get("leads", []),
                        members=data.get("members", []),
                        author=request.user,
                    )
        except accounts_services.ServiceError as exc:
            raise service_error(exc) from None
        return self.answer(s.TeamSerializer, self._reload(team), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A team",
        responses=responses({200: s.TeamSerializer}, bad_input=False, forbidden=False),
        tags=["teams"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.TeamSerializer, self._reload(self.object))

    @extend_schema(
        summary="Change a team (admin)",
        description="Rename it, move it under another team (no cycles), set its leads and members. "
        "Leads and members not sent stay as they are.",
        request=s.TeamUpdateSerializer,
        responses=responses({200: s.TeamSerializer}),
        tags=["teams"],
    )
    def partial_update(self, request, org_slug, code):
        data = self.parse(s.TeamUpdateSerializer)
        team = self._reload(self.object)
        leads = members = None
        if "leads" in data or "members" in data:
            current = list(team.team_memberships.all())
            leads = data.get("leads", [tm.user for tm in current if tm.is_lead])
            members = data.get("members", [tm.user for tm in current])
        try:
            accounts_services.team_update(
                team=team,
                name=data.get("name", team.name),
                parent=data.get("parent", team.parent),
                leads=leads,
                members=members,
                author=request.user,
            )
        except accounts_services.ServiceError as exc:
            raise service_error(exc) from None
        return self.answer(s.TeamSerializer, self._reload(team))

    @extend_schema(
        summary="Delete a team (admin)",
        description="Its sub-teams move up to its parent. A team that still has OKRs answers 409.",
        request=None,
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["teams"],
    )
    def destroy(self, request, org_slug, code):
        try:
            accounts_services.team_delete(team=self.object, author=request.user)
        except accounts_services.ServiceError:
            raise Conflict(
                _("The team still has OKRs, so it cannot be deleted. Move or archive them first."),
                code="team_in_use",
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Members and invitations (admin) ----------------------------------------------------------


class MemberViewSet(OrganisationAPI):
    model = Membership
    policy_actions = {"*": Action.MEMBERS_MANAGE}  # reading the member list too
    serializer_class = s.MemberSerializer
    filterset_class = MemberFilter
    ordering_fields = ["created_at", "role"]
    lookup = staticmethod(accounts_access.get_membership_for_user)

    def scoped_queryset(self):
        return (
            Membership.objects.filter(organisation=self.organisation)
            .select_related("user")
            .order_by("user__name", "user__email", "pk")
        )

    @extend_schema(
        summary="Members (admin)",
        responses=responses({200: s.MemberSerializer(many=True)}),
        tags=["members"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.MemberSerializer)

    @extend_schema(
        summary="A member (admin)",
        responses=responses({200: s.MemberSerializer}, bad_input=False),
        tags=["members"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.MemberSerializer, self.object)

    @extend_schema(
        summary="Change a member's role (admin)",
        description="The organisation's last admin stays an admin (409).",
        request=s.MemberUpdateSerializer,
        responses=responses({200: s.MemberSerializer}, conflict=True),
        tags=["members"],
    )
    def partial_update(self, request, org_slug, code):
        data = self.parse(s.MemberUpdateSerializer)
        membership = self.object
        try:
            accounts_services.membership_set_role(
                membership=membership, role=data["role"], author=request.user
            )
        except accounts_services.ServiceError as exc:
            if str(exc) == "last_admin":
                raise Conflict(
                    _("The organisation's only admin. Make someone else an admin first."),
                    code="last_admin",
                ) from None
            raise service_error(exc) from None
        return self.answer(s.MemberSerializer, membership)

    @extend_schema(
        summary="Remove a member (admin)",
        description="Removes them from the organisation and its teams, revokes their API tokens for "
        "it and ends their sessions. The last admin cannot be removed (409).",
        request=None,
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["members"],
    )
    def destroy(self, request, org_slug, code):
        try:
            accounts_services.membership_remove(membership=self.object, author=request.user)
        except accounts_services.ServiceError:
            raise Conflict(
                _("The organisation's only admin. Make someone else an admin first."),
                code="last_admin",
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(OrganisationAPI):
    model = Invitation
    policy_actions = {"*": Action.INVITE}
    serializer_class = s.InvitationSerializer
    filterset_class = InvitationFilter
    ordering_fields = ["created_at", "email", "expires_at"]
    ordering = ["-created_at"]
    lookup = staticmethod(accounts_access.get_invitation_for_user)

    def scoped_queryset(self):
        return (
            Invitation.objects.filter(organisation=self.organisation)
            .select_related("invited_by")
            .prefetch_related("teams")
        )

    @extend_schema(
        summary="Invitations (admin)",
        responses=responses({200: s.InvitationSerializer(many=True)}),
        tags=["invitations"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.InvitationSerializer)

    @extend_schema(
        summary="Invite someone by e-mail (admin)",
        description="Sends the invitation. An open invitation to the same address is renewed "
        "(its old link stops working).",
        request=s.InvitationWriteSerializer,
        responses=responses({201: s.InvitationSerializer}, conflict=True),
        tags=["invitations"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.InvitationWriteSerializer)
        try:
            invitation, _token = accounts_services.invitation_create(
                organisation=self.organisation,
                invited_by=request.user,
                email=data["email"],
                role=data.get("role", Membership.Role.MEMBER),
                teams=data.get("teams", []),
            )
        except accounts_services.ServiceError as exc:
            if str(exc) == "invitation_conflict":
                raise Conflict(
                    _("Someone else just invited this address. Try again."), code=str(exc)
                ) from None
            raise service_error(exc) from None
        return self.answer(
            s.InvitationSerializer,
            self.get_queryset().get(pk=invitation.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="An invitation (admin)",
        responses=responses({200: s.InvitationSerializer}, bad_input=False),
        tags=["invitations"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.InvitationSerializer, self.get_queryset().get(pk=self.object.pk))

    @extend_schema(
        summary="Withdraw an invitation (admin)",
        description="Its link stops working. An accepted or withdrawn invitation answers 409.",
        request=None,
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["invitations"],
    )
    def destroy(self, request, org_slug, code):
        try:
            accounts_services.invitation_revoke(invitation=self.object, author=request.user)
        except accounts_services.ServiceError as exc:
            raise Conflict(
                _("That invitation is no longer open."), code=f"invitation_{exc}"
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Send an invitation again (admin)",
        description="A new link and expiry (also for an expired invitation); the old link stops "
        "working. An accepted or withdrawn invitation answers 409.",
        request=None,
        responses=responses({200: s.InvitationSerializer}, bad_input=False, conflict=True),
        tags=["invitations"],
    )
    def resend(self, request, org_slug, code):
        try:
            accounts_services.invitation_resend(invitation=self.object, author=request.user)
        except accounts_services.ServiceError as exc:
            raise Conflict(
                _("That invitation is no longer open."), code=f"invitation_{exc}"
            ) from None
        return self.answer(s.InvitationSerializer, self.get_queryset().get(pk=self.object.pk))


__all__ = ["InvitationViewSet", "MemberViewSet", "OrganisationViewSet", "TeamViewSet"]
