"""One helper for every e-mail: subject, text and HTML rendered in the recipient's language.

Templates live in ``templates/emails/<name>-subject.txt``, ``<name>-body.txt``
and ``<name>-body.html`` (after healthchecks' hc/lib/emails.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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
