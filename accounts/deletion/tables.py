"""Which tables hold an organisation's rows, and how a row leads to its organisation.

Found from the models themselves (``django.apps.apps.get_models``), never from a list:
accounts does not import okr or alignment, and a model added later is covered without
being named. A row belongs to an organisation when a chain of foreign keys (each
non-null on the way, shortest first) leads from it to ``accounts.Organisation``:
``organisation``, ``key_result__objective__organisation``, and so on.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.deletion import DatabaseOnDelete

MAX_DEPTH = 5


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    lookup: str  # the lookup from a row to its organisation ("pk" for the organisation)
    first_hop: models.Field | None  # the first foreign key of that chain

    @property
    def depth(self) -> int:
        return 0 if self.lookup == "pk" else self.lookup.count("__") + 1

    @property
    def cascades_in_database(self) -> bool:
        """The database removes these rows with the organisation (``DB_CASCADE``)."""
        return (
            self.depth == 1
            and self.first_hop is not None
            and isinstance(self.first_hop.remote_field.on_delete, DatabaseOnDelete)
        )

    @property
    def left_by_the_collector(self) -> bool:
        """Django's collector leaves these rows (``DO_NOTHING``: django-simple-history's)."""
        return self.depth == 1 and self.first_hop.remote_field.on_delete is models.DO_NOTHING

    @property
    def protects(self) -> bool:
        """A ``PROTECT`` foreign key of this model's (an objective's cycle and team): the
        collector refuses to delete what these rows point to while they exist."""
        return any(
            field.remote_field.on_delete is models.PROTECT for field in _foreign_keys(self.model)
        )

    def rows(self, organisation_id: int) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.lookup: organisation_id})

    def __str__(self):
        return f"{self.model._meta.label} ({self.lookup})"


def _foreign_keys(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one)
    ]


def path_to_organisation(model) -> Table | None:
    """The shortest chain of foreign keys from ``model`` to the organisation, or None."""
    organisation = apps.get_model("accounts", "Organisation")
    if model is organisation:
        return Table(model, "pk", None)
    queue: deque = deque((field, [field.name], field) for field in _foreign_keys(model))
    while queue:
        field, names, first = queue.popleft()
        target = field.related_model
        if target is organisation:
            return Table(model, "__".join(names), first)
        if len(names) < MAX_DEPTH and target is not model:
            queue.extend((f, [*names, f.name], first) for f in _foreign_keys(target))
    return None


def organisation_tables() -> list[Table]:
    """Every table with an organisation's rows (many-to-many tables too), deepest first:
    a row found through its parents is deleted before them."""
    found = [
        table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
        for table in [path_to_organisation(model)]
        if table is not None
    ]
    return sorted(found, key=lambda t: (-t.depth, t.model._meta.label))
