"""What the page-vs-API parity tests of the integration settings share.

``page_outcome`` and ``api_outcome`` name an answer the same way on both doors: "ok",
or "400" (the input), "403" (the person), "404" (not theirs to see), "409" (the state).
A page that shows its form again with errors answers 400 itself; a redirect carrying an
error message counts as 400 too (test_policy_parity_board_import.py's rule), and a
download (an attachment) as "ok". ``said`` is what each door said in words, so a refusal
can be checked to give the API's reason on the page too. ``audit_rows`` are the
organisation's audit log without ids and times; ``fill`` is a form's data with boxes
unchecked as a person unticks them; ``rolled_back`` runs a world inside a savepoint that
is always rolled back, so the same world can be built twice.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from django.contrib.messages import constants as message_levels
from django.db import transaction

from accounts.models import AuditEvent

UNCHECKED = object()  # in ``fill``'s typed values: the person unticks this box

_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def page_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    if code == 302:
        queued = getattr(response.wsgi_request, "_messages", None)
        errors = [
            m for m in getattr(queued, "_queued_messages", []) if m.level == message_levels.ERROR
        ]
        return "400" if errors else "ok"
    if code == 200:
        if response.get("Content-Disposition", "").startswith("attachment"):
            return "ok"
        if 'aria-invalid="true"' in response.content.decode():
            return "400"  # the form again with its errors
    return f"page {code}"


def api_outcome(response) -> str:
    code = response.status_code
    if code in (400, 403, 404, 409):
        return str(code)
    return "ok" if code in (200, 201, 202, 204) else f"api {code}"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "code" for s in _strings(item)]
    return []


def said(response, *, via_page: bool) -> str | list[str]:
    """The page's text (nothing for a redirect or a download); the API's messages."""
    if via_page:
        if response.status_code == 302 or response.get("Content-Disposition"):
            return ""
        return html.unescape(response.content.decode())
    if response.status_code not in (400, 403, 409) or not response.content:
        return []
    return _strings(response.json())


def _plain(value):
    """``value`` without its times (each run has its own): dicts sorted, times as <time>."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str) and _TIME.match(value):
        return "<time>"
    return value


def audit_rows(org) -> list[tuple]:
    """The organisation's audit log as rows without ids or times, sorted."""
    return sorted(
        (
            e.action,
            e.actor_label,
            e.target_type,
            e.target_label,
            json.dumps(_plain(e.details), sort_keys=True),
        )
        for e in AuditEvent.objects.filter(organisation=org)
    )


def fill(form, **typed) -> dict:
    """``form.data(**typed)``, where a value ``UNCHECKED`` unticks that box (sends nothing)."""
    off = [name for name, value in typed.items() if value is UNCHECKED]
    missing = set(off) - form.names
    assert not missing, f"{form.action} has no field {missing}; it has {sorted(form.names)}"
    data = form.data(**{name: value for name, value in typed.items() if value is not UNCHECKED})
    for name in off:
        data.pop(name, None)
    return data


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(response) -> list[str]:
    """Every link's address on the page, in order."""
    assert response.status_code == 200, response.status_code
    reader = _Links()
    reader.feed(response.content.decode())
    return reader.hrefs


class _RolledBack(Exception):
    pass


def rolled_back(work):
    """What ``work()`` returns, with everything it wrote rolled back."""
    try:
        with transaction.atomic():
            raise _RolledBack(work())
    except _RolledBack as out:
        return out.args[0]
