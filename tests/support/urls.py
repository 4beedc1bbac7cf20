"""The organisation URL sweep: every URL pattern under /<org_slug>/, filled in, and one object of each kind.

The tenancy sweep and the security checks both walk the URL resolver with
these, so a page added later is covered by both without being listed.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from alignment.services import dependency_create
from tests.support.factories import (
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    UserFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

KNOWN_PARAMETERS = {"org_slug", "code"}


def every_pattern():
    """(url route, name) of every URL pattern in the project."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route, entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                found.append((route, f"{namespace}:{entry.name}" if namespace else entry.name))

    walk(get_resolver().url_patterns, "", None)
    return found


def organisation_patterns():
    """(route, name) for every URL pattern that takes an organisation slug."""
    return [(route, name) for route, name in every_pattern() if "<slug:org_slug>" in route]


def fill(route, org_slug, code):
    parameters = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
    unknown = parameters - KNOWN_PARAMETERS
    assert not unknown, f"Teach the tenancy sweep about {unknown} in {route}"
    url = re.sub(r"<slug:org_slug>", org_slug, route)
    url = re.sub(r"<(?:\w+:)?code>", str(code), url)
    return "/" + url.lstrip("^").rstrip("$")


def fill_any(route: str, code) -> str:
    """Any route filled in: Acme's slug, ``code`` for a public id, "x" for any other parameter."""
    url = re.sub(r"<slug:org_slug>", "acme", route)
    url = re.sub(r"<(?:\w+:)?code>", str(code), url)
    url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
    return "/" + url.lstrip("^").rstrip("$")


def objects_of(org, owner):
    """One object of every kind that has a public id in a URL, all inside ``org``."""
    year, _ = year_and_quarter(org)
    objective = strategic_objective(org, year, title="Ett mål")
    kr = metric_kr(objective, title="10 nya kunder", owner=owner, target=10)
    initiative = InitiativeFactory(key_result=kr, title="Ringa kunder")
    team = TeamFactory(organisation=org, name="Team X")
    membership = MembershipFactory(organisation=org, user=UserFactory())
    invitation = InvitationFactory(organisation=org)
    dependency = dependency_between_two_teams(org, team)
    return [
        objective.uuid,
        kr.uuid,
        initiative.uuid,
        team.uuid,
        membership.uuid,
        invitation.uuid,
        year.uuid,
        dependency.uuid,
    ]


def dependency_between_two_teams(org, team):
    quarter = year_and_quarter(org)[1]

    def team_objective(team_, title):
        return ObjectiveFactory(
            organisation=org, cycle=quarter, level="team", team=team_, title=title
        )

    return dependency_create(
        organisation=org,
        needing_objective=team_objective(team, "Behöver material"),
        delivering_objective=team_objective(TeamFactory(organisation=org), "Levererar material"),
        description="Material på norska",
        needed_by=quarter.start_date,
    )
