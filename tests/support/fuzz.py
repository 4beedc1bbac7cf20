"""What the fuzzers share: hostile values, a snapshot of every row, and the request tally.

``HOSTILE`` is the fixed list of bad input every fuzzer sends (form posts carry
UTF-8, so a lone surrogate travels as its raw bytes; the API gets the JSON escape).
``snapshot()`` reads every table of the accounts, okr and alignment apps in one
query (row count and a digest of the rows), so a refused write can be proven to
have changed nothing. ``Tally`` counts a fuzzer's requests and server errors, and
``record`` writes the counts to test-artifacts/fuzz-counts.json for the closing note.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import connection

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
COUNTS_FILE = ARTIFACTS / "fuzz-counts.json"
KEPT_RUNS = 10

#: Raw bytes of the lone surrogate U+D800 as a careless UTF-8 encoder writes them.
SURROGATE_BYTES = b"\xed\xa0\x80"

#: Bad input of every kind the issue names, as text a form can carry.
HOSTILE: list[str] = [
    "",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "\u202eevil\u202c",
    "👍🏽🇸🇪",
    "1,5",
    "1 000,5",
    "NaN",
    "Infinity",
    "1e309",
    "-1",
    "1" + "0" * 400,
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "not-a-uuid",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "null,null",
    "https://evil.example/",
    "//evil.example",
    "' OR 1=1 --",
    "%s%n{0}",
]

#: Values for a ``next`` parameter: a redirect must stay on the site whatever it says.
HOSTILE_NEXT = ["-1", "not-a-uuid", "1,5", "👍", "https://evil.example/", "//evil.example/x"]

#: Table names of the apps whose rows a refused write must leave alone.
FUZZED_APPS = ("accounts", "okr", "alignment")


def fuzzed_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for label in FUZZED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed and not model._meta.proxy
    )


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table of the fuzzed apps: (row count, digest of all its rows), in one query."""
    tables = fuzzed_tables()
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT count(*) FROM {quote(t)}), "  # noqa: S608 - names from the models
        f"(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
        f"FROM {quote(t)} AS r)"
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return {t: (row[2 * i], row[2 * i + 1]) for i, t in enumerate(tables)}


def all_uuids() -> set:
    """The public id of every row of the fuzzed apps (any kind, any organisation)."""
    found = set()
    for label in FUZZED_APPS:
        for model in apps.get_app_config(label).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            if "uuid" in names and not model.__name__.startswith("Historical"):
                found.update(model._base_manager.values_list("uuid", flat=True))
    return found


def changed_tables(before: dict, after: dict) -> dict[str, tuple]:
    """The tables whose rows differ, with their counts before and after."""
    return {t: (before[t][0], after[t][0]) for t in before if before[t] != after[t]}


def off_site(location: str) -> bool:
    """Whether a redirect target leaves the site (another host, or a scheme-relative URL)."""
    target = location.strip().replace("\\", "/")
    return target.startswith("//") or "://" in target.split("?", 1)[0]


@dataclass
class Tally:
    """The requests one fuzzer sent and what went wrong, each problem with its request."""

    name: str
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    open_redirects: list[str] = field(default_factory=list)
    #: Answers a check let pass by its one stated exception (schemathesis: unknown ids).
    excused: int = 0
    #: How many answers of each status code (hundreds: "2xx", "4xx", ...).
    statuses: Counter = field(default_factory=Counter)
    #: The counts already written to the counts file.
    recorded: dict = field(default_factory=dict)

    def read(self, url: str, response) -> None:
        """Count a GET (a page the sweep opened): only a server error matters."""
        judged(self, f"GET {url}{_describe(response)}", response, None)

    def problems(self) -> list[str]:
        return [*self.server_errors, *self.half_written, *self.open_redirects]

    def counts(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "server_errors": len(self.server_errors),
            "half_written": len(self.half_written),
            "open_redirects": len(self.open_redirects),
            "excused": self.excused,
            **self.statuses,
        }

    def report(self) -> None:
        print(
            f"\nfuzz {self.name}: {self.requests} requests, "
            f"{len(self.server_errors)} server errors, {len(self.half_written)} half-written, "
            f"{len(self.open_redirects)} open redirects"
            + (f", {self.excused} excused" if self.excused else "")
            + f"; answers {dict(sorted(self.statuses.items()))}"
        )
        record(self)


