"""Find or start PostgreSQL and Redis for the test suite, then run a command.

Order for each server: the URL from the environment (DATABASE_URL,
REDIS_URL); else a server on the default local port; else a throwaway
server started from installed binaries (stopped again afterwards); else a
one-line message that says what to install, and exit 2.

Each run gets a name (OKR_TEST_RUN_ID, unless set): the test database is
test_okr_<name> and every Celery key in Redis starts with okr-test-<name>-
(okr/settings_test.py), so two runs on one machine share neither. The run's
keys are deleted when the command ends.

Usage: python scripts/services.py -- pytest ...
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps PostgreSQL's server binaries off PATH.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user."""
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", "postgres", "--", *cmd]
    return cmd


def start_postgres(workdir: Path) -> str | None:
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        return None
    data, sock = workdir / "pg", workdir / "pgsock"
    data.mkdir()
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres_user(
            [initdb, "-D", str(data), "--auth=trust", "-U", "postgres", "-E", "UTF8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    )
    subprocess.run(
        _as_postgres_user(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(workdir / "pg.log"), "-w", "start"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    atexit.register(
        lambda: subprocess.run(
            _as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    return f"postgres://postgres@127.0.0.1:{port}/okr"


def start_redis(workdir: Path) -> str | None:
    redis_server = find_binary("redis-server")
    if not redis_server:
        return None
    port = free_port()
    pidfile = workdir / "redis.pid"
    subprocess.run(
        [
            redis_server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(workdir),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if port_open("127.0.0.1", port):
            break
        time.sleep(0.1)

    def stop():
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)

    atexit.register(stop)
    return f"redis://127.0.0.1:{port}/0"


def ensure_services(env: dict) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="okr-services-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    if not env.get("DATABASE_URL"):
        if port_open("127.0.0.1", 5432):
            env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/okr"
        else:
            url = start_postgres(workdir)
            if url is None:
                sys.exit(
                    "make test needs PostgreSQL: set DATABASE_URL, run one on 127.0.0.1:5432, "
                    "or install it (Debian: apt-get install -y postgresql)."
                )
            env["DATABASE_URL"] = url
            print(f"Started a throwaway PostgreSQL: {url}", file=sys.stderr)
    if not env.get("REDIS_URL"):
        if port_open("127.0.0.1", 6379):
            env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        else:
            url = start_redis(workdir)
            if url is None:
                sys.exit(
                    "make test needs Redis: set REDIS_URL, run one on 127.0.0.1:6379, "
                    "or install it (Debian: apt-get install -y redis-server)."
                )
            env["REDIS_URL"] = url
            print(f"Started a throwaway Redis: {url}", file=sys.stderr)
    return env


def forget_run_keys(redis_url: str, run_id: str) -> int:
    """Delete the run's Celery keys (queued tasks, results) from Redis; how many there were."""
    try:
        import redis
    except ImportError:
        return 0
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
        keys = list(client.scan_iter(f"okr-test-{run_id}-*"))
        if keys:
            client.delete(*keys)
        return len(keys)
    except redis.RedisError:
        return 0


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__)
        return 2
    env = ensure_services(dict(os.environ))
    run_id = env.setdefault("OKR_TEST_RUN_ID", uuid.uuid4().hex[:10])
    process = subprocess.Popen(argv, env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        return process.wait()
    finally:
        forget_run_keys(env["REDIS_URL"], run_id)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
