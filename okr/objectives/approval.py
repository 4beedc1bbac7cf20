"""Approved stays approved: what a change to an approved team objective or key result does.

Leadership approved the set as it was. A material change afterwards (the
target, kind, direction or commitment of a key result, the parent of an
objective: ``accounts.policy.MATERIAL_FIELDS``) by anyone but leadership sends
the objective back to proposed; leadership's own material changes keep the
approval and read "changed after approval"; text fixes (title, why, owner,
weight) keep it too. Every one of them is an ``ObjectiveEvent`` whose
``changes`` hold each field's value before and after, as text, so the approval
queue shows leadership exactly what changed.

``objectives.services.objective_update`` and ``key_result_update`` (the one
write path of the pages, the API and the jobs) read ``before_edit`` before they
set the new values, ``change_of`` before they save and ``record`` after.
Whether a change goes back to leadership is the policy's answer
(``policy.enforce_change(...).reapproval``); here it is described and recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from okr.conversation import notify
from okr.models import KeyResult, Objective, ObjectiveEvent

Kind = ObjectiveEvent.Kind
OBJECTIVE_FIELDS = ("title", "why", "owner", "alignment")
KEY_RESULT_FIELDS = (
    "title",
    "kind",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "due_date",
    "steps_total",
    "commitment",
    "owner",
    "weight",
)


@dataclass
class Change:
    """What saving ``fields`` does to an approved team objective (empty ``changes``: nothing)."""

    objective: Objective | None = None
    changes: list[dict] = field(default_factory=list)
    send_back: bool = False

    @property
    def material(self) -> bool:
        return any(c["material"] for c in self.changes)

    @property
    def kind(self) -> str:
        if self.send_back:
            return Kind.REAPPROVAL
        return Kind.AMENDED if self.material else Kind.TEXT_FIX


NOTHING = Change()


def _text(value) -> str | None:
    """A value as the record keeps it: numbers without trailing zeros, people and OKRs by name."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, User):
        return value.name or value.email
    if isinstance(value, Objective | KeyResult):
        return value.title
    return str(value)


def _same(old, new) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, Objective | KeyResult) or isinstance(new, Objective | KeyResult):
        return type(old) is type(new) and old.pk == new.pk  # a parent objective or key result
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()  # the services strip texts
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(str(old)) == Decimal(str(new))
    return getattr(old, "pk", old) == getattr(new, "pk", new)


def _entry(subject, kind: str, title: str, name: str, before, after, material: bool) -> dict:
    return {
        "object": kind,
        "uuid": str(subject.uuid),
        "title": title,
        "field": name,
        "before": _text(before.strip() if isinstance(before, str) else before),
        "after": _text(after.strip() if isinstance(after, str) else after),
        "material": material,
    }


def _applies(objective: Objective) -> bool:
    return objective.level == Objective.Level.TEAM and objective.status == Objective.Status.APPROVED


def _settle(objective: Objective, changes: list[dict], reapproval: bool) -> Change:
    if not changes:
        return NOTHING
    material = any(c["material"] for c in changes)
    return Change(objective=objective, changes=changes, send_back=material and reapproval)


def before_edit(obj: Objective | KeyResult, objective: Objective) -> dict | None:
    """The values an edit may change, read before it (None: not an approved team objective)."""
    if not _applies(objective):
        return None
    if isinstance(obj, KeyResult):
        return {name: getattr(obj, name) for name in KEY_RESULT_FIELDS}
    return {name: getattr(obj, name) for name in OBJECTIVE_FIELDS} | {"parent": obj.parent}


def change_of(
    obj: Objective | KeyResult, objective: Objective, before: dict | None, *, reapproval: bool
) -> Change:
    """After the edit's values are set on ``obj`` (not yet saved): what the save amounts to.

    ``reapproval`` is the policy's answer for the person who saves (``policy.enforce_change``):
    a material change by anyone but leadership sends the objective back; a job's
    (no person) and leadership's are recorded only.
    """
    if before is None:
        return NOTHING
    is_kr = isinstance(obj, KeyResult)
    action = policy.Action.KEY_RESULT_EDIT if is_kr else policy.Action.OBJECTIVE_EDIT
    material_fields = set(policy.MATERIAL_FIELDS[action]) | {"parent"}
    changes = []
    for name, old in before.items():
        new = obj.parent if name == "parent" else getattr(obj, name)
        if _same(old, new):
            continue
        kind = "key_result" if is_kr else "objective"
        title = before.get("title") or obj.title  # as leadership approved it
        changes.append(_entry(obj, kind, title, name, old, new, name in material_fields))
    return _settle(objective, changes, reapproval)


