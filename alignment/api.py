"""The alignment app's API: cross-team dependencies and the alignment tree as nested JSON.

Mounted with the rest of the API under ``/api/v1/<org_slug>/`` (``alignment/api_urls.py``,
included from okr/urls.py). Built on ``okr.api``: the organisation of the URL is resolved
first (404 for non-members, and for a token made for another organisation), then the
object of a ``code`` through ``alignment.access`` (404 for another organisation's id,
whatever the method), then the role (403), then the input (400 with field errors).
Writes go through ``alignment.services``, reads through ``alignment.selectors``, the
same functions the pages call.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from alignment import selectors, services
from alignment.access import annotate_permissions, get_dependency_for_user
from alignment.forms import STATUS_CHOICES
from alignment.models import Dependency
from okr.api import filters as api_filters
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import serializers as s
from okr.objectives.api import OrganisationAPI, responses

SIDE_ERROR = gettext_lazy("Choose a team objective or one of its key results.")

# --- Dependencies: serializers -----------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Dependency",
            response_only=True,
            value={
                "id": s.EXAMPLE_ID,
                "state": "open",
                "description": "Den norska säljaren behöver produktkatalogen på norska.",
                "needed_by": "2026-02-15",
                "needing_team": s.EXAMPLE_ID_2,
                "needing_team_name": "Försäljning",
                "needing_objective": s.EXAMPLE_ID_2,
                "needing_objective_title": "Stå rustade för framtida ökad tillväxttakt",
                "needing_key_result": s.EXAMPLE_ID_2,
                "needing_key_result_title": "Rekrytera 2 norska säljare",
                "delivering_team": s.EXAMPLE_ID,
                "delivering_team_name": "Marknad",
                "delivering_objective": s.EXAMPLE_ID,
                "delivering_objective_title": "Leverera det marknadsmaterial som behövs "
                "för säljtester i Norge",
                "delivering_key_result": s.EXAMPLE_ID,
                "delivering_key_result_title": "Produktkatalog på norska till tryck senast 15/3",
                "delivery_due": "2026-03-15",
                "delivered": False,
                "late": True,
                "can_manage": True,
                "created_by": s.EXAMPLE_USER,
                "created_at": s.EXAMPLE_TIME,
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
    needing_team = s.PublicId()
    needing_team_name = serializers.CharField(source="needing_team.name", read_only=True)
    needing_objective = s.PublicId()
    needing_objective_title = serializers.CharField(
        source="needing_objective.title", read_only=True
    )
    needing_key_result = s.PublicId(allow_null=True)
    needing_key_result_title = serializers.CharField(
        source="needing_key_result.title", read_only=True, allow_null=True
    )
    delivering_team = s.PublicId()
    delivering_team_name = serializers.CharField(source="delivering_team.name", read_only=True)
    delivering_objective = s.PublicId()
    delivering_objective_title = serializers.CharField(
        source="delivering_objective.title", read_only=True
    )
    delivering_key_result = s.PublicId(allow_null=True)
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
    created_by = s.PublicId(allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _objectives(organisation):
    return Objective.objects.filter(organisation=organisation).select_related("cycle")


def _key_results(organisation):
    return KeyResult.objects.filter(organisation=organisation).select_related("objective__cycle")


def _side(kind: str, help_text: str):
    queryset = _objectives if kind == "objective" else _key_results
    label = gettext_lazy("objective") if kind == "objective" else gettext_lazy("key result")
    return s.Reference(
        queryset=queryset, kind=label, required=False, allow_null=True, help_text=help_text
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The Norwegian seller needs the catalogue",
            request_only=True,
            value={
                "needing_key_result": s.EXAMPLE_ID_2,
                "delivering_key_result": s.EXAMPLE_ID,
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
    description = s.TextField(max_length=2000, help_text="What is needed.")
    needed_by = serializers.DateField(help_text="The date it is needed by.")

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
    state = s.ChoiceField(choices=Dependency.State.choices, help_text="Resolve or reopen.")


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

    def _check_manage(self, dependency):
        annotate_permissions([dependency], self.membership)
        if not dependency.can_manage:
            self.forbid(_("Only leadership and the leads of either team may change this."))

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
        self._check_manage(dependency)
        data = self.parse(DependencyUpdateSerializer)
        services.dependency_set_state(dependency=dependency, state=data["state"])
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
        self._check_manage(dependency)
        services.dependency_delete(dependency=dependency)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The tree: query parameters ----------------------------------------------------------------


class StrictIntParam(serializers.IntegerField):
    """A whole number written with digits only (not "3.0", not " 3")."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"-?[0-9]{1,6}", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class TreeQuerySerializer(serializers.Serializer):
    year = StrictIntParam(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="The (fiscal) year; default: the current one.",
    )
    quarter = StrictIntParam(
        min_value=1, max_value=4, required=False, help_text="Only this quarter's team objectives."
    )
    team = serializers.UUIDField(
        required=False, help_text="Only this team's objectives (and its sub-teams')."
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES, required=False, help_text="Only team objectives in this status."
    )
    at_risk = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        help_text="true: only team objectives at risk or behind pace.",
    )
    owner = serializers.UUIDField(
        required=False,
        help_text="A member's user id: team objectives they own or own a key result of.",
    )


