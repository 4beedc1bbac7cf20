"""The API's JSON parser: bounded in size and depth, strict about numbers.

DRF reads a JSON body straight from the request stream, past Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` check (which guards ``request.body`` and forms
only), and Python's ``json`` recurses once per nested array or object, so a body
of ten thousand ``[`` raised ``RecursionError`` (a 500). Here the body is read up
to the same limit (one byte more is a 413), its nesting is measured before it is
parsed (deeper than :data:`MAX_DEPTH` is a 400), and NaN, Infinity and numbers
that overflow a float (``1e999``) are refused as the JSON standard has them.
"""

from __future__ import annotations

import codecs
import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

#: The deepest nesting of arrays and objects a body may have (the API's bodies need 3).
MAX_DEPTH = 32

# Everything that is not a bracket or a string, and the strings (escapes included):
# what is left after removing them is the brackets, in order.
_NOT_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[^\[\]{}"]+', re.DOTALL)


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON ``text`` (brackets in strings do not count)."""
    depth = deepest = 0
    for bracket in _NOT_BRACKETS.sub("", text):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name):
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(_("The number %(number)s is too large.") % {"number": text[:40]})
    return number


class JSONParser(DRFJSONParser):
    """DRF's JSON parser with a size limit, a depth limit and finite numbers only."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = b"" if stream is None else stream.read(-1 if limit is None else limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig(_("The request body is too large."))
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(
                _("The body is not valid %(encoding)s.") % {"encoding": encoding}
            ) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("The JSON is nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from None
