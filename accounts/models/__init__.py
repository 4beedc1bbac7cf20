"""The accounts app's models, one module per feature; the app label and migrations are unchanged."""

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

__all__ = [
    "ApiToken",
    "Invitation",
    "Language",
    "Membership",
    "Month",
    "Organisation",
    "TIMEZONE_CHOICES",
    "Team",
    "TeamMembership",
    "User",
    "UserManager",
    "Weekday",
    "hash_token",
]
