"""API of the alignment tree: one year as nested JSON, with the same filters as the page.

``tree_json`` writes the loaded tree (``alignment.selectors.alignment_tree``) as plain
dicts; ``tree_schema`` documents their shape.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from accounts.api.base import OrganisationAPI, responses
from alignment import selectors
from alignment.api.tree_schema import TreeQuerySerializer, TreeSerializer
from okr.api.fields import format_decimal
from okr.lib import calendar
from okr.models import Cycle, Objective

# --- The tree: building the JSON ------------------------------------------------------------------

_PLACEHOLDER = uuid.UUID(int=0)


def _url_maker(base: str, name: str, organisation) -> Callable[[str], str]:
    """A fast ``uuid -> absolute URL`` for many nodes: reverse once, then put the uuid in."""
    head, tail = reverse(name, args=[organisation.slug, _PLACEHOLDER]).split(str(_PLACEHOLDER))
    head = base + head
    return lambda code: f"{head}{code}{tail}"


class Links:
    """The absolute URLs of a node's page and API, made fast for many nodes."""

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


def numbers_json(numbers) -> dict:
    """The engine's numbers of a node, as every page shows them."""
    return {
        "progress": numbers.progress,
        "expected": numbers.expected,
        "behind": numbers.behind,
        "verdict": numbers.verdict,
        "verdict_colour": numbers.colour,
        "score": numbers.score,
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
    number = format_decimal
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
            "current_value": number(node.current),
            "done": bool(row.done),
            "steps_done": row.steps_done,
            "steps_total": row.steps_total,
            "owner": people.get(row.owner_id),
            "commitment": row.commitment,
            **numbers_json(node.numbers),
            "confidence": row.confidence or "",
            "url": links.key_result_page(code),
            "api_url": links.key_result_api(code),
        }

    def personal(nodes) -> list[dict]:
        """Personal objectives under a team objective or key result (never counted)."""
        return [
            {
                "id": str(n.row.uuid),
                "title": n.row.title,
                "owner": people.get(n.row.owner_id),
                **numbers_json(n.numbers),
                "url": links.objective_page(str(n.row.uuid)),
                "api_url": links.objective_api(str(n.row.uuid)),
                "key_results": [key_result(kr) for kr in n.key_results],
            }
            for n in nodes
        ]

    def team_key_result(node) -> dict:
        data = key_result(node)
        data["personal"] = personal(node.personal)
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
            **numbers_json(node.numbers),
            "confidence": node.confidence or "",
            "at_risk": node.at_risk,
            "orphan_reason": node.orphan_reason,
            "url": links.objective_page(code),
            "api_url": links.objective_api(code),
            "key_results": [team_key_result(kr) for kr in node.key_results],
            "personal": personal(node.personal),
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
                "rollup": node.row.rollup,
                "covered": node.covered,
                "stepped": node.stepped,
                "expected_value": number(node.numbers.expected_amount),
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
            **numbers_json(node.numbers),
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
        today = calendar.today(organisation)
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


__all__ = ["AlignmentTreeView", "tree_json"]