# --- The tree: response (documentation of what ``tree_json`` writes) -----------------------------


class TreeCycleSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=Cycle.Kind.choices)
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    state = serializers.ChoiceField(choices=Cycle.State.choices)


class TreeKeyResultBase(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=KeyResult.Kind.choices)
    unit = serializers.CharField(allow_blank=True)
    start_value = s.NumberOut(allow_null=True)
    target_value = s.NumberOut(allow_null=True, help_text="null: pending.")
    current_value = s.NumberOut(allow_null=True)
    done = serializers.BooleanField()
    steps_done = serializers.IntegerField(allow_null=True)
    steps_total = serializers.IntegerField(allow_null=True)
    owner = serializers.UUIDField(allow_null=True, help_text="The owner's user id.")
    progress = serializers.FloatField(allow_null=True, help_text="0 to 1; null: not measurable.")
    expected = serializers.FloatField(
        allow_null=True, help_text="Where it should be by today (0 to 1)."
    )
    behind = serializers.BooleanField(help_text="Behind the expected pace.")
    confidence = serializers.CharField(allow_blank=True, help_text="'' before any check-in.")
    url = serializers.URLField(help_text="Its page.")
    api_url = serializers.URLField()


class TreeContributionSerializer(serializers.Serializer):
    value = s.NumberOut(allow_null=True)
    into = serializers.UUIDField(help_text="The strategic key result it adds into.")
    unit = serializers.CharField(allow_blank=True)


class TreeTeamKeyResultSerializer(TreeKeyResultBase):
    contribution = TreeContributionSerializer(
        allow_null=True,
        help_text="What it adds into the strategic key result (direct links, same unit only).",
    )


class TreeTeamObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Objective.Status.choices)
    team = serializers.UUIDField(allow_null=True)
    cycle = serializers.UUIDField(allow_null=True, help_text="Its quarter.")
    owner = serializers.UUIDField(allow_null=True)
    alignment = serializers.ChoiceField(choices=Objective.Alignment.choices)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    behind = serializers.BooleanField()
    confidence = serializers.CharField(allow_blank=True, help_text="Its key results' worst.")
    at_risk = serializers.BooleanField()
    orphan_reason = serializers.CharField(
        allow_blank=True,
        help_text="Among the orphans: 'none' (no parent) or 'elsewhere' (the parent is archived "
        "or in another year); '' otherwise.",
    )
    url = serializers.URLField()
    api_url = serializers.URLField()
    key_results = TreeTeamKeyResultSerializer(many=True)


class TreeTeamGroupSerializer(serializers.Serializer):
    team = serializers.UUIDField(allow_null=True)
    team_name = serializers.CharField()
    progress = serializers.FloatField(allow_null=True)
    confidence = serializers.CharField(allow_blank=True)
    at_risk_count = serializers.IntegerField()
    objectives = TreeTeamObjectiveSerializer(many=True)


