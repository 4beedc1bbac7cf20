"""API of cross-team dependencies: list, add, read, resolve or reopen, delete.

Anyone in the organisation reads and adds them; leadership and the leads of either
team resolve, reopen and delete them (``alignment.access.annotate_permissions``).
Writes go through ``alignment.services``, the list through ``alignment.selectors``.
"""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from accounts.api import fields as f
from accounts.api import filters as api_filters
from accounts.api.base import OrganisationAPI, responses
from accounts.api.schema import not_null
from accounts.policy import Action
from alignment import selectors, services
from alignment.access import annotate_permissions, get_dependency_for_user
from alignment.models import Dependency
from okr.api.fields import DayField
from okr.models import Cycle, KeyResult, Objective

SIDE_ERROR = gettext_lazy("Choose a team objective or one of its key results.")

# --- Dependencies: serializers -----------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Dependency",
            response_only=True,
            value={
                "id": f.EXAMPLE_ID,
                "state": "open",
                "description": "Den norska säljaren behöver produktkatalogen på norska.",
                "needed_by": "2026-02-15",
                "needing_team": f.EXAMPLE_ID_2,
                "needing_team_name": "Försäljning",
                "needing_objective": f.EXAMPLE_ID_2,
                "needing_objective_title": "Stå rustade för framtida ökad tillväxttakt",
                "needing_key_result": f.EXAMPLE_ID_2,
                "needing_key_result_title": "Rekrytera 2 norska säljare",
                "delivering_team": f.EXAMPLE_ID,
                "delivering_team_name": "Marknad",
                "delivering_objective": f.EXAMPLE_ID,
                "delivering_objective_title": "Leverera det marknadsmaterial som behövs "
                "för säljtester i Norge",
                "delivering_key_result": f.EXAMPLE_ID,
                "delivering_key_result_title": "Produktkatalog på norska till tryck senast 15/3",
                "delivery_due": "2026-03-15",
                "delivered": False,
                "late": True,
                "can_manage": True,
                "created_by": f.EXAMPLE_USER,
                "created_at": f.EXAMPLE_TIME,
                "resolved_at": None,
            },
        )
    ]
)
class DependencySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    state = serializers.ChoiceField(choices=Dependency.State.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    needed_by = serializers.DateField(read_only=True)
    needing_team = f.PublicId()
    needing_team_name = serializers.CharField(source="needing_team.name", read_only=True)
    needing_objective = f.PublicId()
    needing_objective_title = serializers.CharField(
        source="needing_objective.title", read_only=True
    )
    needing_key_result = f.PublicId(allow_null=True)
    needing_key_result_title = serializers.CharField(
        source="needing_key_result.title", read_only=True, allow_null=True
    )
    delivering_team = f.PublicId()
    delivering_team_name = serializers.CharField(source="delivering_team.name", read_only=True)
    delivering_objective = f.PublicId()
    delivering_objective_title = serializers.CharField(
        source="delivering_objective.title", read_only=True
    )
    delivering_key_result = f.PublicId(allow_null=True)
    delivering_key_result_title = serializers.CharField(
        source="delivering_key_result.title", read_only=True, allow_null=True
    )
    delivery_due = serializers.DateField(
        read_only=True,
        help_text="When the delivering side is due: its key result's deadline, else the end of "
        "its cycle.",
    )
    delivered = serializers.BooleanField(
        source="is_delivered",
        read_only=True,
        help_text="The delivering key result is a done milestone or a metric at its target.",
    )
    late = serializers.BooleanField(
        source="is_late",
        read_only=True,
        help_text="Open, not delivered, and due after the date it is needed.",
    )
    can_manage = serializers.BooleanField(
        read_only=True,
        help_text="Whether you may resolve, reopen or delete it (leadership and the leads of "
        "either team).",
    )
    created_by = f.PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _objectives(organisation):
    return Objective.objects.filter(organisation=organisation).select_related("cycle")


def _key_results(organisation):
    return KeyResult.objects.filter(organisation=organisation).select_related("objective__cycle")


def _side(kind: str, help_text: str):
    queryset = _objectives if kind == "objective" else _key_results
    label = gettext_lazy("objective") if kind == "objective" else gettext_lazy("key result")
    return f.Reference(
        queryset=queryset, kind=label, required=False, allow_null=True, help_text=help_text
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The Norwegian seller needs the catalogue",
            request_only=True,
            value={
                "needing_key_result": f.EXAMPLE_ID_2,
                "delivering_key_result": f.EXAMPLE_ID,
                "description": "Den norska säljaren behöver produktkatalogen på norska.",
                "needed_by": "2026-02-15",
            },
        )
    ]
)
class DependencyCreateSerializer(serializers.Serializer):
    needing_objective = _side(
        "objective",
        "The team objective that needs something (may be left out when its key result is given).",
    )
    needing_key_result = _side("key_result", "One of its key results, if that is what needs it.")
    delivering_objective = _side(
        "objective",
        "Another team's objective that delivers it (may be left out when its key result is given).",
    )
    delivering_key_result = _side("key_result", "One of its key results, if that delivers it.")
    description = f.TextField(max_length=2000, help_text="What is needed.")
    needed_by = DayField(help_text="The date it is needed by.")

    # Each side names its objective or one of its key results (checked in validate).
    schema_rules = {
        "allOf": [
            {"anyOf": [not_null("needing_objective"), not_null("needing_key_result")]},
            {"anyOf": [not_null("delivering_objective"), not_null("delivering_key_result")]},
        ]
    }

    def to_internal_value(self, data):
        """Report a side that names nothing together with the other fields' errors."""
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            errors = dict(exc.detail) if isinstance(exc.detail, dict) else {}
            if not errors or not isinstance(data, Mapping):
                raise
            for side in ("needing", "delivering"):
                names = (f"{side}_objective", f"{side}_key_result")
                if all(data.get(n) is None and n not in errors for n in names):
                    errors[f"{side}_objective"] = [SIDE_ERROR]
            raise serializers.ValidationError(errors) from None

    def validate(self, data):
        """The same choices as the page's form: a live team objective of a cycle that is not
        closed, or one of its live key results."""
        errors = {}
        for side in ("needing", "delivering"):
            objective = data.get(f"{side}_objective")
            kr = data.get(f"{side}_key_result")
            field = f"{side}_key_result" if kr is not None else f"{side}_objective"
            if objective is None and kr is not None:
                objective = data[f"{side}_objective"] = kr.objective
            if (
                objective is None
                or objective.level != Objective.Level.TEAM
                or objective.status == Objective.Status.ARCHIVED
                or objective.cycle.state == Cycle.State.CLOSED
                or (kr is not None and (kr.objective_id != objective.id or kr.archived))
            ):
                errors[field] = [SIDE_ERROR]
        if errors:
            raise serializers.ValidationError(errors)
        return data


