"""Chat notification fixtures: a local receiver that records the posts, queued message ids."""

from __future__ import annotations

import pytest

from okr.chat import services, tasks
from tests.support.receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def queued(monkeypatch):
    """The message ids queued after commit (instead of the broker), in order."""
    found = []
    monkeypatch.setattr(tasks, "queue", lambda ids, countdown=0: found.extend(ids))
    return found


@pytest.fixture
def make_hook(cast):
    def make(url="https://hooks.slack.com/services/T000/B000/abcd", *, org=None, **kwargs):
        kwargs.setdefault("kind", "slack")
        kwargs.setdefault("author", None)
        return services.hook_create(organisation=org or cast.org, url=url, **kwargs)

    return make