class TreeStrategicKeyResultSerializer(TreeKeyResultBase):
    current_from_children = serializers.BooleanField()
    covered = serializers.BooleanField(help_text="A team objective of the period supports it.")
    stepped = serializers.BooleanField(help_text="The expected pace follows quarterly steps.")
    expected_value = serializers.FloatField(allow_null=True)
    direct_total = s.NumberOut(
        allow_null=True, help_text="The sum of the direct contributions over the year."
    )
    direct_count = serializers.IntegerField()
    teams = TreeTeamGroupSerializer(many=True, help_text="Team objectives aligned to it, by team.")


class TreeStrategicObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Objective.Status.choices)
    owner = serializers.UUIDField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    behind = serializers.BooleanField()
    confidence = serializers.CharField(allow_blank=True)
    at_risk = serializers.BooleanField()
    covered = serializers.BooleanField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    key_results = TreeStrategicKeyResultSerializer(many=True)
    teams = TreeTeamGroupSerializer(
        many=True, help_text="Team objectives aligned to the objective itself, by team."
    )


class TreeUncoveredObjectiveSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()


class TreeUncoveredKeyResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    objective = serializers.UUIDField()


class TreeDependencySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    description = serializers.CharField()
    needed_by = serializers.DateField()
    due = serializers.DateField()
    late = serializers.BooleanField()
    needing_team_name = serializers.CharField()
    needing_node = serializers.UUIDField(help_text="The needing key result, else objective.")
    needing_title = serializers.CharField()
    delivering_team_name = serializers.CharField()
    delivering_node = serializers.UUIDField()
    delivering_title = serializers.CharField()


TREE_EXAMPLE = {
    "vision": "Snabb och miljövänlig kommunikation",
    "mission": "",
    "today": "2026-02-02",
    "year": {
        "id": s.EXAMPLE_ID_2,
        "label": "2026",
        "kind": "year",
        "year": 2026,
        "quarter": None,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "state": "active",
    },
    "quarter": None,
    "quarters": [],
    "strategic_objectives": [
        {
            "id": s.EXAMPLE_ID,
            "title": "Kommande år vårt starkaste tillväxtår någonsin",
            "status": "approved",
            "owner": s.EXAMPLE_USER,
            "progress": 0.2,
            "expected": 0.08,
            "behind": False,
            "confidence": "on_track",
            "at_risk": False,
            "covered": True,
            "url": "https://okr.example/dpab/objectives/3fa85f64-5717-4562-b3fc-2c963f66afa6/",
            "api_url": "https://okr.example/api/v1/dpab/objectives/"
            "3fa85f64-5717-4562-b3fc-2c963f66afa6/",
            "key_results": [],
            "teams": [],
        }
    ],
    "orphans": [],
    "uncovered_objectives": [],
    "uncovered_key_results": [],
    "dependencies": [],
}


@extend_schema_serializer(examples=[OpenApiExample("Tree", response_only=True, value=TREE_EXAMPLE)])
class TreeSerializer(serializers.Serializer):
    vision = serializers.CharField(allow_blank=True)
    mission = serializers.CharField(allow_blank=True)
    today = serializers.DateField(help_text="Today in the organisation's time zone.")
    year = TreeCycleSerializer(allow_null=True, help_text="null: no cycles yet.")
    quarter = TreeCycleSerializer(allow_null=True, help_text="The quarter filtered on.")
    quarters = TreeCycleSerializer(many=True)
    strategic_objectives = TreeStrategicObjectiveSerializer(many=True)
    orphans = TreeTeamGroupSerializer(
        many=True, help_text="Team objectives whose parent is not in the tree, by team."
    )
    uncovered_objectives = TreeUncoveredObjectiveSerializer(
        many=True, help_text="Strategic objectives no team objective of the period supports."
    )
    uncovered_key_results = TreeUncoveredKeyResultSerializer(many=True)
    dependencies = TreeDependencySerializer(many=True, help_text="Open dependencies of the year.")


# --- The tree: building the JSON ------------------------------------------------------------------

_PLACEHOLDER = uuid.UUID(int=0)


def _url_maker(base: str, name: str, organisation) -> Callable[[str], str]:
    """A fast ``uuid -> absolute URL`` for many nodes: reverse once, then put the uuid in."""
    head, tail = reverse(name, args=[organisation.slug, _PLACEHOLDER]).split(str(_PLACEHOLDER))
    head = base + head
    return lambda code: f"{head}{code}{tail}"


