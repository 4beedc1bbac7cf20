"""Where a page sends the browser next: the ``next`` it was given, only if that is a path here.

``safe_next`` is the one reader of ``next`` (forms, sign-in and sign-out; the language
switch, Django's view, gets it through ``drop_unsafe_next``): anything but a same-site path (``-1``, ``not-a-uuid``, another site,
``//evil.example``, text with control characters) gives the page's default. The
answer is always a path, so ``redirect()`` never mistakes it for a URL name.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.http import url_has_allowed_host_and_scheme


def is_same_site_path(target, request) -> bool:
    """True for "/a/path?x=1#y" on this site; False for anything else."""
    if not isinstance(target, str) or not target.startswith("/"):
        return False
    if target.startswith(("//", "/\\")) or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return False
    try:
        target.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, default: str) -> str:
    """The request's ``next`` (POST, else GET) if it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_same_site_path(target, request) else default


class SafeNextMixin:
    """For Django's sign-in and sign-out views: their ``next`` through ``safe_next``."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


def drop_unsafe_next(request) -> None:
    """Leave out a ``next`` that is not a path here, for views of Django's that read it
    themselves (``set_language`` then goes back to the referring page of this site, or "/")."""
    for name in ("POST", "GET"):
        values = getattr(request, name)
        if "next" in values and not is_same_site_path(values.get("next"), request):
            values = values.copy()
            values.pop("next")
            setattr(request, name, values)
