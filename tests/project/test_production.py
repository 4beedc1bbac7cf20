"""Production without Docker: deploy/web.sh and the example systemd units.

deploy/web.sh is started as the web unit starts it (DEBUG off, a clean environment): it
migrates, collects the static files and runs gunicorn, which serves the login page and its
hashed CSS. The units and deploy/okr.env.example are read and checked against the repository.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.project.processes import BASE_DIR, PYTHON, clean_env, explain, free_port, manage

DEPLOY = BASE_DIR / "deploy"
UNITS = {name: DEPLOY / "systemd" / f"okr-{name}.service" for name in ("web", "worker", "beat")}
CHECKOUT = "/srv/okr"  # where the units expect the repository


def get(url: str) -> tuple[int, dict, bytes]:
    # As the TLS proxy forwards it: no redirect to https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


@pytest.mark.embedded
def test_web_script_serves_pages_and_css_with_debug_off(tmp_path):
    port = free_port()
    static_root = tmp_path / "static"
    env = clean_env(
        tmp_path,
        DATA_DIR=str(tmp_path / "data"),
        STATIC_ROOT=str(static_root),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHON=str(PYTHON),
    )
    assert "DEBUG" not in env
    log = tmp_path / "web.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(DEPLOY / "web.sh")],
            cwd=tmp_path,  # the script finds the checkout itself
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text(errors="replace")[-4000:]
            try:
                status, _, body = get(f"{base}/accounts/login/")
                break
            except urllib.error.HTTPError as error:  # it answered, wrongly: no point waiting
                pytest.fail(f"{error}\n{log.read_text(errors='replace')[-4000:]}")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-4000:]
                time.sleep(0.5)
        assert status == 200
        page = body.decode()
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
        # The manifest's hashed name: collectstatic ran, whitenoise serves what it collected.
        assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", stylesheet), stylesheet
        assert (static_root / "staticfiles.json").is_file()
        status, headers, css = get(base + stylesheet)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert b"{" in css
        assert "immutable" in headers.get("Cache-Control", "")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string(path.read_text())
    return unit


def test_systemd_units_run_the_web_script_worker_and_beat():
    programs = {}
    for name, path in UNITS.items():
        unit = read_unit(path)
        service = unit["Service"]
        assert service["WorkingDirectory"] == CHECKOUT
        assert service["EnvironmentFile"] == "/etc/okr/okr.env"
        assert service["User"] not in {"root", "0"}
        assert service["StateDirectory"] == "okr", "DATA_DIR (/var/lib/okr) must be writable"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
        argv = shlex.split(service["ExecStart"])
        assert argv[0].startswith(CHECKOUT + "/")
        executable = BASE_DIR / argv[0].removeprefix(CHECKOUT + "/")
        programs[name] = (executable, argv[1:])
    web, web_args = programs["web"]
    assert web == DEPLOY / "web.sh" and web_args == []
    # The web workers' malloc as in the Dockerfile (make loadtest: ~135 MB each, not ~240).
    malloc = {"MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=1048576"}
    assert malloc <= set(shlex.split(read_unit(UNITS["web"])["Service"]["Environment"]))
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert all(setting in dockerfile for setting in malloc)
    assert os.access(web, os.X_OK), "deploy/web.sh must be executable"
    for name in ("worker", "beat"):
        executable, args = programs[name]
        assert executable == BASE_DIR / ".venv" / "bin" / "celery"
        assert args[:3] == ["-A", "okr", name]
        assert "okr-web.service" in read_unit(UNITS[name])["Unit"]["After"]


def test_web_script_collects_static_files_then_execs_gunicorn():
    script = (DEPLOY / "web.sh").read_text()
    steps = [line.strip() for line in script.splitlines() if "manage.py" in line or "exec" in line]
    assert any("manage.py migrate --noinput" in step for step in steps)
    collect = next(i for i, s in enumerate(steps) if "manage.py collectstatic --noinput" in s)
    gunicorn = next(i for i, s in enumerate(steps) if s.startswith("exec") and "gunicorn" in s)
    assert collect < gunicorn
    assert "okr.wsgi" in script
    assert script.startswith("#!/bin/sh") and "set -eu" in script


def environment_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (comments, quotes)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = shlex.split(value)[0] if value else ""
    return values


def test_example_environment_passes_check_deploy(tmp_path):
    values = environment_file(DEPLOY / "okr.env.example")
    assert values["DEBUG"] == "0"
    assert values["SECRET_KEY"] == "", "the example must not ship a key"
    for name in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST"):
        assert values[name], name
    values.update(
        SECRET_KEY="filled-in-by-the-operator-" + "k" * 40,
        DATA_DIR=str(tmp_path / "data"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    result = manage(clean_env(tmp_path, **values), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, explain(result)
    assert "no issues" in result.stdout + result.stderr


def test_production_refuses_outbound_requests_to_private_addresses(tmp_path):
    """The example environment (DEBUG=0): no SSO provider, webhook or chat URL on a private
    network or plain http (accounts/outbound.py); an operator can allow them explicitly."""
    values = environment_file(DEPLOY / "okr.env.example")
    values.update(
        SECRET_KEY="filled-in-by-the-operator-" + "k" * 40, DATA_DIR=str(tmp_path / "data")
    )
    script = (
        "from django.conf import settings; "
        "print(settings.OUTBOUND_ALLOW_PRIVATE, settings.OUTBOUND_ALLOW_HTTP, settings.DEBUG)"
    )
    result = manage(clean_env(tmp_path, **values), "shell", "-c", script)
    assert result.returncode == 0, explain(result)
    assert result.stdout.split()[-3:] == ["False", "False", "False"]
    values.update(OUTBOUND_ALLOW_PRIVATE="1", OUTBOUND_ALLOW_HTTP="1")
    result = manage(clean_env(tmp_path, **values), "shell", "-c", script)
    assert result.returncode == 0, explain(result)
    assert result.stdout.split()[-3:] == ["True", "True", "False"]


def test_systemd_analyze_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, UNITS.values())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Paths under /srv/okr do not exist here; anything else is a mistake in a unit.
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "/srv/okr" not in line and "okr.env" not in line
    ]
    assert problems == [], result.stdout + result.stderr
