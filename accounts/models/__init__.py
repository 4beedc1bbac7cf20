"""The accounts app's models, one module per feature; the app label and migrations are unchanged."""

from accounts.models.audit import AppendOnly, AuditEvent
from accounts.models.people import (
    TIMEZONE_CHOICES,
    ApiToken,
    Invitation,
    Language,
    Membership,
    Month,
    Organisation,
    Team,
    TeamMembership,
    User,
    UserManager,
    Weekday,
    hash_token,
)
from accounts.models.sso import SsoConfiguration, SsoDomain
from accounts.models.webhooks import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)

__all__ = [
    "AppendOnly",
    "ApiToken",
    "AuditEvent",
    "Invitation",
    "Language",
    "Membership",
    "Month",
    "Organisation",
    "SsoConfiguration",
    "SsoDomain",
    "TIMEZONE_CHOICES",
    "Team",
    "TeamMembership",
    "User",
    "UserManager",
    "Weekday",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventType",
    "hash_token",
]
