"""Each organisation's revision: a number that moves on every write, and the caches keyed by it.

A page that is expensive to render and the same for every member (the
alignment tree) is cached under a key that holds the organisation's revision
(``cached``). Every write bumps the revision, so a cached copy is never
read after a change: it is simply no longer asked for, and expires.

Where the writes are seen: ``watch`` connects the models of each app
(their ``post_save`` and ``post_delete``: every service that saves or
deletes a row, whatever it is), and services that write with
``QuerySet.update()`` or in bulk call ``bump`` themselves.

Why the revision lives in the cache, bumped twice: the cache is the one
store every web process and worker shares (Redis in production, the
embedded default's folder), and a bump never waits on a lock held by
another transaction. ``bump`` moves it at once (the writer's own next read
in the same transaction sees the change) and again once the transaction has
committed: a reader that rendered the old rows between the two bumps stored
them under a revision nobody asks for any more. If the revision is lost
(evicted, the cache restarted) it starts again from a fresh, unrelated
number, so an old copy is never taken for a new one.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

#: How long a cached page lives at most (seconds): a write outside the services is seen then.
TIMEOUT = 600
_KEY = "org-revision:{}"


def _fresh() -> int:
    return time.time_ns()


# One read of each organisation's revision per request (a page with several cached parts
# asked Redis for it once per part); a bump in the request forgets it. Outside a request
# (a task, a command) nothing is kept.
_per_request = Local()


def _request_started(**kwargs) -> None:
    _per_request.revisions = {}


def _request_finished(**kwargs) -> None:
    _per_request.revisions = None


request_started.connect(_request_started, dispatch_uid="accounts.revision.request_started")
request_finished.connect(_request_finished, dispatch_uid="accounts.revision.request_finished")


def current(organisation_id: int) -> int:
    """The organisation's revision now (read once per request)."""
    kept = getattr(_per_request, "revisions", None)
    if kept is not None and organisation_id in kept:
        return kept[organisation_id]
    key = _KEY.format(organisation_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), None)
        value = cache.get(key, 0)
    if kept is not None:
        kept[organisation_id] = value
    return value


def _bump_now(organisation_id: int) -> None:
    kept = getattr(_per_request, "revisions", None)
    if kept is not None:
        kept.pop(organisation_id, None)
    key = _KEY.format(organisation_id)
    try:
        cache.incr(key)
    except ValueError:  # not there (never set, evicted): a new, unrelated number
        cache.add(key, _fresh(), None)


def bump(organisation_id: int | None) -> None:
    """The organisation's data changed: now, and again when the transaction commits."""
    if organisation_id is None:
        return
    _bump_now(organisation_id)
    transaction.on_commit(partial(_bump_now, organisation_id))


@functools.cache
def release() -> str:
    """A digest of what renders the cached parts: the code, the templates, the translations.

    Part of every key: after an upgrade the new code asks for new keys, so it
    never serves what the old code rendered (nor reads a value of an older
    shape), even while no write has moved the revision. Read once per process.
    """
    digest = hashlib.sha256()
    for folder in ("accounts", "alignment", "okr", "templates", "locale"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".mo") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _page_key(organisation_id: int, name: str, revision: int, parts: Iterable) -> str:
    digest = hashlib.sha256(repr(list(parts)).encode()).hexdigest()[:32]
    return f"org-page:{release()}:{organisation_id}:{name}:{revision}:{digest}"


def cached(
    organisation_id: int,
    name: str,
    parts: Iterable,
    render: Callable[[], object],
    *,
    local: bool = False,
):
    """``render()``'s value, from the cache while the organisation's revision has not moved.

    ``parts`` is everything else the value depends on (the day, the language,
    the filters): each combination has its own entry.

    ``local``: this process also keeps the value it read or rendered, for a
    page that is large (the fully open tree is 7 MB, which costs more to fetch
    from Redis and unpickle than to send). The key holds the revision, read
    from the shared cache on every request, so a write through any process
    is seen at once all the same. The value is then shared by this process's
    requests: the caller must not change it.
    """
    key = _page_key(organisation_id, name, current(organisation_id), parts)
    if local:
        value = _local.get(key)
        if value is not None:
            return value
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, TIMEOUT)
    if local:
        _local.put(key, value)
    return value


