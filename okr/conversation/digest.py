"""The e-mail digest: at most one a day per person and organisation, of what they have not read.

1. The sweep (celery beat, hourly) looks at each organisation where it is past
   ``DIGEST_HOUR`` local time, finds the members who want the digest
   (``User.email_digest``) and have unread notifications no digest listed yet,
   and *claims* one ``DigestClaim`` per (organisation, person, local day) with
   INSERT ... ON CONFLICT DO NOTHING, tagged with a token of its own. A claim
   another run made already is left alone: a rerun, or beat firing twice, sends
   nothing twice.
2. It takes over claims whose sender died (unsent, older than ``LEASE``).
3. For each claim it owns, it attaches the unread notifications not yet in a
   digest (so none is listed twice), sends the mail in the person's language
   (theirs, else the organisation's) and stamps ``sent_at``.

The mail carries a signed link that turns the digest off in one click (and the
``List-Unsubscribe`` headers, so a mail program offers it too).
"""

from __future__ import annotations

import logging
import uuid as uuid_lib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import emails
from accounts.models import Organisation, User
from okr.lib import calendar
from okr.models import DigestClaim, Notification

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7  # local time: the digest waits for the morning
LEASE = timedelta(minutes=30)
MAX_ITEMS = 50  # listed in one mail; the rest are "and N more"
SALT = "okr.conversation.digest.unsubscribe"


@dataclass
class DigestResult:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0


# --- The unsubscribe link ------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": str(user.uuid)}, salt=SALT)


def user_of_token(token: str) -> User | None:
    """The person an unsubscribe link is for (it does not expire), or ``None``."""
    if not isinstance(token, str) or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=SALT)
        return User.objects.filter(uuid=uuid_lib.UUID(str(data["u"]))).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def digest_off(user: User) -> None:
    User.objects.filter(pk=user.pk).update(email_digest=False)


# --- Claiming and sending ------------------------------------------------------------------


def _waiting(organisation: Organisation):
    """Unread notifications no digest listed yet (notification_undigested_idx)."""
    return Notification.objects.filter(
        organisation=organisation, read_at__isnull=True, digest__isnull=True
    )


def digests_sweep(
    *, now: datetime | None = None, organisation: Organisation | None = None
) -> DigestResult:
    """Claim and send every digest that is due (see the module docstring)."""
    now = now or calendar.clock()
    token = uuid_lib.uuid4()
    result = DigestResult()
    organisations = Organisation.objects.all()
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    for org in organisations.order_by("id"):
        if timezone.localtime(now, org.tz).hour < DIGEST_HOUR:
            continue
        user_ids = set(
            _waiting(org)
            .filter(
                recipient__email_digest=True,
                recipient__is_active=True,
                recipient__memberships__organisation=org,
            )
            .values_list("recipient_id", flat=True)
        )
        if not user_ids:
            continue
        day = calendar.today(org, now)
        DigestClaim.objects.bulk_create(
            [
                DigestClaim(organisation=org, user_id=u, day=day, claim_token=token, claimed_at=now)
                for u in sorted(user_ids)
            ],
            ignore_conflicts=True,
        )
    stale = DigestClaim.objects.filter(sent_at__isnull=True, claimed_at__lt=now - LEASE)
    if organisation is not None:
        stale = stale.filter(organisation=organisation)
    stale.exclude(claim_token=token).update(claim_token=token, claimed_at=now)
    mine = DigestClaim.objects.filter(claim_token=token, sent_at__isnull=True)
    for claim in mine.select_related("user", "organisation").order_by("id"):
        result.claimed += 1
        _send(claim, token, now, result)
    return result


def _items(claim: DigestClaim) -> list[Notification]:
    with transaction.atomic():
        _waiting(claim.organisation).filter(recipient=claim.user).update(digest=claim)
    return list(
        Notification.objects.filter(digest=claim)
        .select_related("actor", "objective", "key_result", "check_in", "review")
        .order_by("-created_at", "-id")
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _context(claim: DigestClaim, items: list[Notification]) -> dict:
    org = claim.organisation
    for item in items:
        # Opening it marks it read, then goes to what it is about.
        item.url = _absolute(reverse("okr:notification_open", args=[org.slug, item.uuid]))
    return {
        "user": claim.user,
        "organisation": org,
        "items": items[:MAX_ITEMS],
        "more": max(0, len(items) - MAX_ITEMS),
        "count": len(items),
        "notifications_url": _absolute(reverse("okr:notifications", args=[org.slug])),
        "unsubscribe_url": _absolute(
            reverse("conversation_unsubscribe", args=[unsubscribe_token(claim.user)])
        ),
        "profile_url": _absolute(reverse("accounts:profile")),
    }


def _send(claim: DigestClaim, token, now: datetime, result: DigestResult) -> None:
    renewed = DigestClaim.objects.filter(
        pk=claim.pk, claim_token=token, sent_at__isnull=True
    ).update(claimed_at=now)
    if not renewed:
        return
    items = _items(claim)
    sent = False
    if items and claim.user.email_digest and claim.user.is_active:
        context = _context(claim, items)
        host = urlparse(settings.SITE_URL).hostname or "localhost"
        try:
            emails.send(
                "digest",
                claim.user.email,
                context,
                emails.recipient_language(claim.user, claim.organisation),
                headers={
                    "Message-ID": f"<okr-digest-{claim.uuid}@{host}>",
                    "Auto-Submitted": "auto-generated",
                    "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        except Exception:
            logger.exception("Could not send digest %s", claim.pk)
            result.failed += 1
            return  # left unsent: the next sweep takes it over after the lease
        sent = True
    DigestClaim.objects.filter(pk=claim.pk, claim_token=token, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if sent:
        result.sent += 1
    else:
        result.skipped += 1
