"""Personal API tokens: make, check, revoke. Only a sha256 of the secret is stored.

A token reads ``okr_<prefix>_<secret>``. The prefix (public, unique) finds the
row; the secret's hash is compared in constant time. A token works only for
the organisation it was made for, only while its owner is a member there
(the API checks the membership on every request), and stops working when it
is revoked or expires.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit, policy
from accounts.models import ApiToken, Membership, Organisation, User

TOKEN_PREFIX = "okr"
# last_used_at is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)
EXPIRY_CHOICES_DAYS = (30, 90, 365)


class TokenError(Exception):
    """A rule was broken; the code says which."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    return secrets.token_hex(5)  # 10 characters, no underscore


def token_create(
    *, user: User, organisation: Organisation, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` in ``organisation``. Returns the row and the token (shown once)."""
    name = (name or "").strip()
    if not name:
        raise TokenError("name_required")
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise TokenError("not_member")
    policy.require(policy.person(user), policy.Action.TOKENS_MANAGE)  # one's own, always
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise TokenError("invalid_expiry")
    secret = secrets.token_urlsafe(32)
    expires_at = (
        timezone.now() + timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    for _attempt in range(5):
        prefix = _new_prefix()
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            organisation=organisation,
            name=name[:100],
            prefix=prefix,
            secret_hash=hash_secret(secret),
            expires_at=expires_at,
        )
        audit.record(
            organisation,
            user,
            audit.Kind.TOKEN_CREATED,
            token,
            details={"prefix": prefix, "expires_at": expires_at},
        )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def token_revoke(*, token: ApiToken, author: User | None = None) -> ApiToken:
    """Stop a token from working. Revoking twice changes nothing."""
    if author is not None:
        policy.require(policy.person(author), policy.Action.TOKENS_MANAGE, token)
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db(fields=["revoked_at"])
        if revoked:
            details = {"prefix": token.prefix, "owner": audit.person_label(token.user)}
            audit.record(
                token.organisation_id, author, audit.Kind.TOKEN_REVOKED, token, details=details
            )
    return token


def tokens_revoke_for_membership(*, user_id: int, organisation_id: int) -> int:
    """Revoke every token a person has for an organisation (when they leave it)."""
    return ApiToken.objects.filter(
        user_id=user_id, organisation_id=organisation_id, revoked_at=None
    ).update(revoked_at=timezone.now())


# What ``token_create`` makes: a hex prefix and a URL-safe secret. Anything else (a NUL
# byte, other characters the database cannot compare) is refused before any query.
TOKEN_FORMAT = re.compile(rf"{TOKEN_PREFIX}_([0-9A-Za-z]{{1,16}})_([0-9A-Za-z_-]{{1,200}})")


def parse(raw: str) -> tuple[str, str] | None:
    """``okr_<prefix>_<secret>`` -> (prefix, secret), or None for anything else."""
    match = TOKEN_FORMAT.fullmatch((raw or "").strip())
    return (match[1], match[2]) if match else None


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token that ``raw`` is, with its user and organisation, or None."""
    parsed = parse(raw)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = ApiToken.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- Sessions ------------------------------------------------------------------------


def user_sessions_end(user_id: int, *, keep_session_key: str | None = None) -> int:
    """Sign a person out everywhere (every browser), except ``keep_session_key``.

    Django's database sessions are not indexed by user, so this reads the
    live ones; it runs only when a membership is removed.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE not in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = str(user_id)
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in live.iterator(chunk_size=2000):
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == wanted:
            ended.append(session.session_key)
    for key in ended:
        store(session_key=key).delete()
    return len(ended)
