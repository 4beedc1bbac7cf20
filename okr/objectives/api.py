"""API views: parse, check the rules, call the services the pages use, answer.

Every view resolves the organisation of the URL first (permissions.OrganisationMember,
through accounts.access.get_organisation_for_user: 404 for non-members), then
looks up the object of a ``code`` through the access helpers, which search only
inside that organisation (404 for another organisation's id, whatever the
method), then checks the role (403), then the input (400).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import page_not_found
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from accounts import access as accounts_access
from accounts import policy as rules
from accounts import services as accounts_services
from accounts.models import Invitation, Membership, Team, TeamMembership
from accounts.settings_forms import SERVICE_ERRORS
from okr.api import filters, permissions
from okr.lib import progress as maths
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import access, services
from okr.objectives import serializers as s

# --- Errors ------------------------------------------------------------------------------


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("That conflicts with the current state.")
    default_code = "conflict"


def exception_handler(exc, context):
    """The services' refusals become API answers: field errors 400, stale edits 409.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 (Django's check, when DRF reads it).
    """
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, services.StaleEdit):
        return Response(
            {
                "detail": _("Someone else saved this first. Read it again and repeat your change."),
                "code": "stale",
            },
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and "detail" in response.data
    ):
        response.data.setdefault("code", getattr(exc.detail, "code", exc.default_code))
    return response


def not_found(request, exception=None):
    """404 for URLs that match nothing: JSON under /api/, the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return page_not_found(request, exception)


def _service_error(exc: accounts_services.ServiceError, field_map: dict | None = None):
    """An accounts service refusal as a 400 with the field it concerns."""
    code = str(exc)
    field, message = SERVICE_ERRORS.get(code, (None, _("That did not work.")))
    field = (field_map or {}).get(field, field) or "non_field_errors"
    return exceptions.ValidationError({field: [str(message)]})


def _rename(exc: DjangoValidationError, names: dict) -> exceptions.ValidationError:
    errors = as_serializer_error(exc)
    return exceptions.ValidationError({names.get(k, k): v for k, v in errors.items()})


# --- Documentation helpers ------------------------------------------------------------------


