"""The kitchen board's secret links: a read-only wall display of the OKRs, opened without sign-in.

Re-exported by okr/models/__init__.py, so this is a model of the ``okr`` app.
Only a sha256 of the link's secret is stored: the whole link is shown once, when made.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

__all__ = ["BoardLink"]


class BoardLink(models.Model):
    """A secret link that shows the organisation's kitchen board on a screen, no sign-in needed.

    The link reads ``/board/<secret>/``; the row keeps ``sha256(secret)`` only, so a
    leaked database does not open any board. Revoking is for good (the link 404s).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="board_links"
    )
    label = models.CharField(_("label"), max_length=100)
    # Also the index for "find the link of this request" (unique).
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret_hash__regex=r"^[0-9a-f]{64}$"), name="board_link_hash_is_sha256"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="board_link_label_not_empty"),
        ]
        indexes = [
            # The settings page and the API: the organisation's links, newest first.
            models.Index(fields=["organisation", "-created_at"], name="board_link_org_idx"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
