"""The Redis cache backend reuses one client per connection pool and still caches."""

import os

import pytest

from okr.redis_cache import RedisCache


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (make test finds one)")
def test_one_client_serves_every_operation():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-redis-cache"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # one server: reads and writes share it
    cache.set("answer", {"value": 42}, 30)
    assert cache.get("answer") == {"value": 42}
    assert cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    cache.delete("answer")
    assert cache.get("answer") is None