class Links:
    def __init__(self, request, organisation):
        base = request.build_absolute_uri("/")[:-1]
        self.objective_page = _url_maker(base, "okr:objective_detail", organisation)
        self.key_result_page = _url_maker(base, "okr:key_result_detail", organisation)
        self.objective_api = _url_maker(base, "api:objective-detail", organisation)
        self.key_result_api = _url_maker(base, "api:key-result-detail", organisation)


def _cycle_json(cycle: Cycle | None) -> dict | None:
    if cycle is None:
        return None
    return {
        "id": str(cycle.uuid),
        "label": cycle.label,
        "kind": cycle.kind,
        "year": cycle.year,
        "quarter": cycle.quarter,
        "start_date": cycle.start_date.isoformat(),
        "end_date": cycle.end_date.isoformat(),
        "state": cycle.state,
    }


def tree_json(
    loaded: selectors.AlignmentTree,
    organisation,
    choices: selectors.TreeChoices,
    links: Links,
    today,
) -> dict:
    """The tree as plain JSON-ready dicts (no serializer per node: a large tree has ~10,000)."""
    people = {p.id: str(p.uuid) for p in choices.people}
    teams = {t.id: t for t in choices.teams}
    cycles = {c.id: str(c.uuid) for c in choices.cycles}
    number = s.format_decimal
    tree = loaded.tree
    strategic_nodes = tree.strategic if tree is not None else []
    strategic_kr_codes = {
        kr.row.id: str(kr.row.uuid) for node in strategic_nodes for kr in node.key_results
    }
    strategic_codes = {node.row.id: str(node.row.uuid) for node in strategic_nodes}

    def key_result(node) -> dict:
        row = node.row
        code = str(row.uuid)
        return {
            "id": code,
            "title": row.title,
            "kind": row.kind,
            "unit": row.unit,
            "start_value": number(row.start_value),
            "target_value": number(row.target_value),
            "current_value": number(row.current_value),
            "done": bool(row.done),
            "steps_done": row.steps_done,
            "steps_total": row.steps_total,
            "owner": people.get(row.owner_id),
            "progress": node.progress,
            "expected": node.expected,
            "behind": node.behind,
            "confidence": row.confidence or "",
            "url": links.key_result_page(code),
            "api_url": links.key_result_api(code),
        }

    def team_key_result(node) -> dict:
        data = key_result(node)
        given = node.contribution
        data["contribution"] = (
            None
            if given is None
            else {
                "value": number(given.value),
                "into": strategic_kr_codes[given.parent_id],
                "unit": given.unit,
            }
        )
        return data

    def team_objective(node) -> dict:
        row = node.row
        code = str(row.uuid)
        team = teams.get(row.team_id)
        return {
            "id": code,
            "title": row.title,
            "status": row.status,
            "team": str(team.uuid) if team is not None else None,
            "cycle": cycles.get(row.cycle_id),
            "owner": people.get(row.owner_id),
            "alignment": row.alignment,
            "progress": node.progress,
            "expected": node.expected,
            "behind": node.behind,
            "confidence": node.confidence or "",
            "at_risk": node.at_risk,
            "orphan_reason": node.orphan_reason,
            "url": links.objective_page(code),
            "api_url": links.objective_api(code),
            "key_results": [team_key_result(kr) for kr in node.key_results],
        }

    def group(g) -> dict:
        return {
            "team": str(g.team.uuid) if g.team.uuid is not None else None,
            "team_name": g.team.name,
            "progress": g.progress,
            "confidence": g.confidence or "",
            "at_risk_count": g.at_risk_count,
            "objectives": [team_objective(node) for node in g.objectives],
        }

    def strategic_key_result(node) -> dict:
        data = key_result(node)
        data.update(
            {
                "current_from_children": node.row.current_from_children,
                "covered": node.covered,
                "stepped": node.stepped,
                "expected_value": node.expected_value,
                "direct_total": number(node.direct_total),
                "direct_count": node.direct_count,
                "teams": [group(g) for g in node.groups],
            }
        )
        return data

    def strategic_objective(node) -> dict:
        row = node.row
        code = str(row.uuid)
        return {
            "id": code,
            "title": row.title,
            "status": row.status,
            "owner": people.get(row.owner_id),
            "progress": node.progress,
            "expected": node.expected,
            "behind": node.behind,
            "confidence": node.confidence or "",
            "at_risk": node.at_risk,
            "covered": node.covered,
            "url": links.objective_page(code),
            "api_url": links.objective_api(code),
            "key_results": [strategic_key_result(kr) for kr in node.key_results],
            "teams": [group(g) for g in node.groups],
        }

    return {
        "vision": organisation.vision,
        "mission": organisation.mission,
        "today": today.isoformat(),
        "year": _cycle_json(loaded.year),
        "quarter": _cycle_json(loaded.quarter),
        "quarters": [_cycle_json(q) for q in loaded.quarters],
        "strategic_objectives": [strategic_objective(node) for node in strategic_nodes],
        "orphans": [group(g) for g in tree.orphans] if tree is not None else [],
        "uncovered_objectives": [
            {"id": str(n.row.uuid), "title": n.row.title}
            for n in (tree.uncovered_objectives if tree is not None else [])
        ],
        "uncovered_key_results": [
            {
                "id": str(n.row.uuid),
                "title": n.row.title,
                "objective": strategic_codes[n.row.objective_id],
            }
            for n in (tree.uncovered_key_results if tree is not None else [])
        ],
        "dependencies": [
            {
                "id": str(d.uuid),
                "description": d.description,
                "needed_by": d.needed_by.isoformat(),
                "due": d.due.isoformat(),
                "late": d.late,
                "needing_team_name": d.needing_team,
                "needing_node": str(d.needing_code),
                "needing_title": d.needing_title,
                "delivering_team_name": d.delivering_team,
                "delivering_node": str(d.delivering_code),
                "delivering_title": d.delivering_title,
            }
            for d in loaded.dependencies
        ],
    }


