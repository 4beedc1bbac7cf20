"""A process's own copies of large cached parts (``revision.cached(..., local=True)``)."""

from django.core.cache import cache

from accounts import revision


def test_a_local_copy_is_served_until_the_revision_moves(monkeypatch):
    org = 876543210
    revision._local.clear()
    renders = []

    def render():
        renders.append(1)
        return {"region": b"<ul>" + b"x" * 1000 + b"</ul>", "n": len(renders)}

    first = revision.cached(org, "big", ["sv"], render, local=True)
    # Served from this process's copy: only the revision is read from the shared cache.
    shared_get = cache.get

    def get(key, default=None):
        assert not key.startswith("org-page:"), key
        return shared_get(key, default)

    monkeypatch.setattr(cache, "get", get)
    assert revision.cached(org, "big", ["sv"], render, local=True) is first
    monkeypatch.undo()
    # Another process writes: the revision moves and the copy is no longer asked for.
    cache.incr(f"org-revision:{org}")
    assert revision.cached(org, "big", ["sv"], render, local=True)["n"] == 2
    assert len(renders) == 2


def test_the_local_store_keeps_the_most_recent_within_its_limit():
    store = revision._LocalStore(limit=3000)
    store.put("a", b"a" * 1000)
    store.put("b", "b" * 1000)
    assert store.get("a") is not None  # a is now the most recently used
    store.put("c", b"c" * 1500)  # over the limit: b goes
    assert store.get("b") is None and store.get("a") is not None and store.get("c") is not None
    store.put("huge", b"h" * 4000)  # larger than the whole store: not kept
    assert store.get("huge") is None and store.get("a") is not None


def test_a_local_copy_expires_with_the_shared_one(monkeypatch):
    store = revision._LocalStore(limit=3000)
    store.put("a", b"a")
    now = revision.time.monotonic()
    monkeypatch.setattr(revision.time, "monotonic", lambda: now + revision.TIMEOUT + 1)
    assert store.get("a") is None


def test_a_new_release_asks_for_new_keys(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ title }}</p>")
    settings.BASE_DIR = tmp_path
    revision.release.cache_clear()
    try:
        first = revision.release()
        assert revision.release() == first
        page.write_text("<p class='new'>{{ title }}</p>")  # an upgrade changed the template
        revision.release.cache_clear()
        assert revision.release() != first
        assert f"org-page:{revision.release()}:" in revision._page_key(1, "tree", 7, ["sv"])
    finally:
        revision.release.cache_clear()
