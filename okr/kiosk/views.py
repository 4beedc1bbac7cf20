"""The kitchen board (public, by its secret link) and the admins' page of links.

``board`` needs no sign-in: the secret in the URL is the only key, it opens
the board and nothing else (no session is made, nobody is signed in, the page
has no link into the app). An unknown and a revoked secret get the same 404.
The page is in the organisation's language, never cached by a proxy, not
indexed, and keeps the site's security headers (no framing, strict CSP).

An HTMX request of the board (the screen's own poll) gets the screens only:
``static/js/kiosk.js`` rotates them; without JavaScript a meta refresh reloads
the whole page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import org_view
from accounts.errors import error_page
from accounts.middleware import use_language
from accounts.policy import Action
from okr.kiosk import selectors, services
from okr.kiosk.forms import BoardLinkForm

TEMPLATE = "kiosk/board.html"
LINKS = "kiosk/links.html"
#: Seconds each screen shows (``?seconds=`` may ask for 3 to 600) and between data refreshes.
ROTATE_SECONDS = 20
REFRESH_SECONDS = 60
#: The whole page reloads this often without JavaScript (and as a safety net with it).
RELOAD_SECONDS = 300
PRIVATE = {"Cache-Control": "private, no-store, max-age=0", "X-Robots-Tag": "noindex, nofollow"}


def _private(response):
    for name, value in PRIVATE.items():
        response[name] = value
    return response


def _seconds(request) -> int:
    try:
        value = int(request.GET.get("seconds", ROTATE_SECONDS))
    except (TypeError, ValueError):
        return ROTATE_SECONDS
    return min(max(value, 3), 600)


@require_http_methods(["GET", "HEAD"])
def board(request, token: str):
    """The board of the link whose secret is ``token``; the same 404 for any other."""
    link = selectors.link_for_secret(token)
    if link is None:
        return _private(error_page(request, 404))
    organisation = link.organisation
    use_language(request, organisation.language)
    services.board_link_seen(link)
    context = {
        "board": selectors.board(organisation),
        "organisation": organisation,
        "seconds": _seconds(request),
        "refresh_seconds": REFRESH_SECONDS,
        "reload_seconds": RELOAD_SECONDS,
        "updated_at": timezone.now(),
    }
    template = f"{TEMPLATE}#screens" if request.htmx else TEMPLATE
    return _private(render(request, template, context))


# --- The admins' page ------------------------------------------------------------------------


def _links_context(request, form=None, *, created=None, secret=None) -> dict:
    return {
        "form": form or BoardLinkForm(),
        "links": list(selectors.links_of(request.organisation)),
        "created": created,
        "new_url": request.build_absolute_uri(reverse("kiosk:board", args=[secret]))
        if secret
        else None,
    }


def _links_page(request, context):
    if request.htmx:
        return _private(render(request, f"{LINKS}#links-body", context))
    return _private(render(request, LINKS, context))


@org_view(action=Action.BOARD_LINKS_MANAGE)
@require_http_methods(["GET", "POST"])
def links(request):
    """The organisation's board links; POST makes one and shows it once."""
    if request.method == "GET":
        return _links_page(request, _links_context(request))
    form = BoardLinkForm(request.POST)
    if not form.is_valid():
        return _links_page(request, _links_context(request, form))
    try:
        link, secret = services.board_link_create(
            organisation=request.organisation, author=request.user, label=form.cleaned_data["label"]
        )
    except ValidationError as exc:
        for message in exc.message_dict.get("label", []):
            form.add_error("label", message)
        return _links_page(request, _links_context(request, form))
    # The secret is in this answer only: no redirect, no message, nothing stored.
    return _links_page(request, _links_context(request, created=link, secret=secret))


@org_view(action=Action.BOARD_LINKS_MANAGE)
@require_POST
def link_revoke(request, code):
    link = selectors.get_board_link_for_user(request, code)
    services.board_link_revoke(link=link, author=request.user)
    messages.success(
        request,
        _("The link “%(label)s” was revoked: its screen stops showing the board.")
        % {"label": link.label},
    )
    return redirect("okr:kiosk_links", request.organisation.slug)
