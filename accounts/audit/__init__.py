"""The audit log: one function every service calls when it changes something worth recording.

``record(organisation, actor, action, target, details=...)`` writes one ``AuditEvent``
in the caller's transaction, so a change that is refused or fails (and rolls back)
leaves nothing behind. Services call it after the change succeeded, inside their
``transaction.atomic`` block. ``target`` is duck-typed (``accounts`` never imports
``okr``): any object with a ``uuid`` and a ``title``, ``name``, ``email`` or ``user``.

Reading the log is ``selectors``; the settings page ``views``; the download
``exports``; the API ``api``. Nothing changes or deletes a row (``accounts.models.audit``).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import AuditEvent

Kind = AuditEvent.Kind

__all__ = ["Kind", "label_of", "person_label", "record"]


def person_label(user) -> str:
    """A person as the log keeps them: "Name <e-mail>" (verbatim, even after they are gone)."""
    if user is None:
        return ""
    name, email = (getattr(user, "name", "") or "").strip(), getattr(user, "email", "") or ""
    return f"{name} <{email}>" if name and email else (name or email)[:300]


def label_of(target) -> str:
    """The target as people know it: the person of a membership, else its title or name."""
    explicit = getattr(target, "audit_label", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    user = getattr(target, "user", None)
    if hasattr(target, "role") and hasattr(user, "email"):  # a membership: the person
        return person_label(user)
    for attribute in ("title", "label", "name", "email", "url"):
        value = getattr(target, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(target)


def _type_of(target) -> str:
    explicit = getattr(target, "audit_type", None)
    if explicit:
        return explicit
    meta = getattr(target, "_meta", None)
    return meta.model_name if meta is not None else type(target).__name__.lower()


def _jsonable(details) -> dict:
    """``details`` as stored: dates, decimals and ids as text (a copy, never the caller's dict)."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, default=str))


def record(organisation, actor, action, target=None, *, details=None) -> AuditEvent:
    """Append one event to ``organisation``'s log (an ``Organisation`` or its id).

    ``actor``: the person who acted, ``None`` for the system (a job, the demo).
    ``action``: an ``AuditEvent.Kind``. Call it inside the change's transaction.
    """
    action = Kind(action)
    organisation_id = getattr(organisation, "pk", organisation)
    target_id = getattr(target, "uuid", None) if target is not None else None
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=person_label(actor)[:300],
        action=action,
        target_type=_type_of(target)[:40] if target is not None else "",
        target_id=str(target_id) if target_id is not None else "",
        target_label=label_of(target)[:300] if target is not None else "",
        details=_jsonable(details),
    )