def record(tally: Tally) -> None:
    """Add ``tally`` to test-artifacts/fuzz-counts.json, under the test run's name.

    Summed over the xdist workers and the tests of one fuzzer; the file keeps the last
    few runs (several may share the folder), the newest last."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = os.environ.get("OKR_TEST_RUN_ID", "")
    with open(COUNTS_FILE, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        data = {}
        with contextlib.suppress(ValueError):
            data = json.loads(handle.read() or "{}")
        runs = [r for r in data.get("runs", []) if isinstance(r, dict) and r.get("run") != name]
        run = next((r for r in data.get("runs", []) if r.get("run") == name), None)
        run = run or {"run": name, "fuzzers": {}}
        entry = run["fuzzers"].setdefault(tally.name, {"answers": {}})
        # Only what this tally has not written yet: a module's tally may be reported more
        # than once (xdist can tear a module fixture down and set it up again).
        counts = tally.counts()
        for key, count in counts.items():
            done = tally.recorded.get(key, 0)
            if key.endswith("xx"):
                entry["answers"][key] = entry["answers"].get(key, 0) + count - done
            else:
                entry[key] = entry.get(key, 0) + count - done
        tally.recorded = counts
        data = {"runs": [*runs[-(KEPT_RUNS - 1) :], run]}
        handle.seek(0)
        handle.truncate()
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")


# --- Sending one request and judging what it did ------------------------------------------------

#: Marks of a page that shows its form again with errors (the templates' error markup).
ERROR_MARKS = (
    'class="errorlist',
    'aria-invalid="true"',
    'class="error-summary"',
    "has-errors",
    "status-error",
    "message-error",
)


def refused(response) -> bool:
    """Whether the answer refuses the change: 4xx, a form shown again with errors, or a
    redirect with an error message (the messages framework, WARNING and up)."""
    if 400 <= response.status_code < 500:
        return True
    storage = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    if storage is not None and any(m.level >= 30 for m in getattr(storage, "_queued_messages", [])):
        return True
    if response.status_code == 200 and not getattr(response, "streaming", False):
        html = response.content.decode("utf-8", "replace")
        return any(mark in html for mark in ERROR_MARKS)
    return False


def judged(tally: Tally, label: str, response, before: dict | None) -> None:
    """Count one answer: a server error, a refused write that changed rows, an open redirect.

    ``before`` is the snapshot taken before the request (None: a read, nothing to compare).
    """
    tally.requests += 1
    status = response.status_code
    tally.statuses[f"{status // 100}xx"] += 1
    if status >= 500:
        tally.server_errors.append(f"{label}: {status}")
        return
    location = response.get("Location") or response.get("HX-Redirect") or ""
    if location and off_site(location):
        tally.open_redirects.append(f"{label}: redirects to {location!r}")
    if before is not None and refused(response):
        changed = changed_tables(before, snapshot())
        if changed:
            tally.half_written.append(f"{label}: refused ({status}) but changed {changed}")


# --- Fuzzing one form -------------------------------------------------------------------------

#: What a form's controls get: every hostile text, and a lone surrogate as UTF-8 bytes.
FORM_VALUES: list[str | bytes] = [*HOSTILE, SURROGATE_BYTES, b"a" + SURROGATE_BYTES + b"b"]
#: Values each single control gets (the others keep what the page filled in).
PER_CONTROL = 6
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def _describe(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f" ({exc[0].__name__}: {str(exc[1])[:200]})" if exc else ""


def send_form(tally: Tally, client, form, data: dict, *, htmx: bool, before: dict) -> None:
    """Post ``data`` to ``form`` and judge the answer, then undo everything it wrote.

    The request runs in a savepoint that is rolled back, and the client's cookies are
    put back, so every request meets the same rows and the same signed-in session
    (a sign-out or a deleted membership included).
    """
    import copy
    from urllib.parse import urlsplit

    from django.db import DatabaseError, transaction

    from tests.support.sweep import encode

    target = urlsplit(form.action)
    path = target.path + (f"?{target.query}" if target.query else "")
    cookies = copy.deepcopy(client.cookies)
    label = f"POST {path} {'(htmx) ' if htmx else ''}{_short(data)}"
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    try:
        with transaction.atomic():
            try:
                response = client.post(path, encode(data), content_type=FORM_CONTENT_TYPE, **extra)
                judged(tally, label + _describe(response), response, before)
            except DatabaseError as exc:
                tally.server_errors.append(f"{label}: left the transaction broken ({exc})")
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def _short(data: dict) -> str:
    shown = {
        k: (v[:30] + b"..." if len(v) > 30 else v)
        if isinstance(v, bytes)
        else (v[:30] + "..." if len(v) > 30 else v)
        for k, v in data.items()
        if k != "csrfmiddlewaretoken"
    }
    return repr(shown)[:300]


def fuzz_form(tally: Tally, client, form, *, other_clients=()) -> None:
    """Every hostile value into every control of ``form`` at once, then into each control
    alone; a hostile ``next`` beside them; and the untouched form from other roles."""
    from tests.support.fuzz import snapshot as take

    before = take()
    defaults = form.defaults()
    names = [n for n in form.names if n != "csrfmiddlewaretoken"]
    for i, value in enumerate(FORM_VALUES):
        data = {**defaults, **dict.fromkeys(names, value)}
        if "next" not in names:
            data["next"] = HOSTILE_NEXT[i % len(HOSTILE_NEXT)]
        send_form(tally, client, form, data, htmx=form.htmx, before=before)
    for j, name in enumerate(names):
        values = (
            HOSTILE_NEXT
            if name == "next"
            else [FORM_VALUES[(j * PER_CONTROL + k) % len(FORM_VALUES)] for k in range(PER_CONTROL)]
        )
        for value in values:
            send_form(tally, client, form, {**defaults, name: value}, htmx=form.htmx, before=before)
    for other in other_clients:
        send_form(tally, other, form, defaults, htmx=form.htmx, before=before)
