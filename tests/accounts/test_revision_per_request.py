"""The organisation's revision is read once per request; a bump in the request is seen at once."""

from django.core.cache import cache

from accounts import revision


def test_read_once_per_request_and_a_bump_is_seen():
    org = 987654321
    first = revision.current(org)
    # Only the revision's own receivers: Django's would close database connections.
    revision._request_started()
    try:
        assert revision.current(org) == first
        cache.incr(f"org-revision:{org}")  # another process writes meanwhile
        assert revision.current(org) == first  # this request keeps the one it read
        revision._bump_now(org)  # this request writes
        assert revision.current(org) == first + 2
    finally:
        revision._request_finished()
    cache.incr(f"org-revision:{org}")
    assert revision.current(org) == first + 3  # outside a request: read each time
