"""Smoke test of the embedded default: `make run` itself.

No PostgreSQL, no Redis, no DEBUG or SECRET_KEY from the caller: SQLite, Celery's
file-system broker and e-mail as .eml files, all under a temporary DATA_DIR. Runs
migrate and load_demo, then `make run` (which loads the demo again and starts web +
worker + beat with honcho), signs in over HTTP, sends a task through the broker, checks
beat, the mail folder and /dev/mail/, that every process links e-mails to the port it is
served on, then presses Ctrl-C (SIGINT to make's process group, as a terminal does): all
three stop within 3 s and make prints no error.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

pytestmark = pytest.mark.embedded

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = BASE_DIR / ".venv" / "bin"
PYTHON = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
# The venv `make run` uses: the repository's .venv, else the one running the tests.
VENV = ".venv" if (VENV_BIN / "python").exists() else os.path.relpath(sys.prefix, BASE_DIR)
STOP_WITHIN = 3.0  # seconds from Ctrl-C until web, worker and beat are gone

VISION = "Snabb och miljövänlig kommunikation genom pappersfri post"
DEMO_EMAIL = "vilma@dpab.example"
PROGRAMS = ("web", "worker", "beat")
# Only these are taken from the caller's environment: nothing that
# configures the app (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, and
# what settings_test.py put into this process) reaches the subprocesses.
PASSED_THROUGH = ("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER", "LOGNAME")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_env(data_dir: Path, port: int) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        DATA_DIR=str(data_dir),
        PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL"):
        assert name not in env
    return env


def manage(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} exited {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    return result


def wait_for(predicate, timeout: float, what: str, log: Path | None = None, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tail = f"\nhoncho output:\n{log.read_text(errors='replace')[-4000:]}" if log else ""
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}{tail}")


def process_group_alive(pgid: int) -> bool:
    """True while any process is still in process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp, ...; zombies are gone already.
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def logged_pids(log: Path) -> dict[str, int]:
    """The programs honcho says it started; each leads a process group of its own."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return {
        name: int(pid)
        for name, pid in re.findall(r"\b(web|worker|beat)\.1 started \(pid=(\d+)\)", text)
    }


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(
        item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item
    )


def kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


class Browser:
    """A tiny HTTP client with cookies, like a person's browser session."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode("utf-8")

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str]:
        """GET the form for its CSRF token, then POST it like a browser."""
        _, url, page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, f"No CSRF token in the form at {path}:\n{page[:2000]}"
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": match.group(1)}).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            url, data=data, headers={"Referer": url}, method="POST"
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode("utf-8")


