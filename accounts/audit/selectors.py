"""Reads of the audit log: an organisation's events, newest first, with the filters.

Days are the organisation's calendar days (its time zone): "until 2026-12-06" takes
everything before midnight after that day, in the organisation's zone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet

from accounts.models import AuditEvent, Organisation

SYSTEM = "system"  # the actor filter's value for the system's own events (no person)


@dataclass(frozen=True)
class Filters:
    action: str = ""
    actor: str = ""  # a person's public id, SYSTEM, or "" for everyone
    since: date | None = None
    until: date | None = None

    def as_dict(self) -> dict:
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in vars(self).items()
            if value
        }


def day_start(organisation: Organisation, day: date) -> datetime:
    """Midnight at the start of ``day`` in the organisation's time zone."""
    return datetime.combine(day, time.min, tzinfo=organisation.tz)


def events(organisation: Organisation, filters: Filters = Filters()) -> QuerySet[AuditEvent]:
    """The organisation's events matching ``filters``, newest first (index audit_org_time_idx)."""
    queryset = AuditEvent.objects.filter(organisation=organisation)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.actor == SYSTEM:
        queryset = queryset.filter(actor_label="")
    elif filters.actor:
        queryset = queryset.filter(actor__uuid=uuid.UUID(str(filters.actor)))
    if filters.since:
        queryset = queryset.filter(created_at__gte=day_start(organisation, filters.since))
    if filters.until:
        end = day_start(organisation, filters.until + timedelta(days=1))
        queryset = queryset.filter(created_at__lt=end)
    # The actor's public id comes with the row (one LEFT JOIN), for the API and the export.
    return queryset.annotate(actor_uuid=F("actor__uuid")).order_by("-created_at", "-id")
