"""Every error answer: the app's pages for 400, 403, 404, 405 and 500, and JSON under /api/.

Django calls the handlers (``handler400`` ... ``handler500`` in okr/urls.py and
``CSRF_FAILURE_VIEW``); ``ErrorPageMiddleware`` gives the same answers to what
Django's handlers never see: the bare 405 of ``require_POST`` and friends, a bare
400/403/404 text a view returns, and a 404 a view raises while DEBUG is on (so
``make run`` shows the app's page for an organisation URL; Django's debug page
remains only for a path that matches no URL pattern at all).

A page uses the base layout (navigation when the person is signed in and in the
organisation), says what happened in the person's language and offers a next
step: the organisation's start page, the list of one's organisations, or sign in.
Under /api/ the answer is the API's error shape, ``{"detail": ..., "code": ...}``.
A 404 never tells whether the organisation exists: a non-member gets the same
page for another organisation's URL as for one that does not exist.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import get_language_from_request, override
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
TEMPLATE = "errors/error.html"
# Statuses whose bare answers (empty, or a line of text) become the page.
PAGE_STATUSES = {400, 403, 404, 405}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(detail: str, code: str, status: int, **headers) -> JsonResponse:
    """The API's error shape (``accounts.api.base.Problem``)."""
    response = JsonResponse({"detail": str(detail), "code": code}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _texts(status: int) -> tuple[str, str]:
    """The page's title and message for ``status``."""
    texts = {
        400: (
            _("Bad request"),
            _("The request could not be read. Check the address or the form and try again."),
        ),
        403: (_("Not allowed"), _("You do not have access to this page.")),
        404: (_("Page not found"), _("There is no such page, or you do not have access to it.")),
        405: (
            _("Not possible this way"),
            _("This address is for a form or a button. Go back and use the page's controls."),
        ),
        500: (
            _("Something went wrong"),
            _("An error on our side stopped this request. Try again in a moment."),
        ),
    }
    return texts[status]


def error_page(request, status: int, message: str | None = None, **headers) -> HttpResponse:
    """The page for ``status`` in the base layout, with a next step."""
    # An error before the language middleware ran (a bad Host header) reads the browser's.
    language = getattr(request, "LANGUAGE_CODE", None) or get_language_from_request(request)
    with override(language):
        title, default_message = _texts(status)
        context = {
            "status": status,
            "title": title,
            "message": message or default_message,
            # Anonymous people are offered to sign in and come back here.
            "login_next": request.get_full_path() if request.method == "GET" else "",
        }
        response = render(request, TEMPLATE, context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


# --- Django's handlers (okr/urls.py) --------------------------------------------------------


def bad_request(request, exception=None):
    if is_api(request):
        return api_error(_("Malformed request."), "bad_request", 400)
    return _safely(request, 400)


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(
            _("You do not have permission to perform this action."), "permission_denied", 403
        )
    return error_page(request, 403)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(_("Not found."), "not_found", 404)
    return error_page(request, 404)


def server_error(request):
    if is_api(request):
        return api_error(_("A server error occurred."), "server_error", 500)
    return _safely(request, 500)


def csrf_failure(request, reason=""):
    """A form without a valid CSRF token (an old page, or another site): 403 with what to do."""
    message = _(
        "The form was too old or did not come from this site. Go back, reload the page "
        "and try again."
    )
    if is_api(request):
        return api_error(message, "csrf_failed", 403)
    return error_page(request, 403, message)


def method_not_allowed(request, allowed: str, message: str | None = None):
    if is_api(request):
        detail = _('Method "{method}" not allowed.').format(method=request.method)
        return api_error(detail, "method_not_allowed", 405, Allow=allowed)
    return error_page(request, 405, message, Allow=allowed)


def _safely(request, status: int) -> HttpResponse:
    """The page, or a plain one when the layout itself fails (the database may be the cause)."""
    try:
        return error_page(request, status)
    except Exception:  # noqa: BLE001 - the answer to an error must not fail in turn
        logger.exception("The %s page could not be rendered", status)
        title, message = _texts(status)
        html = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'</head><body><h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href="/">'
            f"{escape(_('Go to the start page'))}</a></p></body></html>"
        )
        return HttpResponse(html, status=status)


# --- Middleware ------------------------------------------------------------------------------


class ErrorPageMiddleware:
    """Gives bare error answers the app's page (or JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request) and response.status_code == 404 and self._is_html(response):
            # Django's debug 404 (DEBUG on, a path that matches nothing): the API stays JSON.
            return page_not_found(request)
        if not self._is_bare(request, response):
            return response
        replacement = self._page_for(request, response)
        # Django already logged the bare answer: not a second time.
        replacement._has_been_logged = getattr(response, "_has_been_logged", False)
        return replacement

    @staticmethod
    def _page_for(request, response):
        message = response.content.decode(response.charset or "utf-8", "replace").strip()
        if response.status_code == 405:
            return method_not_allowed(request, response.get("Allow", ""), message or None)
        if is_api(request):
            code = {400: "bad_request", 403: "permission_denied", 404: "not_found"}
            detail = message or _texts(response.status_code)[1]
            return api_error(detail, code[response.status_code], response.status_code)
        return error_page(request, response.status_code, message or None)

    def process_exception(self, request, exception):
        # With DEBUG on Django would show its debug page for a 404 a view raised (a
        # non-member on an organisation URL); the app's page is what users see in production.
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

    @staticmethod
    def _is_html(response) -> bool:
        return not response.streaming and response.get("Content-Type", "").startswith("text/html")

    @classmethod
    def _is_bare(cls, request, response) -> bool:
        if response.status_code not in PAGE_STATUSES or not cls._is_html(response):
            return False
        if getattr(request, "htmx", False):
            return False  # an htmx request gets what its view sent (a fragment or a line)
        # A page of its own (it starts with markup) is kept; an empty body or a line of text is not.
        return not response.content.lstrip().startswith(b"<")
