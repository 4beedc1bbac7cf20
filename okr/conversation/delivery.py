"""Writing notifications, and keeping the bell's number (``Membership.unread_notifications``).

The bell shows the count from the membership every organisation page loads anyway,
so it costs no query. Every change to a person's unread notifications goes
through here and recounts theirs in one UPDATE with a subquery (exact, never
incremented blindly, so it cannot drift).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Membership
from okr.models import Notification


def recount(organisation_id: int, user_ids: Iterable[int]) -> None:
    """Set the bell's number of each of ``user_ids`` in the organisation from their rows."""
    user_ids = set(user_ids)
    if not user_ids:
        return
    unread = (
        Notification.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            recipient_id=OuterRef("user_id"),
            read_at__isnull=True,
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Membership.objects.filter(organisation_id=organisation_id, user_id__in=user_ids).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


def deliver(rows: list[Notification], *, ignore_conflicts: bool = False) -> None:
    """Write ``rows`` (a conflict with a unique notification skips it) and recount the bells."""
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=ignore_conflicts)
    people: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        people[row.organisation_id].add(row.recipient_id)
    for organisation_id, user_ids in people.items():
        recount(organisation_id, user_ids)
