"""Reads for the kitchen board: the organisation's links, the link of a secret, and the board.

Every function takes the organisation (or the secret) first and runs a fixed
number of queries whatever the organisation's size. The numbers on the board
are the engine's, set by ``okr.objectives.numbers`` as on the home page and
the strategic page; the next review is ``okr.reviews.selectors.next_review``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from accounts.access import get_for_org
from okr.lib import calendar
from okr.models import BoardLink, Cycle, KeyResult, Objective
from okr.objectives import numbers
from okr.objectives.selectors import (
    HOME_KEY_RESULT_FIELDS,
    HOME_OBJECTIVE_FIELDS,
    cycles_containing,
)
from okr.reviews import selectors as reviews

#: Objectives on one screen: more make the type too small to read from across a kitchen.
OBJECTIVES_PER_SCREEN = 3
#: What the board shows of a team's quarter: agreed objectives, and those waiting for it.
BOARD_STATUSES = (Objective.Status.APPROVED, Objective.Status.PROPOSED)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def links_of(organisation) -> QuerySet:
    """The organisation's board links, newest first, with who made them (1 query)."""
    return BoardLink.objects.filter(organisation=organisation).select_related("created_by")


def get_board_link_for_user(request, code) -> BoardLink:
    """A link of the request's organisation by its public id; 404 for missing and not-yours alike."""
    return get_for_org(request, BoardLink.objects.select_related("created_by"), code)


def link_for_secret(secret: str) -> BoardLink | None:
    """The live link whose secret this is, with its organisation (1 query); ``None`` otherwise.

    The secret is compared by its hash: the row is found by ``sha256(secret)``, so
    neither a timing difference nor the database ever holds the secret itself.
    """
    if not secret or len(secret) > 200:
        return None
    return (
        BoardLink.objects.select_related("organisation")
        .filter(secret_hash=hash_secret(secret), revoked_at=None)
        .first()
    )


@dataclass
class Screen:
    """One screen of the rotation: the strategic OKRs, or (part of) one team's quarter."""

    key: str
    kind: str  # "strategic" or "team"
    title: str
    objectives: list[Objective]
    part: int = 1
    parts: int = 1

    @property
    def size(self) -> str:
        """How large the type can be: "large" for one short objective, "small" for a full screen."""
        krs = max((len(o.key_results.all()) for o in self.objectives), default=0)
        if len(self.objectives) <= 1 and krs <= 4:
            return "large"
        if len(self.objectives) <= 2 and krs <= 4:
            return "medium"
        return "small"


@dataclass
class Board:
    organisation: object
    today: date
    year: Cycle | None
    quarter: Cycle | None
    next_review: reviews.ReviewDay
    screens: list[Screen] = field(default_factory=list)

    @property
    def team_count(self) -> int:
        return len({s.key.split(":")[0] for s in self.screens if s.kind == "team"})


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def board(organisation) -> Board:
    """The kitchen board: strategic OKRs of the year, each team's quarter, the next review.

    One query for the year and quarter, one for every objective on the board, one
    for their key results, the engine's numbers for all of them in one batch (at
    most 3 more), one for the review days: 5 to 8 queries whatever the size.
    """
    today = calendar.today(organisation)
    year, quarter = cycles_containing(organisation, today)
    condition = Q(pk__in=[])
    if year is not None:
        condition |= Q(cycle=year, level=Objective.Level.STRATEGIC)
    if quarter is not None:
        condition |= Q(cycle=quarter, level=Objective.Level.TEAM, status__in=BOARD_STATUSES)
    objectives: list[Objective] = []
    if year is not None or quarter is not None:
        krs = KeyResult.objects.filter(archived=False).only(*HOME_KEY_RESULT_FIELDS)
        objectives = list(
            Objective.objects.filter(condition, organisation=organisation)
            .exclude(status=Objective.Status.ARCHIVED)
            .select_related("team", "cycle")
            .only(*HOME_OBJECTIVE_FIELDS)  # what the engine reads, as on home
            .prefetch_related(Prefetch("key_results", queryset=krs.order_by("order", "id")))
            .order_by("team__order", "team__name", "order", "id")
        )
    numbers.annotate_objectives(objectives, today)
    result = Board(
        organisation=organisation,
        today=today,
        year=year,
        quarter=quarter,
        next_review=reviews.next_review(organisation, today),
    )
    strategic = [o for o in objectives if o.level == Objective.Level.STRATEGIC]
    chunks = _chunks(strategic, OBJECTIVES_PER_SCREEN)
    for index, chunk in enumerate(chunks, start=1):
        result.screens.append(
            Screen(
                key=f"strategic:{index}",
                kind="strategic",
                title=year.label if year else "",
                objectives=chunk,
                part=index,
                parts=len(chunks),
            )
        )
    by_team: dict[int, list[Objective]] = {}
    for objective in objectives:
        if objective.level == Objective.Level.TEAM:
            by_team.setdefault(objective.team_id, []).append(objective)
    for team_objectives in by_team.values():
        team = team_objectives[0].team
        chunks = _chunks(team_objectives, OBJECTIVES_PER_SCREEN)
        for index, chunk in enumerate(chunks, start=1):
            result.screens.append(
                Screen(
                    key=f"{team.uuid}:{index}",
                    kind="team",
                    title=team.name,
                    objectives=chunk,
                    part=index,
                    parts=len(chunks),
                )
            )
    return result
