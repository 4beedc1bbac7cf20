"""Slowing down guessing: login lockout (django-axes) and a password-reset limit.

Login: django-axes counts failed sign-ins per e-mail and address and locks
that pair for a while (settings AXES_*); ``lockout_response`` is the page a
locked-out person sees. Password reset: at most ``PASSWORD_RESET_RATE``
requests per e-mail and address, counted in Django's cache (Redis in
production). If the cache is down the limit is skipped rather than the page
failing.
"""

from __future__ import annotations

import hashlib
import logging

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
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


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


class PasswordResetView(views.PasswordResetView):
    """The password-reset page, limited per e-mail and address (429 with the form's error)."""

    def post(self, request, *args, **kwargs):
        limit, window = settings.PASSWORD_RESET_RATE
        email = str(request.POST.get("email", "")).strip().lower()[:254]
        address = get_client_ip_address(request) or "unknown"
        if not allow(f"password-reset:{address}:{email}", limit=limit, window=window):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("Too many requests for this address. Wait an hour and try again.")
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
