"""What a search query means and how a match is shown. Pure: no database, no Django.

A query is read as words: runs of letters and digits (``[^\\W_]+``); everything else
(``& | ! : * ( ) ' "``, backslashes, ``<->``) only separates them. So whatever
someone types, the text search query built from it (:func:`tsquery`) holds nothing but
quoted words joined by ``&``, and the last word is a prefix (``pilotk`` finds
"pilotkunder" while it is being typed). The same words drive the fallback (SQLite:
every word somewhere in the text, case-insensitively) and its highlighting.

Highlighting never trusts the text: :func:`highlight` (the fallback's, in Python) and
:func:`from_headline` (PostgreSQL's ``ts_headline`` output, whose matches are wrapped
in the private-use :data:`START` and :data:`STOP` characters) escape every character
and add only balanced ``<mark>`` and ``</mark>``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MIN_LENGTH = 2  # letters and digits in all, below which a query is "too short"
MAX_LENGTH = 200  # characters a query may have (longer is refused, not cut)
MAX_TERMS = 8  # words used; the rest of a long query is ignored
MAX_TERM_LENGTH = 60  # a longer "word" is cut (nobody types one; tsvector lexemes max 2 kB)

#: Put around each match by ``ts_headline`` (StartSel, StopSel): characters nobody types.
START = "\ue000"
STOP = "\ue001"

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Query:
    text: str  # as typed, stripped
    terms: tuple[str, ...]  # lower-case words, at most MAX_TERMS, no repeats

    @property
    def too_short(self) -> bool:
        return sum(len(t) for t in self.terms) < MIN_LENGTH

    @property
    def empty(self) -> bool:
        return not self.text


def parse(text: str) -> Query:
    """The words of ``text`` (already checked for NUL, surrogates and length)."""
    text = text.strip()
    terms: list[str] = []
    for word in _WORD.findall(text):
        term = word.lower()[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return Query(text=text, terms=tuple(terms))


def tsquery(query: Query) -> str:
    """The words as a PostgreSQL ``to_tsquery`` text: ``'a' & 'b' & 'c':*``.

    Each word is quoted and has only letters and digits, so no operator of the
    ``tsquery`` syntax can reach the parser; the text is sent as a parameter.
    """
    quoted = [f"'{term}'" for term in query.terms]
    if quoted:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _pattern(terms) -> re.Pattern | None:
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, terms) -> str:
    """``text`` as HTML, escaped, with every occurrence of a term in ``<mark>``."""
    pattern = _pattern(terms)
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(html.escape(text[last : found.start()]))
        out.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def matches(text: str, terms) -> bool:
    pattern = _pattern(terms)
    return bool(pattern and pattern.search(text))


def snippet(text: str, terms, *, words: int = 24) -> str:
    """About ``words`` words of ``text`` around the first match, with "…" where cut."""
    tokens = text.split()
    if len(tokens) <= words:
        return " ".join(tokens)
    pattern = _pattern(terms)
    first = next((i for i, t in enumerate(tokens) if pattern and pattern.search(t)), 0)
    start = max(0, min(first - words // 3, len(tokens) - words))
    end = start + words
    cut = " ".join(tokens[start:end])
    return ("… " if start else "") + cut + (" …" if end < len(tokens) else "")


def from_headline(headline: str) -> str:
    """``ts_headline`` output (matches between START and STOP) as escaped HTML with ``<mark>``.

    A START or STOP the text itself contained only opens or closes a mark; marks
    are always balanced and never nested.
    """
    out, open_ = [], False
    for part in re.split(f"([{START}{STOP}])", headline):
        if part == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(part))
    if open_:
        out.append("</mark>")
    return "".join(out).replace("<mark></mark>", "")


def has_mark(headline: str) -> bool:
    return START in headline
