"""@mentions: find them in a comment's text and show them, for members of one organisation only.

``@`` followed by a member's name ("@Vilma Andersson"), their first name when no
other member shares it ("@Vilma"), or the local part of their e-mail address
("@vilma.andersson") names that member. Candidates are only the organisation's
members, so an outsider's name or address never resolves. Pure code: the
members are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: What may stand right before an ``@`` (so "anna@example.com" is no mention).
_BEFORE = re.compile(r"[\w.@]")
#: A handle ends at the end of the text or where no letter, digit, "." or "-" follows.
_HANDLE_END = re.compile(r"[\w-]")


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str


def _handles(members: Iterable[Member]) -> list[tuple[str, int]]:
    """(handle in lower case, user id), longest first: the longest handle that fits wins."""
    members = list(members)
    firsts: dict[str, set[int]] = {}
    for member in members:
        if member.name.strip():
            firsts.setdefault(member.name.split()[0].casefold(), set()).add(member.user_id)
    found: dict[str, set[int]] = {}
    for member in members:
        handles = {member.email.split("@", 1)[0].casefold()}
        if member.name.strip():
            name = " ".join(member.name.split())
            handles.add(name.casefold())
            first = name.split()[0].casefold()
            if len(firsts[first]) == 1:
                handles.add(first)
        for handle in handles:
            if handle:
                found.setdefault(handle, set()).add(member.user_id)
    # A handle two members share (two people named the same) names nobody.
    unique = [(handle, ids.pop()) for handle, ids in found.items() if len(ids) == 1]
    return sorted(unique, key=lambda item: (-len(item[0]), item[0]))


@dataclass(frozen=True)
class Span:
    start: int  # the "@"
    end: int
    user_id: int


def find(text: str, members: Iterable[Member]) -> list[Span]:
    """Every mention in ``text`` of one of ``members``, in order."""
    handles = _handles(members)
    if not handles or "@" not in text:
        return []
    folded = text.casefold()
    if len(folded) != len(text):  # a letter that folds to two: compare in lower case instead
        folded = text.lower()
        if len(folded) != len(text):
            return []
    spans: list[Span] = []
    position = 0
    while (at := text.find("@", position)) != -1:
        position = at + 1
        if at > 0 and _BEFORE.match(text[at - 1]):
            continue
        for handle, user_id in handles:
            end = at + 1 + len(handle)
            if folded.startswith(handle, at + 1) and not (
                end < len(text) and _HANDLE_END.match(text[end])
            ):
                spans.append(Span(at, end, user_id))
                position = end
                break
    return spans


def mentioned_ids(text: str, members: Iterable[Member]) -> list[int]:
    """The members ``text`` mentions, each once, in the order first mentioned."""
    seen: list[int] = []
    for span in find(text, members):
        if span.user_id not in seen:
            seen.append(span.user_id)
    return seen


def render(text: str, members: Iterable[Member]) -> SafeString:
    """``text`` escaped, its line breaks kept, each mention of ``members`` marked up."""
    members = list(members)
    names = {member.user_id: member.name or member.email for member in members}
    out: list[str] = []
    position = 0
    for span in find(text, [m for m in members if m.user_id in names]):
        out.append(_lines(text[position : span.start]))
        out.append(
            f'<span class="mention" title="{escape(names[span.user_id])}">'
            f"{escape(text[span.start : span.end])}</span>"
        )
        position = span.end
    out.append(_lines(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text is escaped above


def _lines(part: str) -> str:
    return escape(part).replace("\r\n", "\n").replace("\n", "<br>")
