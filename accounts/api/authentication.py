"""API authentication: personal tokens (``Authorization: Bearer okr_...``) and the browser session.

A token belongs to one organisation: ``permissions.OrganisationMember`` answers
404 when it is used on another organisation's URL. Guessing is slowed down: after
``API_TOKEN_FAILURE_RATE`` failed attempts from one address, or for one token prefix,
every attempt (right or wrong) is answered 429 with Retry-After until the window ends.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, status

from accounts import ratelimit
from accounts.tokens import parse, token_authenticate


class TooManyFailures(exceptions.APIException):
    """429: DRF's handler sends ``wait`` as Retry-After; the message says the same in words."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait: int):
        self.wait = wait
        super().__init__(
            ngettext(
                "Too many failed token attempts. Try again in %(seconds)d second.",
                "Too many failed token attempts. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait}
        )


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``; ``request.auth`` is the ApiToken."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        limit, window = settings.API_TOKEN_FAILURE_RATE
        keys = [f"api-token:address:{ratelimit.client_address(request)}"]
        raw = header[1].decode("ascii", "replace") if len(header) == 2 else ""
        parsed = parse(raw)
        if parsed is not None:
            keys.append(f"api-token:prefix:{parsed[0]}")
        wait = ratelimit.failures_wait(keys, limit=limit, window=window)
        if wait:
            raise TooManyFailures(wait)
        token = token_authenticate(raw) if parsed is not None else None
        if token is None:
            ratelimit.failure_record(keys, window=window)
            if len(header) != 2:
                raise exceptions.AuthenticationFailed(_("Invalid token header."))
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token made at /accounts/tokens/ for one organisation: "
                "`Authorization: Bearer okr_...`."
            ),
        }
