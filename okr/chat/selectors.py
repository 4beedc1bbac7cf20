"""Reads of the chat notifications: the hooks a person may manage, one hook by its public id."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from accounts.access import get_for_org, get_team_for_user
from accounts.models import Team
from accounts.policy import actor_of
from okr.models import ChatHook, ChatMessage


def lead_team_ids(membership) -> set[int]:
    """The teams this person leads (whose hooks they manage)."""
    return set(actor_of(membership).lead_team_ids) if membership is not None else set()


def is_admin(membership) -> bool:
    return actor_of(membership).is_admin


def hooks_of(organisation, *, team_ids: set[int] | None = None) -> QuerySet:
    """The organisation's hooks (``team_ids``: only those teams'), each with its latest message
    (2 queries with the page's teams: the hooks, and the latest states in one subquery)."""
    latest = ChatMessage.objects.filter(hook=OuterRef("pk")).order_by("-created_at", "-id")
    queryset = (
        ChatHook.objects.filter(organisation=organisation)
        .select_related("team", "created_by")
        .annotate(
            last_state=Subquery(latest.values("state")[:1]),
            last_error=Subquery(latest.values("last_error")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
    )
    if team_ids is not None:
        queryset = queryset.filter(team_id__in=team_ids)
    return queryset


def visible_hooks(request) -> QuerySet:
    """The hooks the request's person manages: all for admins, their teams' for leads."""
    membership = request.membership
    team_ids = None if is_admin(membership) else lead_team_ids(membership)
    return hooks_of(request.organisation, team_ids=team_ids)


def teams_for(request) -> QuerySet:
    """The teams a hook may be made for by this person."""
    teams = Team.objects.filter(organisation=request.organisation).order_by("name")
    if is_admin(request.membership):
        return teams
    return teams.filter(pk__in=lead_team_ids(request.membership))


def team_of(request, code) -> Team | None:
    """The organisation's team with public id ``code`` (a hook's form names it), or ``None``."""
    try:
        return get_team_for_user(request, code)
    except Http404:
        return None


def get_chat_hook_for_user(request, code) -> ChatHook:
    """A hook of the request's organisation by its public id; 404 for missing and not-yours."""
    return get_for_org(request, ChatHook.objects.select_related("team", "organisation"), code)
