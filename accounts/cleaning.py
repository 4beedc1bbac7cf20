"""What the app accepts as text, a choice or an id, for pages and the API alike. Pure.

The Django form fields and form base (``accounts.fields``) and the API's serializer
fields (``accounts.api.fields``) call these functions and turn a :class:`Refused`
into their own validation error, so a page and the API refuse the same input with
the same message. Numbers and days follow the same pattern in ``okr.lib.fields``
(they need the OKR calendar, which ``accounts`` does not import).

Nothing here imports Django. Messages are marked for translation with ``_``, a
no-op here that ``makemessages`` still finds; the callers translate them in the
request's language (``accounts.fields.message``). Input quoted in a message is
passed through :func:`shown` first: a lone surrogate ("\\ud800") cannot be encoded
in an answer, so quoting it as it came would turn a 400 into a 500.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable


def _(text: str) -> str:
    """Mark ``text`` for translation (the caller translates it)."""
    return text


#: The longest text any field takes when it names no limit of its own (a why, a vision).
TEXT_MAX_LENGTH = 5000

_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(ValueError):
    """The input is not acceptable: ``message`` (English, to translate) with ``params``."""

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.code = code
        self.params = params


def shown(value, limit: int = 40) -> str:
    """``value`` as it may be quoted back in a message: short, and always encodable."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def check_text(value: str, *, max_length: int | None = TEXT_MAX_LENGTH) -> str:
    """``value`` if it can be stored and is not too long; else :class:`Refused`.

    PostgreSQL cannot store NUL, and no encoding can write a lone surrogate (half of a
    UTF-16 pair, which only a JSON ``\\ud800`` escape can produce).
    """
    if "\x00" in value:
        raise Refused(_("Text cannot contain the NUL character (U+0000). Remove it."), "null")
    if found := _SURROGATE.search(value):
        raise Refused(
            _(
                "Text cannot contain %(char)s: it is half of a character (a lone surrogate). "
                "Remove it."
            ),
            "surrogate",
            char=f"U+{ord(found.group()):04X}",
        )
    if max_length is not None and len(value) > max_length:
        raise Refused(
            _("Write at most %(limit)d characters (this has %(count)d)."),
            "max_length",
            limit=max_length,
            count=len(value),
        )
    return value


CHOICE_MESSAGE = _("“%(value)s” is not one of the choices. Choose one of: %(choices)s.")


def check_choice(value, choices: Iterable) -> str:
    """``value`` if it is one of ``choices`` (values, or ``(value, label)`` pairs)."""
    values = [c[0] if isinstance(c, tuple | list) else c for c in choices]
    values = [str(v) for v in values if v not in ("", None)]
    if isinstance(value, str) and value in values:
        return value
    raise Refused(
        CHOICE_MESSAGE,
        "invalid_choice",
        value=shown(value),
        choices=", ".join(values),
    )


def check_uuid(value) -> uuid.UUID:
    """An id written as a UUID (``3fa85f64-5717-4562-b3fc-2c963f66afa6``)."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str) and len(value) <= 45:
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise Refused(_("Enter an id like 3fa85f64-5717-4562-b3fc-2c963f66afa6."), "invalid")
