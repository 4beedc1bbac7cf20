"""Chat notifications: Slack and Microsoft Teams incoming webhooks, and the outbox of their messages.

Re-exported by okr/models/__init__.py, so these are models of the ``okr`` app.
``okr.chat.announce`` writes one ``ChatMessage`` per (hook, event key) inside the
service's transaction (the unique constraint makes a second one impossible); a
Celery task posts it after commit, claimed in the database so a rerun never posts
twice (``okr/chat/delivery.py``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team

__all__ = ["ChatEvent", "ChatHook", "ChatMessage"]


class ChatEvent(models.TextChoices):
    CHECK_IN_REMINDER = "check_in.reminder", _("Check-in reminders went out")
    REVIEW_STARTED = "review.started", _("A review started")
    APPROVAL_REQUESTED = "approval.requested", _("Approval requested")
    APPROVAL_DECIDED = "approval.decided", _("Approval decided")
    KEY_RESULT_AT_RISK = "key_result.at_risk", _("A key result turned at risk or off track")
    QUARTER_CLOSED = "quarter.closed", _("A quarter was closed")
    TEST = "test", _("Test message")


#: What a hook may subscribe to (all of them by default); the test message always goes.
SUBSCRIBABLE = [value for value in ChatEvent.values if value != ChatEvent.TEST]


def all_events() -> list[str]:
    return list(SUBSCRIBABLE)


class ChatHook(models.Model):
    """An incoming-webhook URL of a Slack or Teams channel: the organisation's, or one team's."""

    class Kind(models.TextChoices):
        SLACK = "slack", _("Slack")
        TEAMS = "teams", _("Microsoft Teams")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="chat_hooks"
    )
    # None: the organisation's hook (every event); a team: that team's events only.
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_hooks"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The URL is the channel's only key: encrypted at rest (accounts.sso.secrets), shown masked.
    url_encrypted = models.TextField(editable=False)
    url_hint = models.CharField(max_length=200, editable=False)
    events = models.JSONField(_("events"), default=all_events)  # ChatEvent values
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # announce(): WHERE organisation_id = %s AND active (every announced event asks this).
            models.Index(fields=["organisation", "active"], name="chat_hook_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["slack", "teams"]), name="chat_hook_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(url_encrypted=""), name="chat_hook_url_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.url_hint}"

    @property
    def audit_label(self) -> str:
        return str(self)[:300]


class ChatMessage(models.Model):
    """One event posted to one hook (the outbox): exactly one row each, however often it is tried."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    hook = models.ForeignKey(ChatHook, on_delete=models.CASCADE, related_name="messages")
    event = models.CharField(max_length=30, choices=ChatEvent.choices)
    key = models.CharField(max_length=200)  # the event's identity, e.g. "review.started:42"
    title = models.CharField(max_length=300)
    payload = models.JSONField()  # the exact JSON body posted (Slack or Teams format)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["hook", "key"], name="chat_message_once_per_hook"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "failed"]),
                name="chat_message_state_valid",
            ),
        ]
        indexes = [
            # The settings page: each hook's latest message, newest first.
            models.Index(fields=["hook", "-created_at"], name="chat_message_hook_idx"),
            # The sweep: WHERE state IN ('pending', 'sending') AND next_attempt_at <= now.
            models.Index(
                fields=["next_attempt_at"],
                name="chat_message_due_idx",
                condition=Q(state__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.hook_id}: {self.state}"
