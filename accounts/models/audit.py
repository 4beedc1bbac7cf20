"""The audit log: who did what to the organisation, and when. Append-only.

Rows are written by ``accounts.audit.record`` (inside the transaction of the change
they describe) and never changed or removed by the application:

- ``AuditEvent.save`` refuses an existing row and ``delete`` refuses always; the
  default manager's queryset refuses ``update`` and ``delete``;
- on PostgreSQL a trigger (migration ``accounts.0003``) refuses ``UPDATE`` and
  ``DELETE`` whatever the client, with two exceptions that are not edits of the log:
  the actor's account being deleted (``actor`` is set to NULL, every other column
  unchanged: ``actor_label`` keeps the name) and the whole organisation being
  deleted (the database cascades ``organisation``'s delete, ``DB_CASCADE``, and the
  trigger lets a row go only when its organisation row is already gone).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """The audit log is append-only: its rows are never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("The audit log is append-only: its rows cannot be updated.")

    def delete(self):
        raise AppendOnly("The audit log is append-only: its rows cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    """One thing someone (or the system) did to an organisation."""

    class Kind(models.TextChoices):
        MEMBER_ADDED = "member.added", _("Member added")
        MEMBER_ROLE_CHANGED = "member.role_changed", _("Role changed")
        MEMBER_REMOVED = "member.removed", _("Member removed")
        INVITATION_SENT = "invitation.sent", _("Invitation sent")
        INVITATION_RESENT = "invitation.resent", _("Invitation sent again")
        INVITATION_REVOKED = "invitation.revoked", _("Invitation withdrawn")
        INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
        SETTINGS_CHANGED = "settings.changed", _("Settings changed")
        SSO_CHANGED = "sso.changed", _("Single sign-on changed")
        WEBHOOK_CREATED = "webhook.created", _("Webhook added")
        WEBHOOK_CHANGED = "webhook.changed", _("Webhook changed")
        WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated", _("Webhook secret rotated")
        WEBHOOK_DISABLED = "webhook.disabled", _("Webhook turned off after failures")
        WEBHOOK_DELETED = "webhook.deleted", _("Webhook deleted")
        CHAT_HOOK_CREATED = "chat_hook.created", _("Chat notifications added")
        CHAT_HOOK_DISABLED = "chat_hook.disabled", _("Chat notifications turned off")
        CHAT_HOOK_DELETED = "chat_hook.deleted", _("Chat notifications removed")
        OBJECTIVE_APPROVED = "objective.approved", _("Objective approved")
        OBJECTIVE_CHANGES_REQUESTED = "objective.changes_requested", _("Changes requested")
        SCORE_OVERRIDDEN = "score.overridden", _("Score overridden")
        QUARTER_CLOSED = "quarter.closed", _("Quarter closed")
        TOKEN_CREATED = "token.created", _("API token made")
        TOKEN_REVOKED = "token.revoked", _("API token revoked")
        BOARD_LINK_CREATED = "board_link.created", _("Kitchen board link made")
        BOARD_LINK_REVOKED = "board_link.revoked", _("Kitchen board link revoked")
        EXPORT_DOWNLOADED = "export.downloaded", _("Export downloaded")
        ORGANISATION_DELETION_REQUESTED = (
            "organisation.deletion_requested",
            _("Deletion of the organisation requested"),
        )
        ORGANISATION_DELETION_CANCELLED = (
            "organisation.deletion_cancelled",
            _("Deletion of the organisation cancelled"),
        )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # DB_CASCADE: the database removes the log with its organisation (the trigger allows
    # exactly that); the application never deletes a row itself. DB_SET_NULL on ``actor``
    # likewise: the database clears it when the account is deleted.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.DB_CASCADE, related_name="audit_events"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_SET_NULL,  # one model, one kind of on_delete (models.E050)
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor as they were named then: kept when the account is gone. Empty: the system.
    actor_label = models.CharField(_("who"), max_length=300, blank=True)
    action = models.CharField(_("what"), max_length=64, choices=Kind.choices)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)  # the target's public id (uuid)
    target_label = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The settings page and the API: an organisation's log, newest first.
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time_idx"),
            # Filtered by action: WHERE organisation_id = %s AND action = %s ORDER BY -created_at.
            models.Index(fields=["organisation", "action"], name="audit_org_action_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_action_not_empty"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'}: {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("The audit log is append-only: its rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The audit log is append-only: its rows cannot be deleted.")
