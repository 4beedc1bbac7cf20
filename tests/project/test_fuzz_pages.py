"""Query parameters, fuzzed on every page: no value of any parameter answers 500.

Every page of the DPAB demo (every URL pattern, and the pages its links lead to)
is opened once to learn which query parameters it reads (``request.GET`` and the
filter forms bound to it, recorded as they are read), then again with hostile
values in each of them, in all of them at once, beside ``next`` and parameters
it does not know. As an admin, then as a member and anonymously for the pages the
admin does not have.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from django.http import QueryDict

from tests.support.fuzz import FORM_VALUES, HOSTILE_NEXT, Tally
from tests.support.sweep import codes_of, demo_world, encode, pages, signed_in

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
#: Values each parameter a page reads gets alone (all of FORM_VALUES go to all at once).
PER_PARAMETER = 6
#: Pages of one view fuzzed (the others of that view differ only in their object).
PAGES_PER_VIEW = 2
#: Names no page reads, sent along to show that an unknown parameter is ignored.
UNKNOWN = ["x", "__proto__", "page[]", "q\x00"]


def parameters_in_the_code() -> set[str]:
    """Every name the code reads from ``request.GET`` (the pages' own parameters)."""
    names = set()
    pattern = re.compile(r"request\.GET(?:\.get|\.getlist|\[)\(?[\"']([\w-]+)[\"']")
    for package in ("accounts", "okr", "alignment"):
        for path in (BASE_DIR / package).rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


@contextlib.contextmanager
def parameters_read():
    """The names looked up in any QueryDict meanwhile (a GET page reads only request.GET)."""
    read: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__")}

    def recording(original):
        def lookup(self, key, *args, **kwargs):
            read.add(key)
            return original(self, key, *args, **kwargs)

        return lookup

    for name, original in originals.items():
        setattr(QueryDict, name, recording(original))
    try:
        yield read
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def fuzz_page(tally: Tally, client, url: str, static_names: set[str]) -> None:
    path = url.split("?", 1)[0]
    base = dict(QueryDict(url.split("?", 1)[1]).items()) if "?" in url else {}
    with parameters_read() as read:
        tally.read(url, client.get(url))
    names = sorted(read | set(base))
    for j, name in enumerate(names):
        for k in range(PER_PARAMETER):
            value = FORM_VALUES[(j * PER_PARAMETER + k) % len(FORM_VALUES)]
            query = encode({**base, name: value})
            tally.read(f"{path}?{query.decode()}", client.get(f"{path}?{query.decode()}"))
    everything = sorted(set(names) | static_names | set(UNKNOWN))
    for i, value in enumerate(FORM_VALUES):
        data = dict.fromkeys(everything, value)
        data["next"] = HOSTILE_NEXT[i % len(HOSTILE_NEXT)]
        query = encode(data).decode()
        tally.read(f"{path}?{query[:200]}", client.get(f"{path}?{query}"))


def test_every_page_reads_every_query_parameter_without_a_server_error(db):
    world = demo_world()
    organisation, users = world.organisation, world.users
    tally = Tally("query-parameters")
    static_names = parameters_in_the_code()
    assert {"year", "quarter", "team", "next", "expand"} <= static_names
    codes, kinds = codes_of(organisation, world.first), {}
    ignore = Tally("discovery")  # the pages found are fuzzed below; their first GET not counted
    fuzzed = 0
    per_view: dict[str, int] = {}  # a view the admin's pages had is not fuzzed again
    for role in ("admin", "member", None):
        client = signed_in(users[role] if role else None)
        for url in pages(
            client, organisation.slug, codes, kinds, counter=ignore.read, extra=world.urls
        ):
            view = _view(url)
            if per_view.get(view, 0) >= PAGES_PER_VIEW:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            fuzz_page(tally, client, url, static_names)
            fuzzed += 1
    print(f"\nfuzz query parameters: {fuzzed} pages")
    tally.report()
    assert fuzzed >= 50
    assert ignore.server_errors == []
    assert tally.problems() == []


def _view(url: str) -> str:
    from django.urls import resolve

    return resolve(url.split("?", 1)[0]).view_name