def record(change: Change, author: User | None) -> ObjectiveEvent | None:
    """Write the event of a saved change (after ``send_back`` moved the status, if it did)."""
    if not change.changes:
        return None
    objective = change.objective
    if change.send_back:  # leadership must approve it again: tell them (after the commit)
        notify.approval_requested([objective], author)
    return ObjectiveEvent.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        kind=change.kind,
        from_status=Objective.Status.APPROVED,
        to_status=Objective.Status.PROPOSED if change.send_back else Objective.Status.APPROVED,
        changes=change.changes,
        author=author,
    )


# --- Reading: what the pages show ------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    subject: str  # the key result's title ("" for the objective itself)
    before: str
    after: str
    material: bool


def _labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "why": _("Why"),
        "owner": _("Owner"),
        "parent": _("Supports"),
        "alignment": _("How"),
        "kind": _("Kind"),
        "unit": _("Unit"),
        "direction": _("Direction"),
        "start_value": _("Start"),
        "target_value": _("Target"),
        "due_date": _("Due date"),
        "steps_total": _("Steps"),
        "commitment": _("Commitment"),
        "weight": _("Weight"),
    }


CHOICES = {
    "alignment": Objective.Alignment,
    "kind": KeyResult.Kind,
    "direction": KeyResult.Direction,
    "commitment": KeyResult.Commitment,
}


def _shown(name: str, value: str | None) -> str:
    from okr.templatetags.okr_tags import number

    if value is None or value == "":
        return _("pending") if name == "target_value" else "–"
    if name in CHOICES:
        return str(dict(CHOICES[name].choices).get(value, value))
    if name in ("start_value", "target_value", "weight", "steps_total"):
        return number(Decimal(value))
    if name == "due_date":
        return date_format(date.fromisoformat(value), "ABBR_DATE_FORMAT")
    return value


def rows(event: ObjectiveEvent) -> list[ChangeRow]:
    """The event's changes as the pages show them (labels and values in the reader's language)."""
    labels = _labels()
    return [
        ChangeRow(
            label=labels.get(c["field"], c["field"]),
            subject=c["title"] if c["object"] == "key_result" else "",
            before=_shown(c["field"], c["before"]),
            after=_shown(c["field"], c["after"]),
            material=c["material"],
        )
        for c in event.changes
    ]


def notice(objective: Objective, events: list[ObjectiveEvent]) -> ObjectiveEvent | None:
    """The change the owner, the lead and leadership should see on the objective, if any.

    A change that sent it back (while it waits for approval), or leadership's
    own change (while it stays approved), with ``change_rows`` set.
    """
    last = events[-1] if events else None
    if last is None:
        return None
    waiting = last.kind == Kind.REAPPROVAL and objective.status == Objective.Status.PROPOSED
    amended = last.kind == Kind.AMENDED and objective.status == Objective.Status.APPROVED
    if not (waiting or amended):
        return None
    if not hasattr(last, "change_rows"):
        last.change_rows = rows(last)
    return last


def attach_events(objective: Objective, events: list[ObjectiveEvent]) -> Objective:
    """Set ``event_list`` (each change with ``change_rows``) and ``approval_notice`` (no query)."""
    for event in events:
        event.change_rows = rows(event) if event.changes else []
    objective.event_list = events
    objective.approval_notice = notice(objective, events)
    return objective


def notice_of(objective: Objective) -> ObjectiveEvent | None:
    """``notice`` for one objective's page (one query, none for strategic objectives)."""
    if objective.level != Objective.Level.TEAM:
        return None
    last = objective.events.select_related("author").order_by("-created_at", "-id").first()
    return notice(objective, [last] if last else [])
