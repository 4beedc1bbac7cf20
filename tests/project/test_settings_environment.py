"""Settings read from the environment for a server: PostgreSQL connections and the trusted proxy.

okr/settings.py is loaded in a subprocess with a clean environment, as a server loads it,
so each case sees exactly the variables it sets.
"""

from __future__ import annotations

import json
import os
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.project.processes import BASE_DIR, PYTHON, clean_env, explain

SERVER = {
    "DJANGO_SETTINGS_MODULE": "okr.settings",
    "SECRET_KEY": "settings-test-secret-key-" + "x" * 40,
    "DATABASE_URL": "postgres://okr:okr@postgres:5432/okr",
    "REDIS_URL": "redis://redis:6379/0",
}


def run_settings(tmp_path, script: str, **variables: str) -> subprocess.CompletedProcess:
    env = clean_env(tmp_path, **{**SERVER, **variables})
    prelude = "import json, django; from django.conf import settings; django.setup(); "
    return subprocess.run(
        [str(PYTHON), "-c", prelude + script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database(tmp_path, **variables: str) -> dict:
    script = 'print(json.dumps(settings.DATABASES["default"], default=str))'
    result = run_settings(tmp_path, script, **variables)
    assert result.returncode == 0, explain(result)
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- PostgreSQL connections -----------------------------------------------------------------


def test_default_closes_connections_after_each_request(tmp_path):
    """A threaded server must not keep one idle connection per thread: the default is 0."""
    db = database(tmp_path)
    assert db["ENGINE"].endswith("postgresql")
    assert db["CONN_MAX_AGE"] == 0
    assert "pool" not in db.get("OPTIONS", {})


def test_conn_max_age_from_the_environment(tmp_path):
    db = database(tmp_path, DATABASE_CONN_MAX_AGE="60")
    assert db["CONN_MAX_AGE"] == 60
    # A kept connection is checked before reuse (the server may have closed it).
    assert db["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in db.get("OPTIONS", {})


def test_pool_from_the_environment_is_bounded(tmp_path):
    db = database(tmp_path, DATABASE_POOL="4", DATABASE_POOL_TIMEOUT="3")
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert db["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 3.0}


def test_pool_and_conn_max_age_together_are_refused(tmp_path):
    result = run_settings(tmp_path, "print(1)", DATABASE_POOL="4", DATABASE_CONN_MAX_AGE="60")
    assert result.returncode != 0
    assert "DATABASE_POOL or DATABASE_CONN_MAX_AGE" in result.stderr


def test_embedded_sqlite_never_pools(tmp_path):
    env = {"DATABASE_URL": "", "REDIS_URL": "", "DATA_DIR": str(tmp_path / "data")}
    db = database(tmp_path, DATABASE_POOL="4", **env)
    assert db["ENGINE"].endswith("sqlite3")
    assert db["CONN_MAX_AGE"] == 0 and "pool" not in db["OPTIONS"]


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs the suite's PostgreSQL")
def test_a_burst_of_threads_shares_the_pool(tmp_path):
    """Twelve threads querying at once open no more connections than the pool's size."""
    script = """
import threading
from django.db import connection

def work():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.05)")
    connection.close()  # back to the pool, as at the end of a request

threads = [threading.Thread(target=work) for _ in range(12)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(connection.pool.get_stats()))
"""
    # The suite's server, its maintenance database (the app's own may not exist in a test run).
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    result = run_settings(tmp_path, script, DATABASE_URL=url, DATABASE_POOL="2")
    assert result.returncode == 0, explain(result)
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    assert stats["pool_max"] == 2
    assert stats["requests_num"] == 12 and stats.get("requests_errors", 0) == 0
    assert stats["connections_num"] <= 2
    assert stats.get("requests_waiting", 0) == 0


# --- The trusted proxy (login lockout and token limits read the client's address) -----------


def proxy_settings(tmp_path, **variables: str) -> dict:
    names = [
        "AXES_IPWARE_PROXY_COUNT",
        "AXES_IPWARE_META_PRECEDENCE_ORDER",
        "AXES_IPWARE_PROXY_ORDER",
        "IPWARE_STRICT",
    ]
    script = f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    result = run_settings(tmp_path, script, **variables)
    assert result.returncode == 0, explain(result)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_trusted_proxy_only_the_connection_address_counts(tmp_path):
    s = proxy_settings(tmp_path)
    assert s["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]
    assert s["AXES_IPWARE_PROXY_COUNT"] is None


def test_trusted_proxy_count_from_the_environment(tmp_path):
    s = proxy_settings(tmp_path, TRUSTED_PROXY_COUNT="2")
    assert s["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # ipware counts the proxies listed in X-Forwarded-For: the last one is REMOTE_ADDR.
    assert s["AXES_IPWARE_PROXY_COUNT"] == 1
