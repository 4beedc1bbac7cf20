"""The signature receivers check: HMAC-SHA256 over ``<timestamp>.<body>`` with the secret.

Header ``X-OKR-Signature: t=<unix seconds>,v1=<hex digest>``. A receiver recomputes
the digest over the timestamp, a dot and the raw body, compares in constant time, and
refuses a timestamp older than a few minutes (a replay). README, "Signed webhooks".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-OKR-Signature"
EVENT_HEADER = "X-OKR-Event"
DELIVERY_HEADER = "X-OKR-Delivery"
SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """Does ``header`` sign ``body`` with ``secret``, recently enough?"""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(parts.get("v1", ""), digest(secret, timestamp, body))
