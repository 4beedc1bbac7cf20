"""Reads for personal OKRs: the pilot, the parents a person may choose, their own OKRs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch

from accounts.models import Organisation, TeamMembership
from okr.lib import calendar
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import selectors as objective_selectors
from okr.objectives.selectors import live_key_results

#: The team objectives a personal one may sit under: live in the quarter.
PARENT_STATUSES = (Objective.Status.APPROVED, Objective.Status.PROPOSED)


def pilot_on(organisation: Organisation) -> bool:
    return bool(organisation.personal_okrs)


def current_quarter(organisation: Organisation) -> Cycle | None:
    """The quarter of today, if it has been created (1 query)."""
    return objective_selectors.cycle_containing(
        organisation, calendar.today(organisation), Cycle.Kind.QUARTER
    )


@dataclass
class Parents:
    """The team objectives (with their live key results) a person may write under."""

    objectives: list[Objective]

    def choices(self) -> list[tuple[str, str]]:
        """``(token, label)``: "o:<uuid>" for an objective, "k:<uuid>" for a key result."""
        out = []
        for objective in self.objectives:
            out.append((f"o:{objective.uuid}", f"{objective.team.name}: {objective.title}"))
            for kr in objective.key_results.all():
                out.append(
                    (f"k:{kr.uuid}", f"{objective.team.name}: {objective.title} → {kr.title}")
                )
        return out

    def find(self, token: str) -> tuple[Objective | None, KeyResult | None]:
        kind, _sep, code = (token or "").partition(":")
        for objective in self.objectives:
            if kind == "o" and str(objective.uuid) == code:
                return objective, None
            for kr in objective.key_results.all():
                if kind == "k" and str(kr.uuid) == code:
                    return None, kr
        return None, None


def parent_by_token(
    organisation: Organisation, quarter: Cycle | None, token: str
) -> tuple[Objective | None, KeyResult | None]:
    """Any live team objective ("o:<uuid>") or key result ("k:<uuid>") of ``quarter`` (1 query).

    Not only the person's teams': whether they may write under it is the policy's
    answer (403), as in the API.
    """
    kind, _sep, code = (token or "").partition(":")
    try:
        code = uuid.UUID(code)
    except ValueError:
        return None, None
    if quarter is None or kind not in ("o", "k"):
        return None, None
    live = {"organisation": organisation, "cycle": quarter, "level": Objective.Level.TEAM}
    if kind == "o":
        objective = (
            Objective.objects.filter(uuid=code, status__in=PARENT_STATUSES, **live)
            .select_related("team", "cycle", "organisation")
            .first()
        )
        return objective, None
    kr = (
        KeyResult.objects.filter(
            uuid=code,
            archived=False,
            objective__status__in=PARENT_STATUSES,
            **{f"objective__{k}": v for k, v in live.items()},
        )
        .select_related("objective__team", "objective__cycle", "organisation")
        .first()
    )
    return None, kr


def parents_for(organisation: Organisation, user, quarter: Cycle | None) -> Parents:
    """The live objectives of ``user``'s teams in ``quarter`` and their key results (2 queries)."""
    if quarter is None:
        return Parents([])
    my_teams = TeamMembership.objects.filter(user=user, team__organisation=organisation).values(
        "team_id"
    )
    objectives = (
        Objective.objects.filter(
            organisation=organisation,
            cycle=quarter,
            level=Objective.Level.TEAM,
            status__in=PARENT_STATUSES,
            team_id__in=my_teams,
        )
        .select_related("team", "cycle")
        .prefetch_related(Prefetch("key_results", queryset=live_key_results()))
        .order_by("team__order", "team__name", "order", "id")
    )
    return Parents(list(objectives))


def personal_objectives(organisation: Organisation, user, quarter: Cycle | None) -> list[Objective]:
    """``user``'s live personal objectives of ``quarter``, with key results and numbers."""
    if quarter is None:
        return []
    objectives = list(
        objective_selectors.objectives_with_key_results(
            organisation, cycle=quarter, level=Objective.Level.PERSONAL, owner=user
        ).order_by("order", "id")
    )
    return objective_selectors.annotate_progress(objectives, quarter, calendar.today(organisation))
