"""Deleting an organisation: an admin asks (typing its name), any admin may undo it during
the grace period (``ORGANISATION_DELETION_GRACE_DAYS``), then the job deletes every row.

During the grace period the organisation keeps working as usual (every page says when
it goes). The request and the undo are recorded in the audit log and told to the other
admins by e-mail in their language. The deletion removes every row of the organisation
(``tables.organisation_tables``: found from the models, so accounts never imports okr),
the audit log with it (the database cascades it; its trigger allows exactly that), and the
accounts of people who belong to no other organisation (staff accounts stay). Nothing
identifying remains: the log line says only the organisation's number.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit, emails, policy
from accounts.deletion.tables import organisation_tables
from accounts.models import Membership, Organisation, User
from accounts.policy import Action

logger = logging.getLogger(__name__)

NAME_MISMATCH = _("Type the organisation's name exactly as it is written: %(name)s")
ALREADY_PENDING = _("The deletion of this organisation is already requested.")
NOT_PENDING = _("No deletion of this organisation is requested.")


class DeletionConflict(Exception):
    """Not in this state: already requested, or nothing to undo (409 in the API)."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message, self.code = str(message), code


def grace_days() -> int:
    return max(0, int(getattr(settings, "ORGANISATION_DELETION_GRACE_DAYS", 14)))


def requested_by(organisation: Organisation) -> User | None:
    """Who asked (None when nobody did, or their account is gone)."""
    if organisation.deletion_requested_by_id is None:
        return None
    return User.objects.filter(pk=organisation.deletion_requested_by_id).first()


def organisation_deletion_request(
    actor: User | None, organisation: Organisation, typed_name: str, *, now: datetime | None = None
) -> Organisation:
    """Ask for the deletion: ``typed_name`` must be the organisation's name (surrounding
    spaces aside; case matters). It happens ``grace_days()`` from now unless undone."""
    policy.enforce(actor, Action.ORGANISATION_DELETE, organisation=organisation)
    if (typed_name or "").strip() != organisation.name.strip():
        raise ValidationError(
            {"name": [ValidationError(NAME_MISMATCH, "name_mismatch", {"name": organisation.name})]}
        )
    now = now or timezone.now()
    due = now + timedelta(days=grace_days())
    with transaction.atomic():
        claimed = Organisation.objects.filter(
            pk=organisation.pk, deletion_due_at__isnull=True
        ).update(
            deletion_requested_at=now,
            deletion_due_at=due,
            deletion_requested_by=actor if getattr(actor, "pk", None) else None,
        )
        if not claimed:
            raise DeletionConflict(ALREADY_PENDING, "deletion_pending")
        organisation.deletion_requested_at, organisation.deletion_due_at = now, due
        organisation.deletion_requested_by_id = getattr(actor, "pk", None)
        audit.record(
            organisation,
            actor,
            audit.Kind.ORGANISATION_DELETION_REQUESTED,
            organisation,
            details={"due_at": due, "grace_days": grace_days()},
        )
        _tell_other_admins(organisation, actor, "organisation-deletion-requested", due)
    return organisation


def organisation_deletion_cancel(actor: User | None, organisation: Organisation) -> Organisation:
    """Undo a requested deletion (any admin, until it happens)."""
    policy.enforce(actor, Action.ORGANISATION_DELETE, organisation=organisation)
    with transaction.atomic():
        due = organisation.deletion_due_at
        undone = Organisation.objects.filter(
            pk=organisation.pk, deletion_due_at__isnull=False
        ).update(deletion_requested_at=None, deletion_due_at=None, deletion_requested_by=None)
        if not undone:
            raise DeletionConflict(NOT_PENDING, "no_deletion_pending")
        organisation.deletion_requested_at = organisation.deletion_due_at = None
        organisation.deletion_requested_by_id = None
        audit.record(
            organisation,
            actor,
            audit.Kind.ORGANISATION_DELETION_CANCELLED,
            organisation,
            details={"was_due_at": due},
        )
        _tell_other_admins(organisation, actor, "organisation-deletion-cancelled", due)
    return organisation


