"""/dev/mail/: the e-mails the embedded default wrote as .eml files, listed for a developer.

Only under DEBUG and only to the machine itself: the messages hold password-reset and
invitation links, so anyone else gets the 404 of a page that does not exist.
"""

from __future__ import annotations

import email
import email.policy
import ipaddress
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

# The newest messages only: a long-running data/ folder can hold thousands.
LIMIT = 100
EML_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]*\.eml")


@dataclass(frozen=True)
class Mail:
    name: str
    subject: str
    sender: str
    to: str
    date: object
    text: str


def mail_folder() -> Path | None:
    """The folder the default mailer writes to, or None when mail really goes out."""
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    folder = mailer.get("OPTIONS", {}).get("file_path")
    return Path(folder) if folder else None


def local_debug_only(view):
    """404 before anything else (even a wrong method) unless DEBUG, from this machine, to files."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEBUG:
            raise Http404
        try:
            loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            loopback = False
        folder = mail_folder()
        if not loopback or folder is None:
            raise Http404
        return view(request, folder, *args, **kwargs)

    return wrapped


def read_mail(path: Path) -> Mail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    try:
        date = parsedate_to_datetime(message["date"]) if message["date"] else None
    except (TypeError, ValueError):
        date = None
    return Mail(
        name=path.name,
        subject=str(message["subject"] or ""),
        sender=str(message["from"] or ""),
        to=", ".join(str(message[h]) for h in ("to", "cc") if message[h]),
        date=date,
        text=body.get_content() if body is not None else "",
    )


@local_debug_only
@require_GET
def mail_list(request, folder: Path):
    # The file names start with the time they were written: newest first by name.
    paths = sorted(folder.glob("*.eml"), reverse=True)[:LIMIT] if folder.is_dir() else []
    return render(
        request,
        "emails/dev-mail.html",
        {"mails": [read_mail(path) for path in paths], "folder": folder},
    )


@local_debug_only
@require_GET
def mail_file(request, folder: Path, name: str):
    """One message as it is on disk, for a mail program to open."""
    path = folder / name
    if not EML_NAME.fullmatch(name) or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="message/rfc822"
    )
