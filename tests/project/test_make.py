"""The Makefile and scripts/services.py: what a newcomer types, and two test runs at once.

`make -n` prints what a target would run without running it, so the targets are checked
as make really expands them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.project.processes import BASE_DIR, PYTHON, clean_env, explain

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


def dry_run(*args: str, **variables: str) -> list[str]:
    env = clean_env(Path(tempfile.gettempdir()), **variables)
    result = subprocess.run(
        [MAKE, "--no-print-directory", "-n", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, explain(result)
    return result.stdout.splitlines()


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("target", ["lint", "format"])
def test_lint_and_format_install_first_on_a_fresh_clone(tmp_path, target):
    lines = dry_run(target, f"VENV={tmp_path / 'venv'}")
    pip = next(
        i for i, line in enumerate(lines) if "pip install" in line and "requirements.txt" in line
    )
    ruff = next(i for i, line in enumerate(lines) if "ruff" in line)
    assert any("find-python.sh" in line for line in lines[:pip]), "the venv is made first"
    assert pip < ruff, lines


def test_requirements_pin_ruff_and_every_dev_tool():
    pins = {
        normalise(line.split("==")[0])
        for line in (BASE_DIR / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert "ruff" in pins
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    names = {normalise(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in wanted}
    assert names - pins == set(), "`make install` (requirements.txt) misses these"


def test_make_run_links_e_mails_to_its_port():
    honcho = next(line for line in dry_run("run", PORT="18100") if "honcho" in line)
    assert "SITE_URL=http://127.0.0.1:18100 " in honcho and "PORT=18100 " in honcho
    assert "--url http://127.0.0.1:18100/" in "\n".join(dry_run("run", PORT="18100"))
    # An address set by the operator wins.
    honcho = next(
        line
        for line in dry_run("run", PORT="18100", SITE_URL="https://okr.test")
        if "honcho" in line
    )
    assert "SITE_URL=https://okr.test " in honcho


def test_each_test_run_has_its_own_database_and_redis_prefix():
    run_id = settings.TEST_RUN_ID
    assert os.environ["OKR_TEST_RUN_ID"] == run_id
    # (pytest-xdist appends _gw0, _gw1, ... per worker.)
    assert settings.DATABASES["default"]["TEST"]["NAME"].startswith(f"test_okr_{run_id}")
    prefix = settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"]
    assert prefix in (f"okr-test-{run_id}-", os.environ.get("TEST_BROKER_PREFIX"))
    assert settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["global_keyprefix"] == prefix
    # The cache never touches Redis under test.
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def services(*command: str) -> subprocess.CompletedProcess:
    """scripts/services.py on this run's servers (it starts none), without this run's name."""
    env = {k: v for k, v in os.environ.items() if k != "OKR_TEST_RUN_ID"}
    return subprocess.run(
        [str(PYTHON), "scripts/services.py", "--", *command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_runs_get_different_names_and_tidy_their_redis_keys():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    others = f"okr-test-{uuid.uuid4().hex[:10]}-celery"
    client.set(others, "another run's queue")
    script = (
        "import os, json, redis; run = os.environ['OKR_TEST_RUN_ID']; "
        "r = redis.Redis.from_url(os.environ['REDIS_URL']); "
        "r.set(f'okr-test-{run}-celery', 'queued'); r.set(f'okr-test-{run}-result', 'x'); "
        "print(json.dumps(run))"
    )
    try:
        names = []
        for _ in range(2):
            result = services(sys.executable, "-c", script)
            assert result.returncode == 0, explain(result)
            names.append(json.loads(result.stdout.strip().splitlines()[-1]))
        assert len(set(names)) == 2 and all(re.fullmatch(r"[0-9a-f]{10}", n) for n in names)
        for name in names:
            assert list(client.scan_iter(f"okr-test-{name}-*")) == [], "the run's keys stay"
        assert client.get(others) == b"another run's queue", "another run's keys were deleted"
    finally:
        client.delete(others)


def test_settings_test_names_follow_the_run_id(tmp_path):
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DATABASES['default']['TEST']['NAME'], "
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS['global_keyprefix']]))"
    )
    seen = []
    for run_id in ("aaaaaaaaaa", "bbbbbbbbbb"):
        env = clean_env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="okr.settings_test",
            DATABASE_URL=os.environ["DATABASE_URL"],
            REDIS_URL=os.environ["REDIS_URL"],
            OKR_TEST_RUN_ID=run_id,
        )
        result = subprocess.run(
            [str(PYTHON), "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, explain(result)
        seen.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert seen == [
        ["test_okr_aaaaaaaaaa", "okr-test-aaaaaaaaaa-"],
        ["test_okr_bbbbbbbbbb", "okr-test-bbbbbbbbbb-"],
    ]
