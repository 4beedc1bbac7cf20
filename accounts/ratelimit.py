"""Slowing down guessing: login lockout (django-axes), a password-reset limit, API token failures.

Login: django-axes counts failed sign-ins per e-mail and address and locks
that pair for a while (settings AXES_*); ``lockout_response`` is the page a
locked-out person sees. Password reset: at most ``PASSWORD_RESET_RATE``
requests per e-mail and address. API tokens: after ``API_TOKEN_FAILURE_RATE``
failed attempts from one address or for one token prefix, further attempts
wait until the window ends (``failures_wait``). Counts live in Django's cache
(Redis in production, so every process shares them). If the cache is down the
limits are skipped rather than the page failing. The client's address is
axes' (``client_address``), so one trusted-proxy setting serves all of them.
"""

from __future__ import annotations

import hashlib
import logging
import time

from axes.helpers import get_client_ip_address, get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import views

logger = logging.getLogger(__name__)


def axes_username(request, credentials) -> str:
    """One counter per address whatever its case: "Vilma@DPAB.example" is vilma@dpab.example."""
    # Django's login form authenticates with the user model's field ("email"); its
    # failure signal and the form itself say "username".
    names = {settings.AXES_USERNAME_FORM_FIELD, "username", "email"}
    username = next(
        (value for key, value in (credentials or {}).items() if str(key) in names and value),
        None,
    )
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return str(username or "").strip().lower()[:254]


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    if cool_off:
        # At most this long: the lock ends a cool-off after the last failed attempt.
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on ``key``; False once there were more than ``limit`` in ``window`` seconds."""
    cache_key = "rl:" + hashlib.sha256(key.encode()).hexdigest()
    try:
        if cache.add(cache_key, 1, timeout=window):
            return True
        return cache.incr(cache_key) <= limit
    except ValueError:
        # The key expired between add and incr: start again.
        cache.set(cache_key, 1, timeout=window)
        return True
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("Rate limit cache unavailable; not limiting %s", key.split(":")[0])
        return True


def client_address(request) -> str:
    """The client's address as axes sees it (behind TRUSTED_PROXY_COUNT proxies too)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def _window(key: str, window: int) -> tuple[str, float]:
    """The cache key of ``key``'s current fixed window, and the seconds until that window ends."""
    now = time.time()
    start = int(now // window) * window
    digest = hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()
    return f"rlw:{digest}:{start}", start + window - now


def failures_wait(keys: list[str], *, limit: int, window: int) -> int:
    """Seconds to wait if any of ``keys`` had ``limit`` failures in the current window, else 0."""
    wait = 0.0
    try:
        for key in keys:
            cache_key, remaining = _window(key, window)
            if (cache.get(cache_key) or 0) >= limit:
                wait = max(wait, remaining)
    except Exception:  # noqa: BLE001 - a cache outage must not take the API down
        logger.warning("Rate limit cache unavailable; not limiting token attempts")
        return 0
    return max(1, round(wait)) if wait else 0


def failure_record(keys: list[str], *, window: int) -> None:
    """Count one failure on each of ``keys`` in its current window."""
    try:
        for key in keys:
            cache_key, remaining = _window(key, window)
            if not cache.add(cache_key, 1, timeout=int(remaining) + 1):
                try:
                    cache.incr(cache_key)
                except ValueError:  # expired between add and incr
                    cache.set(cache_key, 1, timeout=int(remaining) + 1)
    except Exception:  # noqa: BLE001
        logger.warning("Rate limit cache unavailable; a token failure was not counted")


class PasswordResetView(views.PasswordResetView):
    """The password-reset page, limited per e-mail and address (429 with the form's error)."""

    def post(self, request, *args, **kwargs):
        limit, window = settings.PASSWORD_RESET_RATE
        email = str(request.POST.get("email", "")).strip().lower()[:254]
        address = client_address(request)
        if not allow(f"password-reset:{address}:{email}", limit=limit, window=window):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("Too many requests for this address. Wait an hour and try again.")
            )
            response = self.form_invalid(form)
            response.status_code = 429
            # At most this long: the count started at most a window ago.
            response["Retry-After"] = str(window)
            return response
        return super().post(request, *args, **kwargs)
