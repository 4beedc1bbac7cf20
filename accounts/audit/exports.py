"""The audit log as CSV or JSON, streamed: rows are read 2 000 at a time and written as they come.

Column names are stable identifiers (not translated); times are ISO 8601 in the
organisation's time zone. In CSV a text a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets an apostrophe in front.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AuditEvent, Organisation

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "id",
    "created_at",
    "actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "details",
]


def record_of(event: AuditEvent, organisation: Organisation) -> dict:
    """One event as the export and the API write it (``actor_uuid`` annotated by the query)."""
    return {
        "id": str(event.uuid),
        "created_at": timezone.localtime(event.created_at, organisation.tz).isoformat(),
        "actor_id": str(event.actor_uuid) if getattr(event, "actor_uuid", None) else None,
        "actor": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target": event.target_label,
        "details": event.details,
    }


def _rows(queryset: QuerySet[AuditEvent], organisation: Organisation) -> Iterator[dict]:
    for event in queryset.iterator(chunk_size=CHUNK):
        yield record_of(event, organisation)


class _Line:
    """A file-like object for ``csv.writer`` that hands back what it is given."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_stream(queryset: QuerySet[AuditEvent], organisation: Organisation) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for row in _rows(queryset, organisation):
        yield writer.writerow([_cell(row[name]) for name in COLUMNS])


def json_stream(
    queryset: QuerySet[AuditEvent], organisation: Organisation, filters: dict
) -> Iterator[str]:
    head = {
        "organisation": {"id": str(organisation.uuid), "slug": organisation.slug},
        "exported_at": timezone.localtime(timezone.now(), organisation.tz).isoformat(),
        "filters": filters,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "events": ['
    first = True
    for row in _rows(queryset, organisation):
        yield ("\n" if first else ",\n") + json.dumps(
            row, ensure_ascii=False, cls=DjangoJSONEncoder
        )
        first = False
    yield "\n]}\n"
