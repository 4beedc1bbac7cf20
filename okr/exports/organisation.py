"""The whole organisation as one JSON document, written as a stream (``okr.exports.importing`` reads it).

::

    {"format": "okr-organisation", "version": 1, "exported_at": "…",
     "left_out": [{"what": …, "why": …}, …],
     "organisation": {…},
     "users": [
    {…},
    {…}
    ],
     "teams": [
    …
    ]}

One row per line (JSON with sorted keys), each table in a stable order, so the
same organisation gives the same bytes in any database apart from ``exported_at``.
Rows are read per table with ``iterator(chunk_size=CHUNK)``: one query per table
however large the organisation, and memory stays flat. References are public ids
(UUIDs); rows of tables without one are known by what they point to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation, User
from okr.exports import sections as spec
from okr.exports.sections import Section

CHUNK = 2000


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _lookups(section: Section) -> list[tuple[str, str]]:
    """(key in the document, ``values()`` lookup) of each field written."""
    pairs = []
    for f in section.fields():
        if f.is_relation:
            pairs.append((f.name, f"{f.name}__uuid"))
        else:
            pairs.append((f.name, f.attname))
    return pairs


def section_queryset(section: Section, organisation: Organisation) -> QuerySet:
    """The section's rows of ``organisation`` (the rows a deletion of it would remove)."""
    if section.model is User:
        return users_of(organisation)
    queryset = section.model._default_manager.filter(**{section.scope: organisation})
    if section.history_of is not None:  # versions of rows that still exist
        live = section.history_of._default_manager.filter(organisation=organisation)
        queryset = queryset.filter(uuid__in=live.values("uuid"))
    return queryset


def users_of(organisation: Organisation) -> QuerySet:
    """The people of the organisation: its members and everyone its rows name (one query)."""
    condition = Q(memberships__organisation=organisation)
    for section in spec.sections():
        if section.model is User:
            continue
        for f in section.fields():
            if f.is_relation and f.related_model is User:
                rows = section.model._default_manager.filter(**{section.scope: organisation})
                condition |= Q(pk__in=rows.exclude(**{f.attname: None}).values(f.attname))
    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


def rows(section: Section, organisation: Organisation) -> Iterator[dict]:
    """The section's rows as the document holds them, in its order."""
    pairs = _lookups(section)
    queryset = section_queryset(section, organisation).order_by(*section.order)
    m2m = section.many_to_many()
    annotations = {
        f"{f.name}__m2m": ArrayAgg(
            f"{f.name}__uuid", distinct=True, filter=Q(**{f"{f.name}__isnull": False})
        )
        for f in m2m
    }
    if annotations:
        queryset = queryset.annotate(**annotations)
    lookups = [lookup for _, lookup in pairs] + list(annotations)
    for values in queryset.values(*lookups).iterator(chunk_size=CHUNK):
        row = {key: spec.encode(values[lookup]) for key, lookup in pairs}
        for f in m2m:
            row[f.name] = sorted(str(code) for code in values[f"{f.name}__m2m"] or [])
        yield row


def organisation_row(organisation: Organisation) -> dict:
    return {
        f.name: spec.encode(getattr(organisation, f.attname)) for f in spec.organisation_fields()
    }


def stream(organisation: Organisation, *, exported_at: str | None = None) -> Iterator[str]:
    """The document in pieces (a line or a few at a time), for a streaming response or a file."""
    organisation = Organisation.objects.get(pk=organisation.pk)  # its settings as stored now
    header = {
        "format": spec.FORMAT,
        "version": spec.VERSION,
        "exported_at": exported_at or timezone.now().isoformat(),
        "left_out": spec.left_out(),
    }
    head = ", ".join(
        f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items()
    )
    yield "{" + head + ",\n"
    yield f'"organisation": {_dumps(organisation_row(organisation))}'
    for section in spec.sections():
        yield f',\n"{section.name}": ['
        yield from _table(rows(section, organisation))
        yield "]"
    yield "}\n"


def _table(items: Iterable[dict]) -> Iterator[str]:
    buffer: list[str] = []
    separator = "\n"
    for row in items:
        buffer.append(separator + _dumps(row))
        separator = ",\n"
        if len(buffer) >= 200:
            yield "".join(buffer)
            buffer = []
    if separator != "\n":  # rows were written: the closing bracket on a line of its own
        yield "".join(buffer) + "\n"


def write(organisation: Organisation, file, *, exported_at: str | None = None) -> None:
    """Write the document to a text file."""
    for piece in stream(organisation, exported_at=exported_at):
        file.write(piece)


def as_text(organisation: Organisation) -> str:
    return "".join(stream(organisation))
