"""The client secret at rest: encrypted with Fernet under a key derived from ``SECRET_KEY``.

The server needs the secret itself (it sends it to the provider's token endpoint), so
it cannot be hashed like a password. It is encrypted instead: a database dump alone
does not reveal it. Keys in ``SECRET_KEY_FALLBACKS`` still decrypt, so rotating
``SECRET_KEY`` the Django way keeps the secrets readable; a secret that no key opens
any more reads as missing, and the settings page asks for it again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "accounts.sso.secrets"


def _fernet(secret_key: str) -> Fernet:
    digest = salted_hmac(_SALT, "client-secret", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def encrypt(secret: str) -> str:
    """The stored form of ``secret`` ("" stays "": no secret)."""
    if not secret:
        return ""
    return _keys().encrypt(secret.encode()).decode("ascii")


def decrypt(stored: str) -> str | None:
    """The secret, "" when none is stored, ``None`` when no key of this server opens it."""
    if not stored:
        return ""
    try:
        return _keys().decrypt(stored.encode("ascii")).decode()
    except (InvalidToken, ValueError, UnicodeError):
        return None
