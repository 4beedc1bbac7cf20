"""API views of cycles, objectives, key results, check-ins and initiatives.

Built on ``accounts.api.base.OrganisationAPI``: every view resolves the
organisation of the URL first (404 for non-members), then looks up the object of
a ``code`` through ``okr.objectives.access``, which searches only inside that
organisation (404 for another organisation's id, whatever the method), then
asks ``accounts.policy`` (403, or 409 for the object's state), then the input
(400). Writes go through ``okr.objectives.services`` (and a team objective through
``okr.workshop.services.workshop_objective_create``), the functions the pages
call, which ask the policy again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from accounts import revision
from accounts.api.base import OrganisationAPI, rename_errors, responses
from accounts.policy import Action
from okr.api import filters
from okr.lib import calendar
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import access, numbers, services, stored
from okr.objectives import serializers as s
from okr.objectives import serializers_check_ins as cs
from okr.personal import api as personal_api
from okr.workshop import services as workshop

# --- Cycles ---------------------------------------------------------------------------------


class CycleViewSet(OrganisationAPI):
    model = Cycle
    # A year is set up for its strategic OKRs: leadership's (the workshop makes its quarters).
    policy_actions = {"create": Action.OBJECTIVE_CREATE}
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
    # Without their key results: an objective answers with its own numbers, stored on it
    # (``_with_numbers`` loads the key results of the few whose numbers are not today's).
    return Objective.objects.filter(organisation=organisation).select_related(
        "cycle", "team", "owner", "parent_objective", "parent_key_result"
    )


def _with_numbers(objectives, organisation):
    """The engine's numbers on a page of objectives and their key results.

    Those stored on the rows while they hold today (no query), else the
    engine's now (at most 4 queries): ``okr.objectives.stored.set_numbers``.
    """
    stored.set_numbers(calendar.today(organisation), objectives=objectives)
    return objectives


PARENT_FIELDS = {"parent": "parent_objective"}


class ObjectiveViewSet(OrganisationAPI):
    model = Objective
    policy_actions = {"partial_update": Action.OBJECTIVE_EDIT, "destroy": Action.OBJECTIVE_ARCHIVE}
    serializer_class = s.ObjectiveSerializer
    filterset_class = filters.ObjectiveFilter
    ordering_fields = ["order", "created_at", "updated_at", "title", "status"]
    ordering = ["cycle__start_date", "level", "team__name", "order", "id"]
    lookup = staticmethod(access.get_objective_for_user)

    def scoped_queryset(self):
        return _objectives_queryset(self.organisation)

    def _reload(self, objective):
        return _with_numbers([self.get_queryset().get(pk=objective.pk)], self.organisation)[0]

    @extend_schema(
        summary="Objectives",
        description="Strategic and team objectives of every cycle (filter by cycle, level, team, ...). "
        "Archived objectives are included unless you filter by status.",
        responses=responses({200: s.ObjectiveSerializer(many=True)}, forbidden=False),
        tags=["objectives"],
    )
    def list(self, request, org_slug):
        if request.query_params.get("page", "1") != "1":
            return self._page()
        # The first page is the same for every member (the organisation's objectives: no one's
        # rights, no translated text, only codes), so it is built once per revision of the
        # organisation and day (the verdicts are today's) for each address: its parameters,
        # and the scheme and host its links name. Only an answered page is kept, so a bad
        # parameter is checked (400, in the asker's language) on every request.
        organisation = self.organisation
        data = revision.cached(
            organisation.pk,
            "api-objectives-first-page",
            [request.build_absolute_uri(), calendar.today(organisation)],
            lambda: self._page().data,
        )
        return Response(data)

    def _page(self):
        return self.paginated(
            self.get_queryset(),
            s.ObjectiveSerializer,
            lambda items: _with_numbers(items, self.organisation),
        )

    @extend_schema(
        summary="Create an objective",
        description="Leadership creates strategic objectives (on a year); a team's members and "
        "leadership create the team's (on a quarter), as drafts. Where the organisation runs the "
        "personal OKR pilot, a person creates their own (`level` personal) under one of their "
        "teams' objectives or key results of the quarter: live at once, theirs, never counted "
        "in the team's numbers.",
        request=s.ObjectiveCreateSerializer,
        responses=responses({201: s.ObjectiveSerializer}),
        tags=["objectives"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.ObjectiveCreateSerializer)
        level, team = data["level"], data.get("team")
        if level == Objective.Level.PERSONAL:
            return self._create_personal(request, data)
        if level == Objective.Level.TEAM and team is None:
            raise exceptions.ValidationError({"team": [_("Choose a team in the organisation.")]})
        if level == Objective.Level.STRATEGIC and team is not None:
            raise exceptions.ValidationError({"team": [_("A strategic objective has no team.")]})
        self.require(Action.OBJECTIVE_CREATE, team)
        names = {
            "parent": "parent_key_result" if data.get("parent_key_result") else "parent_objective"
        }
        fields = {
            "organisation": self.organisation,
            "cycle": data["cycle"],
            "title": data["title"],
            "why": data.get("why", ""),
            "owner": data.get("owner"),
            "parent_objective": data.get("parent_objective"),
            "parent_key_result": data.get("parent_key_result"),
            "alignment": data.get("alignment", Objective.Alignment.INDIRECT),
            "author": request.user,
        }
        try:
            if level == Objective.Level.TEAM:
                # As in the workshop: a quarter, a parent of the same year, a status event.
                objective = workshop.workshop_objective_create(team=team, **fields)
            else:
                objective = services.objective_create(level=level, **fields)
        except DjangoValidationError as exc:
            raise rename_errors(exc, names) from None
        return self.answer(s.ObjectiveSerializer, self._reload(objective), status.HTTP_201_CREATED)

    def _create_personal(self, request, data):
        """A personal objective through the personal OKR services (okr.personal.api)."""
        objective = personal_api.create(self.organisation, request.user, data)
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
        "nothing changes. Who may is the policy's (the same as the workshop's): the team, its lead "
        "and the owner change a draft; a proposed objective waits for leadership (409); an "
        "approved one is changed by its owner, the lead and leadership.",
        request=s.ObjectiveUpdateSerializer,
        responses=responses({200: s.ObjectiveSerializer}, conflict=True),
        tags=["objectives"],
    )
    def partial_update(self, request, org_slug, code):
        objective = self.object
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
            updated = services.objective_update(
                objective=objective, version=version, author=request.user, **data
            )
        except DjangoValidationError as exc:
            raise rename_errors(exc, names) from None
        return self.answer(s.ObjectiveSerializer, self._reload(updated))

    @extend_schema(
        summary="Archive an objective",
        description="Archived objectives stay readable (filter `status=archived`).",
        request=None,
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["objectives"],
    )
    def destroy(self, request, org_slug, code):
        services.objective_archive(objective=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Key results ------------------------------------------------------------------------------


class KeyResultViewSet(OrganisationAPI):
    model = KeyResult
    policy_actions = {
        "partial_update": Action.KEY_RESULT_EDIT,
        "destroy": Action.KEY_RESULT_ARCHIVE,
    }
    serializer_class = s.KeyResultSerializer
    filterset_class = filters.KeyResultFilter
    ordering_fields = ["order", "created_at", "updated_at", "title", "last_check_in_at"]
    ordering = ["objective__cycle__start_date", "objective_id", "order", "id"]
    lookup = staticmethod(access.get_key_result_for_user)

    def scoped_queryset(self):
        return KeyResult.objects.filter(organisation=self.organisation).select_related(
            "objective__cycle", "owner"
        )

    def _reload(self, kr):
        return self._with_numbers([self.get_queryset().get(pk=kr.pk)])[0]

    def _with_numbers(self, krs):
        """The engine's numbers on a page of key results (at most 3 queries)."""
        return numbers.annotate_key_results(krs, calendar.today(self.organisation))

    @extend_schema(
        summary="Key results",
        description="Archived key results are included unless you filter `archived=false`.",
        responses=responses({200: s.KeyResultSerializer(many=True)}, forbidden=False),
        tags=["key results"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), s.KeyResultSerializer, self._with_numbers)

    @extend_schema(
        summary="Add a key result to an objective",
        description="Whoever may edit the objective may add key results to it. A metric without a "
        "target is pending (progress follows once the target is set).",
        request=s.KeyResultCreateSerializer,
        responses=responses({201: s.KeyResultSerializer}, conflict=True),
        tags=["key results"],
    )
    def create(self, request, org_slug):
        data = self.parse(s.KeyResultCreateSerializer)
        objective = data.pop("objective")
        self.require(Action.KEY_RESULT_CREATE, objective)
        kr = services.key_result_create(
            author=request.user,
            objective=objective,
            title=data.pop("title"),
            owner=data.pop("owner", None),
            **data,
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
        description="Send the `version` you read (409 if someone saved since). The same rules as "
        "its objective's, and its own owner too.",
        request=s.KeyResultUpdateSerializer,
        responses=responses({200: s.KeyResultSerializer}, conflict=True),
        tags=["key results"],
    )
    def partial_update(self, request, org_slug, code):
        kr = self.object
        data = self.parse(s.KeyResultUpdateSerializer)
        version = data.pop("version")
        steps_total = data.get("steps_total")
        if steps_total is not None and kr.steps_done is not None and kr.steps_done > steps_total:
            raise exceptions.ValidationError(
                {"steps_total": [_("%(done)s steps are already done.") % {"done": kr.steps_done}]}
            )
        updated = services.key_result_update(
            key_result=kr, version=version, author=request.user, **data
        )
        return self.answer(s.KeyResultSerializer, self._reload(updated))

    @extend_schema(
        summary="Archive a key result",
        request=None,
        responses=responses({204: None}, bad_input=False, conflict=True),
        tags=["key results"],
    )
    def destroy(self, request, org_slug, code):
        services.key_result_archive(key_result=self.object, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Check-ins -------------------------------------------------------------------------------


class CheckInViewSet(OrganisationAPI):
    """Append-only: a correction is a new check-in (no update, no delete)."""

    model = CheckIn
    serializer_class = cs.CheckInSerializer
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
        responses=responses({200: cs.CheckInSerializer(many=True)}, forbidden=False),
        tags=["check-ins"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), cs.CheckInSerializer)

    @extend_schema(
        summary="Check in on a key result",
        description="A metric takes `value`; a milestone `done` and, with steps, `steps_done`. "
        "The key result's current value and confidence follow the latest check-in. Owners, the "
        "team's lead and leadership check in. Check-ins cannot be changed or deleted.",
        request=cs.CheckInCreateSerializer,
        responses=responses({201: cs.CheckInSerializer}, conflict=True),
        tags=["check-ins"],
    )
    def create(self, request, org_slug):
        data = self.parse(cs.CheckInCreateSerializer)
        kr = data["key_result"]
        self.require(Action.CHECK_IN, kr)
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
            cs.CheckInSerializer,
            self.get_queryset().get(pk=check_in.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="A check-in",
        responses=responses({200: cs.CheckInSerializer}, bad_input=False, forbidden=False),
        tags=["check-ins"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(cs.CheckInSerializer, self.get_queryset().get(pk=self.object.pk))


# --- Initiatives -----------------------------------------------------------------------------


class InitiativeViewSet(OrganisationAPI):
    model = Initiative
    policy_actions = {"partial_update": Action.INITIATIVE_EDIT}
    serializer_class = cs.InitiativeSerializer
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
        responses=responses({200: cs.InitiativeSerializer(many=True)}, forbidden=False),
        tags=["initiatives"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), cs.InitiativeSerializer)

    @extend_schema(
        summary="Add an initiative to a key result",
        description="The team, the owners and leadership add initiatives to a live key result.",
        request=cs.InitiativeCreateSerializer,
        responses=responses({201: cs.InitiativeSerializer}, conflict=True),
        tags=["initiatives"],
    )
    def create(self, request, org_slug):
        data = self.parse(cs.InitiativeCreateSerializer)
        kr = data["key_result"]
        self.require(Action.INITIATIVE_CREATE, kr)
        initiative = services.initiative_create(
            author=request.user, key_result=kr, title=data["title"], owner=data.get("owner")
        )
        return self.answer(
            cs.InitiativeSerializer,
            self.get_queryset().get(pk=initiative.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="An initiative",
        responses=responses({200: cs.InitiativeSerializer}, bad_input=False, forbidden=False),
        tags=["initiatives"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(cs.InitiativeSerializer, self.get_queryset().get(pk=self.object.pk))

    @extend_schema(
        summary="Set an initiative's status",
        description="Its owner and whoever may edit its key result.",
        request=cs.InitiativeUpdateSerializer,
        responses=responses({200: cs.InitiativeSerializer}, conflict=True),
        tags=["initiatives"],
    )
    def partial_update(self, request, org_slug, code):
        initiative = self.object
        data = self.parse(cs.InitiativeUpdateSerializer)
        services.initiative_set_status(
            initiative=initiative, status=data["status"], author=request.user
        )
        return self.answer(cs.InitiativeSerializer, self.get_queryset().get(pk=initiative.pk))


__all__ = [
    "CheckInViewSet",
    "CycleViewSet",
    "InitiativeViewSet",
    "KeyResultViewSet",
    "ObjectiveViewSet",
]
