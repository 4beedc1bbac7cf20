"""The API's exception handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]).

The generic answers (400 field errors, 413, the ``code`` beside ``detail``) come from
``accounts.api.base.exception_handler``; this adds the OKR services' refusal that is
not an input error: someone else saved first (``StaleEdit``) is a 409.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from accounts.api import base
from okr.objectives import services


def exception_handler(exc, context):
    """A stale edit is 409 with code ``stale``; everything else as ``accounts.api.base``."""
    if isinstance(exc, services.StaleEdit):
        return Response(
            {
                "detail": _("Someone else saved this first. Read it again and repeat your change."),
                "code": "stale",
            },
            status=status.HTTP_409_CONFLICT,
        )
    return base.exception_handler(exc, context)
