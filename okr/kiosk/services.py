"""Writes for the kitchen board's secret links: make one, revoke one, note that one was used.

Only admins manage the links (``Action.BOARD_LINKS_MANAGE``). A link's secret is
made here, shown once to the admin who made it, and stored only as its sha256.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit, policy
from accounts.cleaning import Refused, check_text
from accounts.fields import as_validation_error
from accounts.models import Organisation, User
from okr.kiosk.selectors import hash_secret
from okr.models import BoardLink

#: last_seen_at is written at most this often per link (not on every refresh of the screen).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
LABEL_MAX_LENGTH = 100
LABEL_REQUIRED = _("Give the link a name, such as the room its screen hangs in.")


def clean_label(label) -> str:
    """The label as stored, or ``ValidationError`` (the same rules as every text field)."""
    label = (label if isinstance(label, str) else "").strip()
    try:
        check_text(label, max_length=LABEL_MAX_LENGTH)
    except Refused as refused:
        raise ValidationError({"label": as_validation_error(refused)}) from None
    if not label:
        raise ValidationError({"label": ValidationError(LABEL_REQUIRED, code="required")})
    return label


@transaction.atomic
def board_link_create(
    *, organisation: Organisation, author: User, label: str
) -> tuple[BoardLink, str]:
    """Make a secret link to the board. Returns the row and the secret (shown once)."""
    policy.enforce(author, policy.Action.BOARD_LINKS_MANAGE, organisation=organisation)
    label = clean_label(label)
    secret = secrets.token_urlsafe(32)  # 256 bits: 43 characters
    link = BoardLink.objects.create(
        organisation=organisation,
        label=label,
        secret_hash=hash_secret(secret),
        created_by=author,
    )
    # A link shows the organisation's OKRs to anyone who has it: the log says who made it.
    audit.record(organisation, author, audit.Kind.BOARD_LINK_CREATED, link)
    return link, secret


@transaction.atomic
def board_link_revoke(*, link: BoardLink, author: User) -> BoardLink:
    """The link stops working at once (404). Revoking twice changes nothing (nor logs)."""
    policy.enforce(author, policy.Action.BOARD_LINKS_MANAGE, link)
    revoked = BoardLink.objects.filter(pk=link.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(link.organisation_id, author, audit.Kind.BOARD_LINK_REVOKED, link)
    link.refresh_from_db(fields=["revoked_at"])
    return link


def board_link_seen(link: BoardLink) -> None:
    """Note that the board was shown (at most once per ``LAST_SEEN_RESOLUTION``)."""
    now = timezone.now()
    if link.last_seen_at is not None and now - link.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    BoardLink.objects.filter(pk=link.pk).update(last_seen_at=now)
    link.last_seen_at = now
