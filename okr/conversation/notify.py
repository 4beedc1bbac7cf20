"""Notifications other features send: approvals asked for and decided, and actions due.

The workshop's services call ``approval_requested``, ``approval_decided`` after
a status change; each queues its notifications for after the commit
(``transaction.on_commit``), so a refused or rolled-back change tells nobody,
and a failure here never undoes the change. ``actions_due`` is the daily job's
(``okr.conversation.tasks``): it claims by inserting, so a rerun tells nobody twice.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.db.models import Q

from accounts.models import Membership, Organisation, TeamMembership
from okr.chat import events as chat_events
from okr.conversation import delivery
from okr.lib import calendar
from okr.models import Notification, Objective, ReviewEntry

logger = logging.getLogger(__name__)

Kind = Notification.Kind


def _after_commit(work) -> None:
    def run():
        try:
            work()
        except Exception:
            logger.exception("Could not write notifications")

    transaction.on_commit(run)


def _leadership_ids(organisation_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role__in=[Membership.Role.ADMIN, Membership.Role.LEADERSHIP],
        ).values_list("user_id", flat=True)
    )


def _lead_ids(team_id: int | None) -> list[int]:
    if team_id is None:
        return []
    return list(
        TeamMembership.objects.filter(team_id=team_id, is_lead=True).values_list(
            "user_id", flat=True
        )
    )


def _create(rows: list[Notification]) -> None:
    delivery.deliver(rows)


def approval_requested(objectives: list[Objective], author) -> None:
    """A team proposed its objectives: each of leadership is told once for the set."""
    if not objectives:
        return
    chat_events.approval_requested(objectives)  # Slack and Teams (okr.chat), in this transaction
    first = objectives[0]
    team_name = first.team.name if first.team_id else ""
    actor_id = getattr(author, "pk", None)

    def work():
        _create(
            [
                Notification(
                    organisation_id=first.organisation_id,
                    recipient_id=user_id,
                    kind=Kind.APPROVAL_REQUESTED,
                    actor_id=actor_id,
                    objective=first,
                    title=team_name[:300],
                    excerpt="\n".join(o.title for o in objectives)[:300],
                )
                for user_id in _leadership_ids(first.organisation_id)
                if user_id != actor_id
            ]
        )

    _after_commit(work)


def approval_decided(objective: Objective, author, kind: str, comment: str = "") -> None:
    """Leadership approved or sent back ``objective``: its owner and the team's leads are told."""
    actor_id = getattr(author, "pk", None)
    chat_events.approval_decided(objective, kind == Kind.APPROVED, comment)

    def work():
        recipients = {*_lead_ids(objective.team_id)}
        if objective.owner_id:
            recipients.add(objective.owner_id)
        recipients.discard(actor_id)
        _create(
            [
                Notification(
                    organisation_id=objective.organisation_id,
                    recipient_id=user_id,
                    kind=kind,
                    actor_id=actor_id,
                    objective=objective,
                    title=objective.title[:300],
                    excerpt=" ".join((comment or "").split())[:300],
                )
                for user_id in sorted(recipients)
            ]
        )

    _after_commit(work)


def actions_due(organisation: Organisation, today: date | None = None) -> int:
    """Tell each owner of an open action due today (or overdue and never told); returns how many.

    The insert is the claim: a notification per action and owner is unique, so a
    rerun, or two runs at once, insert nothing new.
    """
    today = today or calendar.today(organisation)
    due = (
        ReviewEntry.objects.filter(
            organisation=organisation,
            owner__isnull=False,
            done_at__isnull=True,
            due_date__lte=today,
        )
        .filter(Q(owner__memberships__organisation=organisation))
        .select_related("review", "key_result")
        .order_by("due_date", "id")
    )
    rows = [
        Notification(
            organisation=organisation,
            recipient_id=entry.owner_id,
            kind=Kind.ACTION_DUE,
            review=entry.review,
            key_result=entry.key_result,
            action_uuid=entry.uuid,
            title=" ".join(entry.text.split())[:300],
            excerpt=entry.due_date.isoformat(),
        )
        for entry in due
    ]
    told = Notification.objects.filter(organisation=organisation, kind=Kind.ACTION_DUE)
    before = told.count()
    delivery.deliver(rows, ignore_conflicts=True)
    return told.count() - before