class _LocalStore:
    """The process's own copies of large cached parts: the most recently used, up to
    ``limit`` bytes of text, each for at most ``TIMEOUT`` seconds (as in the shared cache)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._entries: OrderedDict[str, tuple[float, object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value) -> None:
        size = _size(value)
        if size > self.limit:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + TIMEOUT, value, size)
            self._size += size
            while self._size > self.limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _drop(self, key: str) -> None:
        self._size -= self._entries.pop(key)[2]


def _size(value) -> int:
    """About how many bytes a cached value holds: its texts (what makes a page large)."""
    if isinstance(value, (bytes, str)):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values()) + 64
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value) + 64
    return 64


#: 16 MB a process: the fully open tree of a 2,000-objective organisation and a few more.
_local = _LocalStore(16 * 1024 * 1024)


#: What cached HTML holds in place of the CSRF token; each response puts in its own.
CSRF_PLACEHOLDER = "\ue000csrf-token\ue001"


def cached_html(request, organisation_id: int, name: str, parts: Iterable, render) -> SafeString:
    """``cached`` for HTML with forms in it, the same for everyone with the same ``parts``.

    ``render(csrf_token)`` renders with ``csrf_token`` as the template's token
    (pass it in the context as ``csrf_token``): it is a placeholder that each
    response replaces with the request's own token, so one cached copy serves
    every person and no one's token is ever shown to another.
    """
    html = cached(organisation_id, name, parts, lambda: str(render(CSRF_PLACEHOLDER)))
    return with_token(request, html)


def with_token(request, html: str, token: str | None = None) -> SafeString:
    """Cached HTML rendered with ``CSRF_PLACEHOLDER`` as the token, with the request's own.

    ``token``: the one ``get_token`` gave this response already (each call masks the
    secret anew), so that a page put together from several parts has one token.
    """
    return mark_safe(html.replace(CSRF_PLACEHOLDER, token or get_token(request)))  # noqa: S308 - rendered by a template


#: Where a page's cached part goes, in the page rendered around it (``splice``).
PART_PLACEHOLDER = mark_safe("\ue000cached-part\ue001")


def splice(response, part: bytes):
    """The rendered ``response`` with the cached ``part`` (UTF-8) at ``PART_PLACEHOLDER``.

    A large part (the fully open tree is 7 MB) put in a template is copied
    once per level of the template and encoded again for every response;
    spliced in as bytes it is copied once.
    """
    head, tail = response.content.split(PART_PLACEHOLDER.encode(), 1)
    response.content = b"".join((head, part, tail))
    return response


def cached_many[K](
    organisation_id: int,
    name: str,
    parts: dict[K, Iterable],
    render: Callable[[list[K]], dict[K, object]],
) -> dict[K, object]:
    """``cached`` for several values at once (a team's block each): one read for all.

    ``parts`` maps each wanted value's name to what it depends on;
    ``render(missing)`` renders the ones not in the cache in one go and
    returns them by name.
    """
    revision = current(organisation_id)
    keys = {k: _page_key(organisation_id, name, revision, p) for k, p in parts.items()}
    found = cache.get_many(list(keys.values())) if keys else {}
    values = {k: found[key] for k, key in keys.items() if key in found}
    missing = [k for k in keys if k not in values]
    if missing:
        rendered = render(missing)
        cache.set_many({keys[k]: rendered[k] for k in missing}, TIMEOUT)
        values.update(rendered)
    return values


# --- Which writes bump it ----------------------------------------------------------------------


def _organisation_of(instance) -> int | None:
    return getattr(instance, "organisation_id", None)


def _on_write(sender, instance, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    watched = _watched.get(sender)
    if watched is None:
        return
    of, fields = watched
    if fields is not None and update_fields is not None and not set(update_fields) & fields:
        return  # a save of fields no cached page shows (a user's last login)
    for organisation_id in of(instance):
        bump(organisation_id)


_watched: dict[type, tuple[Callable, frozenset | None]] = {}


def watch(*models, of: Callable | None = None, fields: Iterable[str] | None = None) -> None:
    """Bump the organisation of every saved or deleted row of ``models``.

    ``of(instance)`` gives the organisation ids (default: its ``organisation_id``);
    ``fields``: only saves that may change these fields count.
    """
    for model in models:
        _watched[model] = (
            of or (lambda instance: [_organisation_of(instance)]),
            frozenset(fields) if fields is not None else None,
        )
        uid = f"accounts.revision.{model._meta.label}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
