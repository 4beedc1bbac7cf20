"""Alignment on pages the OKR core renders (okr must not import alignment; templates may load this).

    {% load alignment_tags %}
    {% dependencies_for objective %}          a "Dependencies" section (1 query, 3 when there
                                              are some; +1 for a member who is not leadership,
                                              cached per request; nothing and no query for
                                              strategic ones)
    {% dependencies_for key_result %}         the same for a key result
    {% dependencies_for team %}               either side is the team (workshop)
    {% dependencies_for objective compact=True %}   the bare list, nothing when empty (approvals)
    {% key_result_alignment kr %}             dependencies, direct contributions and quarterly
                                              steps of a key result (at most 2 queries)
    {% stepped_expected kr as expected %}     expected progress today through the quarterly
                                              steps (linear without steps), 0..1 (1 query)

The list template ``alignment/includes/dependencies.html`` (``{% dependency_list deps %}``,
HTML written by ``alignment.dependency_list``) can also be included with a
``dependencies`` list of ``alignment.Dependency`` or of ``dependency_list.Item``.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from accounts import policy
from accounts.policy import Action
from alignment import dependency_list as dependency_list_module
from alignment import selectors
from alignment.access import annotate_permissions
from alignment.forms import StepsForm
from okr.lib import calendar
from okr.lib import progress as maths
from okr.models import KeyResult, Objective
from okr.objectives import numbers

register = template.Library()


def _add_url(organisation, thing) -> str | None:
    """A link to the new-dependency form with this side filled in (team objectives and their KRs)."""
    if isinstance(thing, Objective) and thing.level == Objective.Level.TEAM:
        side = f"o:{thing.uuid}"
    elif isinstance(thing, KeyResult) and thing.objective.level == Objective.Level.TEAM:
        side = f"k:{thing.uuid}"
    else:
        return None
    return f"{reverse('alignment:dependencies', args=[organisation.slug])}?needing={side}"


def _is_strategic(thing) -> bool:
    if isinstance(thing, Objective):
        return thing.level == Objective.Level.STRATEGIC
    if isinstance(thing, KeyResult):
        return thing.objective.level == Objective.Level.STRATEGIC
    return False


def _dependencies_context(context, thing, compact=False) -> dict:
    """Dependencies are between teams: a strategic objective or key result has none (no query)."""
    organisation = context.get("organisation")
    membership = context.get("membership")
    strategic = _is_strategic(thing)
    items = (
        selectors.dependencies_for(organisation, thing) if organisation and not strategic else []
    )
    if membership is not None:
        annotate_permissions(items, membership)
    request = context.get("request")
    return {
        "dependencies": items,
        "organisation": organisation,
        "membership": membership,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "compact": compact or strategic,
        "section_id": f"dependencies-{getattr(thing, 'uuid', '')}",
        "add_url": _add_url(organisation, thing) if organisation else None,
    }


@register.simple_tag(takes_context=True)
def dependency_list(context, dependencies):
    """The HTML of a list of dependencies (``alignment/includes/dependencies.html``)."""
    organisation = context.get("organisation")
    request = context.get("request")
    return dependency_list_module.list_html(
        dependencies or [],
        organisation_slug=organisation.slug,
        csrf_token=context.get("csrf_token"),
        next_path=request.get_full_path() if request is not None else "",
    )


@register.inclusion_tag("alignment/includes/dependencies_section.html", takes_context=True)
def dependencies_for(context, thing, compact=False):
    return _dependencies_context(context, thing, compact)


@register.inclusion_tag("alignment/includes/key_result_alignment.html", takes_context=True)
def key_result_alignment(context, kr):
    """Dependencies; for a yearly metric its direct contributions and quarterly steps;
    for a team key result what it adds into."""
    result = _dependencies_context(context, kr)
    objective = kr.objective
    strategic = objective.level == Objective.Level.STRATEGIC and kr.kind == KeyResult.Kind.METRIC
    result |= {"kr": kr, "strategic": strategic, "facts": None, "parent": None}
    if strategic:
        facts = selectors.strategic_facts(kr)
        result["facts"] = facts
        kr_numbers = _numbers(kr, result["organisation"])
        result["sums"] = getattr(kr, "rolled_up", None)
        result["summable"] = maths.unit_is_summable(kr.unit)
        if kr_numbers.stepped:
            result["stepped_expected"] = kr_numbers.expected
            result["stepped_expected_value"] = kr_numbers.expected_amount
        membership = result["membership"]
        steppable = kr.start_value is not None and kr.target_value is not None
        if steppable and facts.quarters and policy.can(membership, Action.KEY_RESULT_SET_STEPS, kr):
            result["steps_form"] = StepsForm(
                key_result=kr, quarters=facts.quarters, auto_id="steps-%s"
            )
    else:
        result["parent"] = selectors.parent_for_contribution(kr)
    return result


@register.simple_tag(takes_context=True)
def stepped_expected(context, kr):
    """Expected progress of a key result today, following its quarterly steps if it has any."""
    return _numbers(kr, context.get("organisation")).expected


def _numbers(kr, organisation) -> maths.KeyResultNumbers:
    """The engine's numbers of the key result (the page has usually set them; else 1-3 queries)."""
    if getattr(kr, "numbers", None) is None:
        numbers.annotate_key_results([kr], calendar.today(organisation))
    return kr.numbers


@register.simple_tag(takes_context=True)
def open_dependencies_by_team(context, team_ids=None) -> dict:
    """Every open dependency of the organisation by team id (1 query; +1 for permissions).

    For pages that list many teams, such as the approval queue, so the number
    of queries does not grow with the number of teams:
    ``{% open_dependencies_by_team as by_team %}`` then ``{% team_dependencies by_team team %}``.
    ``team_ids``: only those with a side in these teams (the teams a page shows).
    """
    organisation = context.get("organisation")
    if organisation is None:
        return {}
    from django.db.models import Q

    from alignment.models import Dependency

    queryset = selectors.dependencies(organisation).filter(state=Dependency.State.OPEN)
    if team_ids is not None:
        queryset = queryset.filter(
            Q(needing_team_id__in=team_ids) | Q(delivering_team_id__in=team_ids)
        )
    items = list(queryset)
    membership = context.get("membership")
    if membership is not None:
        annotate_permissions(items, membership)
    by_team: dict[int, list] = {}
    for item in items:
        by_team.setdefault(item.needing_team_id, []).append(item)
        if item.delivering_team_id != item.needing_team_id:
            by_team.setdefault(item.delivering_team_id, []).append(item)
    return by_team


@register.inclusion_tag("alignment/includes/dependencies_section.html", takes_context=True)
def team_dependencies(context, by_team: dict, team):
    """A team's open dependencies from ``open_dependencies_by_team`` (no query), compact."""
    return {
        "dependencies": by_team.get(team.pk, []),
        "organisation": context.get("organisation"),
        "membership": context.get("membership"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "compact": True,
        "section_id": f"dependencies-{team.uuid}",
        "add_url": None,
    }
