"""The organisation URL sweep: every URL pattern under /<org_slug>/, filled in, and one object of each kind.

The tenancy sweep and the security checks both walk the URL resolver with
these, so a page added later is covered by both without being listed.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from alignment.services import dependency_create
from okr.kiosk.selectors import hash_secret
from okr.models import BoardLink
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
    board_link = BoardLink.objects.create(  # the kitchen board (okr.kiosk)
        organisation=org, label="Köket", secret_hash=hash_secret(f"sweep-{org.slug}")
    )
    action = review_action(org, owner, kr)
    personal = personal_objective(org, owner, team)
    check_in, comment, notification = conversation_of(org, owner, objective, kr)
    webhook = webhook_endpoint_of(org)
    chat_hook = chat_hook_of(org, team)
    return [
        objective.uuid,
        kr.uuid,
        initiative.uuid,
        team.uuid,
        membership.uuid,
        invitation.uuid,
        year.uuid,
        dependency.uuid,
        board_link.uuid,
        action.review.uuid,
        action.uuid,
        personal.uuid,
        check_in.uuid,
        comment.uuid,
        notification.uuid,
        webhook.uuid,
        chat_hook.uuid,
    ]


def chat_hook_of(org, team):
    """A team's Slack hook (okr.chat), written by the system."""
    from okr.chat.services import hook_create

    return hook_create(
        organisation=org,
        kind="slack",
        url="https://hooks.slack.com/services/sweep",
        team=team,
        author=None,
    )


def webhook_endpoint_of(org):
    """A webhook endpoint (accounts.webhooks), written by the system."""
    from accounts.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        organisation=org, url="https://hooks.example/okr", events=["ping"], secret="whsec_sweep"
    )


def conversation_of(org, owner, objective, kr):
    """A check-in, a comment on the objective and the owner's notification (okr.conversation)."""
    from okr.conversation import services as conversation
    from okr.models import Notification
    from tests.support.factories import CheckInFactory

    check_in = CheckInFactory(key_result=kr, author=owner)
    comment = conversation.comment_create(target=objective, author=owner, text="Hej")
    notification = Notification.objects.create(
        organisation=org, recipient=owner, kind="mention", comment=comment, objective=objective
    )
    return check_in, comment, notification


def personal_objective(org, owner, team):
    """A person's own objective under a team objective (okr.personal; written by the system)."""
    quarter = year_and_quarter(org)[1]
    parent = ObjectiveFactory(
        organisation=org, cycle=quarter, level="team", team=team, title="Teamets mål"
    )
    return ObjectiveFactory(
        organisation=org,
        cycle=quarter,
        level="personal",
        team=team,
        owner=owner,
        title="Mitt eget mål",
        parent_objective=parent,
    )


def review_action(org, owner, kr):
    """A review with a decision someone carries out (okr.reviews.decisions)."""
    from okr.models import Review, ReviewEntry

    review = Review.objects.create(organisation=org, date=year_and_quarter(org)[1].start_date)
    return ReviewEntry.objects.create(
        organisation=org,
        review=review,
        kind=ReviewEntry.Kind.DECISION,
        text="Anställ en till i produktion",
        author=owner,
        owner=owner,
        key_result=kr,
    )


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