def schema_hook(result, generator, request, public):
    """Describe the two path parameters every organisation URL has (drf-spectacular hook)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                if parameter["name"] == "org_slug":
                    parameter["schema"] = {
                        "type": "string",
                        "pattern": r"^[-a-zA-Z0-9_]+$",
                        "example": "dpab",
                    }
                    parameter["description"] = (
                        "The organisation's address: the same as in its pages' URLs."
                    )
                elif parameter["name"] == "code":
                    parameter["description"] = "The object's id."
    return result


PROBLEM = s.Problem


def _problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(PROBLEM, description=description)


BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Bad input: each field (or query parameter) that is wrong, with its messages; "
    "`non_field_errors` for the request as a whole.",
    examples=[
        OpenApiExample(
            "Field errors",
            value={"title": ["This field may not be blank."], "target_value": ["Enter a number."]},
            status_codes=["400"],
        )
    ],
)
UNAUTHENTICATED = _problem("No credentials, or a token that is invalid, expired or revoked.")
FORBIDDEN = _problem("A member of the organisation without the role this needs.")
NOT_FOUND = _problem(
    "No such organisation for you (you are not a member, or the token is for another "
    "organisation), or no such object in it."
)
STALE = _problem("Someone else saved first (the version you sent is old), or it is in use.")


def responses(ok: dict, *, bad_input=True, forbidden=True, conflict=False) -> dict:
    answer = dict(ok)
    if bad_input:
        answer[400] = BAD_INPUT
    answer[401] = UNAUTHENTICATED
    if forbidden:
        answer[403] = FORBIDDEN
    answer[404] = NOT_FOUND
    if conflict:
        answer[409] = STALE
    return answer


# --- Base ----------------------------------------------------------------------------------


class OrganisationAPI(GenericViewSet):
    """The organisation is resolved first; an object in the URL is looked up before the method."""

    permission_classes = [IsAuthenticated, permissions.OrganisationMember]
    pagination_class = filters.Pagination
    filter_backends = [DjangoFilterBackend, filters.StrictOrdering]
    parser_classes = [JSONParser]
    lookup_url_kwarg = "code"
    object_label = "object"

    model = None  # for the schema (drf-spectacular reads the model of the queryset)

    # Each view over objects names its access helper, ``staticmethod(get_<thing>_for_user)``,
    # and defines ``scoped_queryset(self)``: its rows inside ``self.organisation``. Like
    # Django's ListView without a queryset, a view that uses them without naming them is
    # misconfigured.
    lookup = None
    scoped_queryset = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return self.model.objects.none()
        if self.scoped_queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} defines no scoped_queryset().")
        return self.scoped_queryset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.lookup_url_kwarg in kwargs:
            self.object = self.get_object()

    def get_object(self):
        if type(self).lookup is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no access helper (lookup).")
        obj = type(self).lookup(self.request, self.kwargs[self.lookup_url_kwarg])
        self.check_object_permissions(self.request, obj)
        return obj

    @property
    def organisation(self):
        return self.request.organisation

    @property
    def membership(self) -> Membership:
        return self.request.membership

    def paginated(self, queryset, serializer_class, prepare=None):
        queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        if prepare is not None:
            prepare(items)
        data = serializer_class(items, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def parse(self, serializer_class, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, serializer_class, obj, status_code=status.HTTP_200_OK):
        return Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=status_code
        )

    def forbid(self, message: str | None = None):
        raise exceptions.PermissionDenied(message)


# --- Organisation ----------------------------------------------------------------------------


class OrganisationViewSet(OrganisationAPI):
    permission_classes = [*OrganisationAPI.permission_classes, permissions.AdminForWrites]
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
        description="Only the fields sent change. The address (slug) cannot change.",
        request=s.OrganisationWriteSerializer,
        responses=responses({200: s.OrganisationSerializer}),
        tags=["organisation"],
    )
    def partial_update(self, request, org_slug):
        data = self.parse(s.OrganisationWriteSerializer)
        organisation = self.organisation
        try:
            with transaction.atomic():
                accounts_services.organisation_update(organisation=organisation, data=data)
        except DjangoValidationError:
            organisation.refresh_from_db()
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
    permission_classes = [*OrganisationAPI.permission_classes, permissions.AdminForWrites]
    serializer_class = s.TeamSerializer
    filterset_class = filters.TeamFilter
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
                    organisation=self.organisation, name=data["name"], parent=data.get("parent")
                )
                if "leads" in data or "members" in data:
                    accounts_services.team_set_people(
                        team=team, leads=data.get("leads", []), members=data.get("members", [])
                    )
        except accounts_services.ServiceError as exc:
            raise _service_error(exc) from None
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
            )
        except accounts_services.ServiceError as exc:
            raise _service_error(exc) from None
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
            accounts_services.team_delete(team=self.object)
        except accounts_services.ServiceError:
            raise Conflict(
                _("The team still has OKRs, so it cannot be deleted. Move or archive them first."),
                code="team_in_use",
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Members and invitations (admin) ----------------------------------------------------------


class MemberViewSet(OrganisationAPI):
    model = Membership
    permission_classes = [*OrganisationAPI.permission_classes, permissions.AdminRole]
    serializer_class = s.MemberSerializer
    filterset_class = filters.MemberFilter
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
            accounts_services.membership_set_role(membership=membership, role=data["role"])
        except accounts_services.ServiceError as exc:
            if str(exc) == "last_admin":
                raise Conflict(
                    _("The organisation's only admin. Make someone else an admin first."),
                    code="last_admin",
                ) from None
            raise _service_error(exc) from None
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
            accounts_services.membership_remove(membership=self.object)
        except accounts_services.ServiceError:
            raise Conflict(
                _("The organisation's only admin. Make someone else an admin first."),
                code="last_admin",
            ) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(OrganisationAPI):
    model = Invitation
    permission_classes = [*OrganisationAPI.permission_classes, permissions.AdminRole]
    serializer_class = s.InvitationSerializer
    filterset_class = filters.InvitationFilter
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
            raise _service_error(exc) from None
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
            accounts_services.invitation_revoke(invitation=self.object)
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
            accounts_services.invitation_resend(invitation=self.object)
        except accounts_services.ServiceError as exc:
            raise Conflict(
                _("That invitation is no longer open."), code=f"invitation_{exc}"
            ) from None
        return self.answer(s.InvitationSerializer, self.get_queryset().get(pk=self.object.pk))


# --- Cycles ---------------------------------------------------------------------------------


class CycleViewSet(OrganisationAPI):
    model = Cycle
    permission_classes = [*OrganisationAPI.permission_classes, permissions.LeadershipForWrites]
    serializer_class = s.CycleSerializer
    filterset_class = filters.CycleFilter
    ordering_fields = ["start_date", "year", "kind"]
    ordering = ["start_date", "kind"]
    lookup = staticmethod(access.get_cycle_for_user)

    def scoped_queryset(self):
        return Cycle.objects.filter(organisation=self.organisation).select_related("parent")

    @extend_schema(
        summary="Cycles: years and their quarters",
        responses=responses({200: s.CycleSerializer(many=True)}, forbidden=False),
        tags=["cycles"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.CycleSerializer)

    @extend_schema(
        summary="Plan a year (leadership)",
        description="Creates the (fiscal) year and its four quarters; 200 when the year exists.",
        request=s.CycleWriteSerializer,
        responses=responses({201: s.CycleSerializer, 200: s.CycleSerializer}),
        tags=["cycles"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.CycleWriteSerializer)
        existed = Cycle.objects.filter(
            organisation=self.organisation, kind=Cycle.Kind.YEAR, year=data["year"]
        ).exists()
        year = services.cycle_year_get_or_create(organisation=self.organisation, year=data["year"])
        return self.answer(
            s.CycleSerializer, year, status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="A cycle",
        responses=responses({200: s.CycleSerializer}, bad_input=False, forbidden=False),
        tags=["cycles"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.CycleSerializer, self.get_queryset().get(pk=self.object.pk))


# --- Objectives -------------------------------------------------------------------------------


def _objectives_queryset(organisation):
    return (
        Objective.objects.filter(organisation=organisation)
        .select_related("cycle", "team", "owner", "parent_objective", "parent_key_result")
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.filter(archived=False))
        )
    )


def _with_progress(objectives):
    for objective in objectives:
        objective.progress_value = maths.objective_progress(
            [(kr.progress, float(kr.weight)) for kr in objective.key_results.all()]
        )
    return objectives


PARENT_FIELDS = {"parent": "parent_objective"}


class ObjectiveViewSet(OrganisationAPI):
    model = Objective
    serializer_class = s.ObjectiveSerializer
    filterset_class = filters.ObjectiveFilter
    ordering_fields = ["order", "created_at", "updated_at", "title", "status"]
    ordering = ["cycle__start_date", "level", "team__name", "order", "id"]
    lookup = staticmethod(access.get_objective_for_user)

    def scoped_queryset(self):
        return _objectives_queryset(self.organisation)

    def _reload(self, objective):
        return _with_progress([self.get_queryset().get(pk=objective.pk)])[0]

    @extend_schema(
        summary="Objectives",
        description="Strategic and team objectives of every cycle (filter by cycle, level, team, ...). "
        "Archived objectives are included unless you filter by status.",
        responses=responses({200: s.ObjectiveSerializer(many=True)}, forbidden=False),
        tags=["objectives"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.ObjectiveSerializer, _with_progress)

    @extend_schema(
        summary="Create an objective",
        description="Leadership creates strategic objectives (on a year); a team's members and "
        "leadership create the team's (on a quarter), as drafts.",
        request=s.ObjectiveCreateSerializer,
        responses=responses({201: s.ObjectiveSerializer}),
        tags=["objectives"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.ObjectiveCreateSerializer)
        level, team = data["level"], data.get("team")
        if level == Objective.Level.TEAM and team is None:
            raise exceptions.ValidationError({"team": [_("Choose a team in the organisation.")]})
        if level == Objective.Level.STRATEGIC and team is not None:
            raise exceptions.ValidationError({"team": [_("A strategic objective has no team.")]})
        if not permissions.can_create_objective(self.membership, level, team):
            self.forbid(_("You may not create this objective."))
        names = {
            "parent": "parent_key_result" if data.get("parent_key_result") else "parent_objective"
        }
        try:
            objective = services.objective_create(
                organisation=self.organisation,
                cycle=data["cycle"],
                level=level,
                team=team,
                title=data["title"],
                why=data.get("why", ""),
                owner=data.get("owner"),
                parent_objective=data.get("parent_objective"),
                parent_key_result=data.get("parent_key_result"),
                alignment=data.get("alignment", Objective.Alignment.INDIRECT),
            )
        except DjangoValidationError as exc:
            raise _rename(exc, names) from None
        return self.answer(s.ObjectiveSerializer, self._reload(objective), status.HTTP_201_CREATED)

    @extend_schema(
        summary="An objective",
        responses=responses({200: s.ObjectiveSerializer}, bad_input=False, forbidden=False),
        tags=["objectives"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.ObjectiveSerializer, self._reload(self.object))

    @extend_schema(
        summary="Change an objective",
        description="Send the `version` you read: if someone saved since, the answer is 409 and "
        "nothing changes. Leadership edits any objective; a team lead the team's; an owner their own.",
        request=s.ObjectiveUpdateSerializer,
        responses=responses({200: s.ObjectiveSerializer}, conflict=True),
        tags=["objectives"],
    )
    def partial_update(self, request, org_slug, code):
        objective = self.object
        if not rules.can_edit_objective(self.membership, objective):
            self.forbid(_("You may not change this objective."))
        data = self.parse(s.ObjectiveUpdateSerializer)
        version = data.pop("version")
        # One parent at most: choosing one kind clears the other.
        if data.get("parent_key_result") is not None and "parent_objective" not in data:
            data["parent_objective"] = None
        if data.get("parent_objective") is not None and "parent_key_result" not in data:
            data["parent_key_result"] = None
        names = {
            "parent": "parent_key_result" if data.get("parent_key_result") else "parent_objective"
        }
        try:
            updated = services.objective_update(objective=objective, version=version, **data)
        except DjangoValidationError as exc:
            raise _rename(exc, names) from None
        return self.answer(s.ObjectiveSerializer, self._reload(updated))

    @extend_schema(
        summary="Archive an objective",
        description="Archived objectives stay readable (filter `status=archived`).",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=["objectives"],
    )
    def destroy(self, request, org_slug, code):
        if not rules.can_edit_objective(self.membership, self.object):
            self.forbid(_("You may not change this objective."))
        services.objective_archive(objective=self.object)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Key results ------------------------------------------------------------------------------


class KeyResultViewSet(OrganisationAPI):
    model = KeyResult
    serializer_class = s.KeyResultSerializer
    filterset_class = filters.KeyResultFilter
    ordering_fields = ["order", "created_at", "updated_at", "title", "last_check_in_at"]
    ordering = ["objective__cycle__start_date", "objective_id", "order", "id"]
    lookup = staticmethod(access.get_key_result_for_user)

    def scoped_queryset(self):
        return KeyResult.objects.filter(organisation=self.organisation).select_related(
            "objective", "owner"
        )

    def _reload(self, kr):
        return self.get_queryset().get(pk=kr.pk)

    @extend_schema(
        summary="Key results",
        description="Archived key results are included unless you filter `archived=false`.",
        responses=responses({200: s.KeyResultSerializer(many=True)}, forbidden=False),
        tags=["key results"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.KeyResultSerializer)

    @extend_schema(
        summary="Add a key result to an objective",
        description="Whoever may edit the objective may add key results to it. A metric without a "
        "target is pending (progress follows once the target is set).",
        request=s.KeyResultCreateSerializer,
        responses=responses({201: s.KeyResultSerializer}),
        tags=["key results"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.KeyResultCreateSerializer)
        objective = data.pop("objective")
        if not rules.can_edit_objective(self.membership, objective):
            self.forbid(_("You may not change this objective."))
        kr = services.key_result_create(
            objective=objective, title=data.pop("title"), owner=data.pop("owner", None), **data
        )
        return self.answer(s.KeyResultSerializer, self._reload(kr), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A key result",
        responses=responses({200: s.KeyResultSerializer}, bad_input=False, forbidden=False),
        tags=["key results"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.KeyResultSerializer, self._reload(self.object))

    @extend_schema(
        summary="Change a key result",
        description="Send the `version` you read (409 if someone saved since). Owners, the team's "
        "lead and leadership edit a key result.",
        request=s.KeyResultUpdateSerializer,
        responses=responses({200: s.KeyResultSerializer}, conflict=True),
        tags=["key results"],
    )
    def partial_update(self, request, org_slug, code):
        kr = self.object
        if not rules.can_edit_key_result(self.membership, kr):
            self.forbid(_("You may not change this key result."))
        data = self.parse(s.KeyResultUpdateSerializer)
        version = data.pop("version")
        steps_total = data.get("steps_total")
        if steps_total is not None and kr.steps_done is not None and kr.steps_done > steps_total:
            raise exceptions.ValidationError(
                {"steps_total": [_("%(done)s steps are already done.") % {"done": kr.steps_done}]}
            )
        updated = services.key_result_update(key_result=kr, version=version, **data)
        return self.answer(s.KeyResultSerializer, self._reload(updated))

    @extend_schema(
        summary="Archive a key result",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=["key results"],
    )
    def destroy(self, request, org_slug, code):
        if not rules.can_edit_key_result(self.membership, self.object):
            self.forbid(_("You may not change this key result."))
        services.key_result_archive(key_result=self.object)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Check-ins -------------------------------------------------------------------------------


class CheckInViewSet(OrganisationAPI):
    """Append-only: a correction is a new check-in (no update, no delete)."""

    model = CheckIn
    serializer_class = s.CheckInSerializer
    filterset_class = filters.CheckInFilter
    ordering_fields = ["created_at"]
    ordering = ["created_at", "id"]
    lookup = staticmethod(access.get_check_in_for_user)

    def scoped_queryset(self):
        return CheckIn.objects.filter(organisation=self.organisation).select_related(
            "key_result", "author"
        )

    @extend_schema(
        summary="Check-ins",
        description="Oldest first (use `ordering=-created_at` for the latest first).",
        responses=responses({200: s.CheckInSerializer(many=True)}, forbidden=False),
        tags=["check-ins"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.CheckInSerializer)

    @extend_schema(
        summary="Check in on a key result",
        description="A metric takes `value`; a milestone `done` and, with steps, `steps_done`. "
        "The key result's current value and confidence follow the latest check-in. Owners, the "
        "team's lead and leadership check in. Check-ins cannot be changed or deleted.",
        request=s.CheckInCreateSerializer,
        responses=responses({201: s.CheckInSerializer}),
        tags=["check-ins"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.CheckInCreateSerializer)
        kr = data["key_result"]
        if not rules.can_check_in(self.membership, kr):
            self.forbid(_("You may not check in on this key result."))
        check_in = services.check_in_record(
            key_result=kr,
            author=request.user,
            confidence=data["confidence"],
            value=data.get("value"),
            done=data.get("done"),
            steps_done=data.get("steps_done"),
            note=data.get("note", ""),
        )
        return self.answer(
            s.CheckInSerializer,
            self.get_queryset().get(pk=check_in.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="A check-in",
        responses=responses({200: s.CheckInSerializer}, bad_input=False, forbidden=False),
        tags=["check-ins"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.CheckInSerializer, self.get_queryset().get(pk=self.object.pk))


# --- Initiatives -----------------------------------------------------------------------------


class InitiativeViewSet(OrganisationAPI):
    model = Initiative
    serializer_class = s.InitiativeSerializer
    filterset_class = filters.InitiativeFilter
    ordering_fields = ["order", "created_at", "title", "status"]
    ordering = ["key_result_id", "order", "id"]
    lookup = staticmethod(access.get_initiative_for_user)

    def scoped_queryset(self):
        return Initiative.objects.filter(organisation=self.organisation).select_related(
            "key_result", "owner"
        )

    @extend_schema(
        summary="Initiatives",
        responses=responses({200: s.InitiativeSerializer(many=True)}, forbidden=False),
        tags=["initiatives"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.InitiativeSerializer)

    @extend_schema(
        summary="Add an initiative to a key result",
        description="Whoever may edit the key result adds initiatives to it.",
        request=s.InitiativeCreateSerializer,
        responses=responses({201: s.InitiativeSerializer}),
        tags=["initiatives"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.InitiativeCreateSerializer)
        kr = data["key_result"]
        if not rules.can_edit_key_result(self.membership, kr):
            self.forbid(_("You may not change this key result."))
        initiative = services.initiative_create(
            key_result=kr, title=data["title"], owner=data.get("owner")
        )
        return self.answer(
            s.InitiativeSerializer,
            self.get_queryset().get(pk=initiative.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="An initiative",
        responses=responses({200: s.InitiativeSerializer}, bad_input=False, forbidden=False),
        tags=["initiatives"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(s.InitiativeSerializer, self.get_queryset().get(pk=self.object.pk))

    @extend_schema(
        summary="Set an initiative's status",
        description="Its owner and whoever may edit its key result.",
        request=s.InitiativeUpdateSerializer,
        responses=responses({200: s.InitiativeSerializer}),
        tags=["initiatives"],
    )
    def partial_update(self, request, org_slug, code):
        initiative = self.object
        if not permissions.can_edit_initiative(self.membership, initiative):
            self.forbid(_("You may not change this initiative."))
        data = self.parse(s.InitiativeUpdateSerializer)
        services.initiative_set_status(initiative=initiative, status=data["status"])
        return self.answer(s.InitiativeSerializer, self.get_queryset().get(pk=initiative.pk))


__all__ = [
    "CheckInViewSet",
    "CycleViewSet",
    "InitiativeViewSet",
    "InvitationViewSet",
    "KeyResultViewSet",
    "MemberViewSet",
    "ObjectiveViewSet",
    "OrganisationViewSet",
    "TeamViewSet",
]