def _tell_other_admins(organisation, actor, template: str, due) -> None:
    """One e-mail to each admin but ``actor``, in their language, once the change commits."""
    admins = [
        membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, role=Membership.Role.ADMIN
        )
        .exclude(user_id=getattr(actor, "pk", None))
        .select_related("user")
        .order_by("pk")
    ]
    url = settings.SITE_URL + reverse("settings:deletion", args=[organisation.slug])
    context = {
        "organisation": organisation,
        "actor": audit.person_label(actor) if actor is not None else "",
        "due": due,
        "url": url,
    }

    def send():
        for user in admins:
            try:
                emails.send(
                    template,
                    user.email,
                    context,
                    emails.recipient_language(user, organisation),
                )
            except Exception:
                logger.warning("Could not tell %s about organisation %s", user.pk, organisation.pk)

    transaction.on_commit(send, robust=True)


# --- The deletion --------------------------------------------------------------------------------


@dataclass
class Deleted:
    organisation_id: int
    users: int
    seconds: float


def organisation_delete_due(now: datetime | None = None, *, method: str = "raw") -> list[Deleted]:
    """Delete every organisation whose grace period is over. Each is claimed by a conditional
    UPDATE in its own transaction: a second worker's claim waits for the first to commit and
    then matches no row, and an undo that commits first leaves nothing to claim."""
    now = now or timezone.now()
    due = Organisation.objects.filter(deletion_due_at__lte=now).order_by("deletion_due_at")
    done = []
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Organisation.objects.filter(pk=pk, deletion_due_at__lte=now).update(
                deletion_due_at=F("deletion_due_at")  # the row lock is the claim
            )
            if claimed:
                done.append(delete_organisation(pk, method=method))
    return done


def users_only_in(organisation_id: int) -> list[int]:
    """People whose only organisation this is (staff accounts aside: they run the site)."""
    members = Membership.objects.filter(organisation_id=organisation_id).values("user_id")
    elsewhere = Membership.objects.exclude(organisation_id=organisation_id).values("user_id")
    return list(
        User.objects.filter(pk__in=members, is_staff=False, is_superuser=False)
        .exclude(pk__in=elsewhere)
        .values_list("pk", flat=True)
    )


def delete_organisation(organisation_id: int, *, method: str = "raw") -> Deleted:
    """Every row of the organisation, and the accounts of its people who belong nowhere else,
    in one transaction. ``method``: ``"raw"`` deletes table by table (deepest first, one
    ``DELETE`` each, no rows loaded); ``"collector"`` lets Django's collector cascade from
    the organisation (it loads rows with signals into memory; rows with a ``PROTECT`` key
    go first), then removes the rows it leaves (``DO_NOTHING``: the history tables)."""
    started = time.perf_counter()
    with transaction.atomic():
        users = users_only_in(organisation_id)
        tables = organisation_tables()
        if method == "collector":
            for table in tables:  # first what PROTECTs other rows (objectives: cycles, teams)
                if table.protects:
                    table.rows(organisation_id).delete()
            Organisation.objects.filter(pk=organisation_id).delete()
            for table in tables:  # after: deleting rows with history adds history rows
                if table.left_by_the_collector:
                    table.rows(organisation_id)._raw_delete(table.model._base_manager.db)
        elif method == "raw":
            for table in tables:
                if table.cascades_in_database:
                    continue  # the audit log: with the organisation row, by the database
                table.rows(organisation_id)._raw_delete(table.model._base_manager.db)
        else:
            raise ValueError(f"Unknown deletion method {method!r}")
        gone = User.objects.filter(pk__in=users, memberships__isnull=True)
        emails_gone = list(gone.values_list("email", flat=True))
        gone.delete()
        _forget_sign_in_attempts(emails_gone)
    seconds = time.perf_counter() - started
    logger.info(
        "Deleted organisation %s (%s accounts) in %.1f s", organisation_id, len(users), seconds
    )
    return Deleted(organisation_id, len(users), seconds)


def _forget_sign_in_attempts(addresses: list[str]) -> None:
    """django-axes keeps sign-in attempts by e-mail address: personal data of the deleted."""
    from django.apps import apps

    if not addresses or not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        model = apps.get_model("axes", name)
        model.objects.filter(username__in=addresses).delete()