def test_embedded_default_runs_like_make_run(tmp_path):
    from accounts.demo import DEMO_PASSWORD

    started = time.monotonic()
    data_dir = tmp_path / "data"
    port = free_port()
    env = embedded_env(data_dir, port)
    log = tmp_path / "make-run.log"
    make = shutil.which("make")
    assert make, "`make run` needs GNU make (apt-get install -y make)"

    # The documented commands work with nothing set; `make run` loads the demo a second time.
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    assert (data_dir / "db.sqlite3").is_file()

    honcho = None
    child_groups: dict[str, int] = {}
    with log.open("wb") as log_file:
        try:
            # `install` is up to date (this test runs in its venv): -o keeps make from
            # reinstalling when a requirements file is newer than the stamp.
            honcho = subprocess.Popen(
                [make, "--no-print-directory", "-o", "install", "run", f"VENV={VENV}"],
                cwd=BASE_DIR,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, as in a terminal
            )

            def output() -> str:
                return log.read_text(errors="replace")

            def started_pids() -> dict[str, int] | None:
                if honcho.poll() is not None:
                    pytest.fail(f"make run exited early ({honcho.returncode}):\n{output()[-4000:]}")
                found = logged_pids(log)
                return found if len(found) == len(PROGRAMS) else None

            # honcho starts each program in a session of its own (pgid = pid).
            child_groups = wait_for(started_pids, 120, "honcho to start web, worker and beat", log)
            base = f"http://127.0.0.1:{port}"
            # E-mail links point at the port the app is served on, in the worker too
            # (honcho gives each process its own PORT; make passes SITE_URL to all).
            for name, pid in child_groups.items():
                assert environment_of(pid).get("SITE_URL") == base, name

            def web_answers() -> bool:
                started_pids()
                try:
                    login = f"{base}/accounts/login/"
                    with urllib.request.urlopen(login, timeout=5) as response:  # noqa: S310
                        return response.status == 200
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    return False

            wait_for(web_answers, 60, f"the web process to answer on {base}", log)

            # Sign in as the demo's admin and see the organisation's vision.
            browser = Browser(base)
            status, url, _ = browser.post_form(
                "/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD}
            )
            assert status == 200 and "/accounts/login/" not in url, (
                f"Sign-in failed, ended on {url}"
            )
            status, url, page = browser.get("/dpab/")
            assert status == 200 and url.endswith("/dpab/"), url
            assert VISION in html.unescape(page)
            # Search on SQLite: no full-text search there, the fallback (okr.search) finds and
            # highlights the demo's key result all the same.
            status, _, page = browser.get("/dpab/search/?q=norska+kund")
            assert status == 200, status
            assert "10 nya <mark>norska</mark> <mark>kund</mark>er" in page, page[-3000:]

            # The worker takes a task from the file-system broker and answers.
            result = manage(
                env,
                "shell",
                "-c",
                "from okr.celery import ping; r = ping.delay(); print(r.get(timeout=60))",
                timeout=90,
            )
            assert "pong" in result.stdout.split(), result.stdout
            wait_for(lambda: "okr.ping" in output(), 10, "the worker to log the task", log)

            # Beat started and keeps its schedule in DATA_DIR.
            wait_for(
                lambda: (
                    "beat: Starting..." in output() or list(data_dir.glob("celerybeat-schedule*"))
                ),
                30,
                "celery beat to start",
                log,
            )

            # E-mail becomes a file under DATA_DIR/mail.
            status, url, _ = Browser(base).post_form(
                "/accounts/password-reset/", {"email": DEMO_EMAIL}
            )
            assert status == 200 and url.endswith("/accounts/password-reset/sent/"), url

            def mail_to_vilma() -> list[Path]:
                folder = data_dir / "mail"
                files = folder.glob("*.eml") if folder.is_dir() else []
                return [f for f in files if DEMO_EMAIL in f.read_text(errors="replace")]

            (mail,) = wait_for(
                mail_to_vilma, 15, f"an .eml file for {DEMO_EMAIL} in {data_dir / 'mail'}", log
            )
            # make run is DEBUG: the page lists it (this test asks from 127.0.0.1).
            status, _, page = Browser(base).get("/dev/mail/")
            assert status == 200 and DEMO_EMAIL in page and mail.name in page

            # Ctrl-C: SIGINT to make's process group (make, its shell and honcho; honcho's
            # programs run in sessions of their own and get SIGTERM from honcho).
            stop_started = time.monotonic()
            os.killpg(honcho.pid, signal.SIGINT)
            try:
                honcho.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pytest.fail(f"make run did not exit within 30 s of SIGINT:\n{output()[-4000:]}")
            remaining = 30 - (time.monotonic() - stop_started)
            wait_for(
                lambda: not any(process_group_alive(pgid) for pgid in child_groups.values()),
                max(remaining, 1),
                "web, worker and beat to exit after SIGINT",
                log,
                interval=0.05,
            )
            stop_seconds = time.monotonic() - stop_started
            for name in PROGRAMS:
                assert re.search(rf"\b{name}\.1 stopped", output()), output()[-4000:]
            assert stop_seconds < STOP_WITHIN, (
                f"Ctrl-C took {stop_seconds:.1f} s to stop everything:\n{output()[-4000:]}"
            )
            assert "SIGKILL" not in output(), "honcho had to kill a program that did not stop"
            # The shell turns honcho's 130 into success; make then dies of the SIGINT
            # itself, as after any Ctrl-C, without an "Error 130" line.
            assert honcho.returncode in (0, -signal.SIGINT), honcho.returncode
            assert "make: ***" not in output(), output()[-2000:]

            # The broker keeps all of its state in DATA_DIR, none in the working tree.
            exchanges = sorted(p.name for p in data_dir.rglob("*.exchange"))
            assert "celery.exchange" in exchanges, (
                "kombu's file-system transport wrote its exchange table outside DATA_DIR "
                "(its `control_folder` option defaults to ./control in the working directory): "
                "set CELERY_BROKER_TRANSPORT_OPTIONS['control_folder'] under DATA_DIR"
            )
            print(
                f"embedded smoke test: {time.monotonic() - started:.1f} s in all, "
                f"{stop_seconds:.1f} s to stop"
            )
        finally:
            if honcho is not None and honcho.poll() is None:
                kill_group(honcho.pid, signal.SIGKILL)
                honcho.wait(timeout=10)
            for pgid in {**logged_pids(log), **child_groups}.values():
                if process_group_alive(pgid):
                    kill_group(pgid, signal.SIGKILL)