@extend_schema_serializer(
    examples=[OpenApiExample("Resolve", request_only=True, value={"state": "resolved"})]
)
class DependencyUpdateSerializer(serializers.Serializer):
    state = f.ChoiceField(choices=Dependency.State.choices, help_text="Resolve or reopen.")


# --- Dependencies: filters -------------------------------------------------------------------


class DependencyFilter(api_filters.StrictFilterSet):
    state = django_filters.ChoiceFilter(choices=Dependency.State.choices, label="Open or resolved.")
    team = django_filters.UUIDFilter(
        method="filter_team", label="A team id: dependencies where it needs or delivers."
    )
    needing_team = api_filters.by_id("needing_team__uuid", "The needing team's id.")
    delivering_team = api_filters.by_id("delivering_team__uuid", "The delivering team's id.")
    late = api_filters.YesNoFilter(
        method="filter_late",
        label="true: only the flagged ones (open, not delivered, due after they are needed).",
    )

    class Meta:
        model = Dependency
        fields = ["state", "team", "needing_team", "delivering_team", "late"]

    def filter_team(self, queryset, name, value):
        return queryset.filter(Q(needing_team__uuid=value) | Q(delivering_team__uuid=value))

    def filter_late(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        # Late depends on the delivering key result's progress: the selector works it out
        # for every open dependency in one query, as the pages do.
        late = [
            row.uuid for row in selectors.open_dependencies(self.request.organisation) if row.late
        ]
        if value == "true":
            return queryset.filter(uuid__in=late)
        return queryset.exclude(uuid__in=late)


# --- Dependencies: views ---------------------------------------------------------------------


def _rename_side_errors(exc: DjangoValidationError, data: dict) -> exceptions.ValidationError:
    """The service names a side ``needing``/``delivering``: answer with the field that was sent."""
    errors = serializers.as_serializer_error(exc)
    renamed = {}
    for name, messages in errors.items():
        if name in ("needing", "delivering"):
            name = (
                f"{name}_key_result"
                if data.get(f"{name}_key_result") is not None
                else f"{name}_objective"
            )
        renamed[name] = messages
    return exceptions.ValidationError(renamed)


class DependencyViewSet(OrganisationAPI):
    model = Dependency
    policy_actions = {
        "partial_update": Action.DEPENDENCY_MANAGE,
        "destroy": Action.DEPENDENCY_MANAGE,
    }
    serializer_class = DependencySerializer
    filterset_class = DependencyFilter
    ordering_fields = ["needed_by", "created_at", "state", "resolved_at"]
    ordering = ["state", "needed_by", "id"]
    lookup = staticmethod(get_dependency_for_user)

    def scoped_queryset(self):
        return selectors.dependencies(self.organisation)

    def _prepare(self, items):
        return annotate_permissions(items, self.membership)

    def _one(self, dependency):
        return self._prepare([self.get_queryset().get(pk=dependency.pk)])[0]

    @extend_schema(
        summary="Dependencies between teams",
        description="Every dependency of the organisation, open ones first by the date they are "
        "needed. `late=true` lists the flagged ones; `team` matches either side.",
        responses=responses({200: DependencySerializer(many=True)}, forbidden=False),
        tags=["dependencies"],
    )
    def list(self, request, org_slug):
        return self.paginated(self.get_queryset(), DependencySerializer, self._prepare)

    @extend_schema(
        summary="Add a dependency",
        description="Anyone in the organisation: a team objective (or one of its key results) "
        "needs something from another team's objective (or key result) by a date. Objectives "
        "of closed cycles and archived ones cannot be chosen.",
        request=DependencyCreateSerializer,
        responses=responses({201: DependencySerializer}, forbidden=False),
        tags=["dependencies"],
    )
    def create(self, request, org_slug):
        data = self.parse(DependencyCreateSerializer)
        try:
            dependency = services.dependency_create(
                organisation=self.organisation,
                needing_objective=data["needing_objective"],
                needing_key_result=data.get("needing_key_result"),
                delivering_objective=data["delivering_objective"],
                delivering_key_result=data.get("delivering_key_result"),
                description=data["description"],
                needed_by=data["needed_by"],
                created_by=request.user,
            )
        except DjangoValidationError as exc:
            raise _rename_side_errors(exc, data) from None
        return self.answer(DependencySerializer, self._one(dependency), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A dependency",
        responses=responses({200: DependencySerializer}, bad_input=False, forbidden=False),
        tags=["dependencies"],
    )
    def retrieve(self, request, org_slug, code):
        return self.answer(DependencySerializer, self._one(self.object))

    @extend_schema(
        summary="Resolve or reopen a dependency",
        description="Leadership and the leads of either team.",
        request=DependencyUpdateSerializer,
        responses=responses({200: DependencySerializer}),
        tags=["dependencies"],
    )
    def partial_update(self, request, org_slug, code):
        dependency = self.object
        data = self.parse(DependencyUpdateSerializer)
        services.dependency_set_state(
            dependency=dependency, state=data["state"], author=request.user
        )
        return self.answer(DependencySerializer, self._one(dependency))

    @extend_schema(
        summary="Delete a dependency",
        description="Leadership and the leads of either team.",
        request=None,
        responses=responses({204: None}, bad_input=False),
        tags=["dependencies"],
    )
    def destroy(self, request, org_slug, code):
        dependency = self.object
        services.dependency_delete(dependency=dependency, author=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


__all__ = ["DependencyViewSet"]