class AlignmentTreeView(OrganisationAPI):
    model = Objective
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="The alignment tree",
        description="One year as nested JSON: the vision and mission, the strategic objectives "
        "with their key results, the team objectives aligned to each (grouped by team, direct or "
        "indirect) with their key results; the orphans (team objectives whose parent is not in "
        "the tree), what no team objective supports (uncovered) and the open dependencies. The "
        "same filters as the page; coverage and contributions never change with the team, "
        "status, risk and owner filters.",
        parameters=[TreeQuerySerializer],
        responses=responses({200: TreeSerializer}, forbidden=False),
        tags=["alignment"],
    )
    def retrieve(self, request, org_slug):
        # A plain dict, not the QueryDict: a parameter that is present must have a value
        # (``?team=`` is an error, not "no filter"), as in the lists' filters.
        query = TreeQuerySerializer(data={k: v for k, v in request.query_params.items()})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        organisation = self.organisation
        choices = selectors.tree_choices(organisation)
        errors = {}
        year = params.get("year")
        if year is not None and not any(y.year == year for y in choices.years):
            errors["year"] = [_("There is no such year in this organisation.")]
        team = None
        if "team" in params:
            team = next((t for t in choices.teams if t.uuid == params["team"]), None)
            if team is None:
                errors["team"] = [_("There is no such team in this organisation.")]
        owner = None
        if "owner" in params:
            owner = next((p for p in choices.people if p.uuid == params["owner"]), None)
            if owner is None:
                errors["owner"] = [_("There is no such person in this organisation.")]
        if errors:
            raise exceptions.ValidationError(errors)
        today = timezone.localdate(timezone=organisation.tz)
        loaded = selectors.alignment_tree(
            organisation,
            choices,
            today=today,
            year=year,
            quarter=params.get("quarter"),
            team=team,
            status=params.get("status") or None,
            at_risk=params.get("at_risk") == "true",
            owner=owner,
        )
        return Response(
            tree_json(loaded, organisation, choices, Links(request, organisation), today)
        )


__all__ = ["AlignmentTreeView", "DependencyViewSet", "tree_json"]
