"""One helper for every e-mail: subject, text and HTML rendered in the recipient's language.

Templates live in ``templates/emails/<name>-subject.txt``, ``<name>-body.txt``
and ``<name>-body.html`` (after healthchecks' hc/lib/emails.py).

Without a mail server (the embedded default) ``EmlFileBackend`` writes each message
to its own ``.eml`` file, which a mail program opens as it is.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.template.loader import render_to_string
from django.utils import translation


def recipient_language(user=None, organisation=None, fallback: str | None = None) -> str:
    """The user's own language, else the organisation's, else the site default."""
    if user is not None and getattr(user, "language", ""):
        return user.language
    if organisation is not None:
        return organisation.language
    return fallback or settings.LANGUAGE_CODE


def send(name: str, to: str, context: dict, language: str, *, headers: dict | None = None) -> None:
    """Render ``name`` in ``language`` and send it to one address."""
    ctx = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", ctx).strip()
        subject = " ".join(subject.splitlines())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    message.send()


class EmlFileBackend(FileBackend):
    """One ``<timestamp>-<id>.eml`` file per message in ``file_path``.

    Django's file backend appends every message of a connection to one ``.log`` file with
    separator lines, which no mail program reads. The timestamp leads the name so that
    the files sort by the time they were written.
    """

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages or []:
            try:
                self.write_eml(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent

    def write_eml(self, message) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        path = Path(self.file_path) / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        # Written aside and renamed, so a reader (the /dev/mail/ page) never sees half a message.
        fd, temporary = tempfile.mkstemp(dir=self.file_path, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.message().as_bytes())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path
