"""The forms' side of ``accounts.cleaning``: the base every form of the app builds on.

``Form`` and ``ModelForm`` (through :class:`TextRules`) give every text field of a
form the rules the API's ``TextField`` has: no NUL character, no lone surrogate,
and a length limit (``TEXT_MAX_LENGTH`` when the field names none), with the same
messages. :func:`refusing` turns a pure check (``accounts.cleaning``,
``okr.lib.fields``) into a Django validator; :func:`message` translates a
:class:`~accounts.cleaning.Refused` for forms and serializers alike.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.cleaning import TEXT_MAX_LENGTH, Refused, check_text


def message(refused: Refused) -> str:
    """The refusal's message in the active language, with its values filled in."""
    text = gettext(refused.message)
    return text % refused.params if refused.params else text


def as_validation_error(refused: Refused) -> forms.ValidationError:
    return forms.ValidationError(message(refused), code=refused.code)


def refusing(check):
    """A Django validator that runs ``check(value)`` (which raises ``Refused``)."""

    def validate(value):
        try:
            check(value)
        except Refused as refused:
            raise as_validation_error(refused) from None

    return validate


def text_validator(max_length: int | None):
    """NUL, lone surrogates and (with ``max_length``) the length of a text value.

    Values that are not text are left alone: a field may clean to a number (a text box
    for a number is a ``CharField`` whose ``to_python`` parses it).
    """

    def check(value):
        if isinstance(value, str):
            check_text(value, max_length=max_length)

    return refusing(check)


validate_text = text_validator(None)


def apply_text_rules(field: forms.Field) -> None:
    """Give one text field the app's text rules (idempotent)."""
    if not isinstance(field, forms.CharField) or getattr(field, "text_rules", False):
        return
    field.text_rules = True
    # Django's own NUL check says it in other words; one message for pages and the API.
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    if field.max_length is not None:
        field.validators.append(validate_text)
    else:
        field.max_length = TEXT_MAX_LENGTH
        field.validators.append(text_validator(TEXT_MAX_LENGTH))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))


class TextRules:
    """Mixin for forms: every text field refuses NUL and lone surrogates, and is bounded.

    Applied when the form is made and again before it is cleaned, so fields a form
    adds in its own ``__init__`` after this one are covered too.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            apply_text_rules(field)

    def full_clean(self):
        for field in self.fields.values():
            apply_text_rules(field)
        super().full_clean()


class Form(TextRules, forms.Form):
    """The base of the app's forms."""


class ModelForm(TextRules, forms.ModelForm):
    """The base of the app's model forms."""


class DayInput(forms.TextInput):
    """A day typed in a text box as YYYY-MM-DD, whatever the browser's locale.

    Not ``type=date``: Chromium draws that box in the *browser's* locale (mm/dd/yyyy
    under an English browser, inside a Swedish page), and ``lang`` on the input does
    not change it. The ISO order with a placeholder in the page's language reads the
    same for everyone; the server parses it (``DayField``).
    """

    def __init__(self, attrs=None):
        defaults = {
            "class": "input-day",
            "placeholder": _("YYYY-MM-DD"),
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": "10",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return value.isoformat()
        return super().format_value(value)
