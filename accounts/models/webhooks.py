"""Signed webhooks: an organisation's endpoints, the events emitted to them, and each delivery.

``accounts.webhooks.emit`` writes one ``WebhookEvent`` and one ``WebhookDelivery`` per
active endpoint subscribed to its type (the outbox, in the emitting transaction); a
Celery task sends each delivery after commit, claimed in the database so a rerun never
sends twice, with retries and backoff.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WebhookEventType(models.TextChoices):
    OBJECTIVE_CREATED = "objective.created", _("An objective was created")
    OBJECTIVE_APPROVED = "objective.approved", _("An objective was approved")
    CHECK_IN_RECORDED = "check_in.recorded", _("A check-in was recorded")
    REVIEW_CLOSED = "review.closed", _("A review was closed")
    QUARTER_CLOSED = "quarter.closed", _("A quarter was closed")
    MEMBER_ADDED = "member.added", _("A member was added")
    MEMBER_REMOVED = "member.removed", _("A member was removed")
    PING = "ping", _("Test event")


class WebhookEndpoint(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)  # WebhookEventType values
    active = models.BooleanField(_("active"), default=True)
    # The signing secret (HMAC needs it in clear); shown once when made or rotated.
    secret = models.CharField(max_length=100, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)  # turned off after failures
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # emit(): WHERE organisation_id = %s AND active (every emitted event asks this).
            models.Index(fields=["organisation", "active"], name="webhook_endpoint_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(url=""), name="webhook_endpoint_url_not_empty"),
            models.CheckConstraint(
                condition=~Q(secret=""), name="webhook_endpoint_secret_not_empty"
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def audit_label(self) -> str:
        return self.url[:300]


class WebhookEvent(models.Model):
    """One emitted event: its type and the JSON body every endpoint receives."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_events"
    )
    type = models.CharField(max_length=40, choices=WebhookEventType.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.type} {self.uuid}"


class WebhookDelivery(models.Model):
    """One event to one endpoint: exactly one row each, however often it is attempted."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"
            ),
        ]
        indexes = [
            # The endpoint's delivery log, newest first.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
            # The sweep: WHERE state IN ('pending', 'sending') AND next_attempt_at <= now.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due_idx",
                condition=Q(state__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.endpoint_id}: {self.state}"
