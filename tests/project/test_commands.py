"""manage.py with nothing set: the embedded default, as `make run` uses it (README, "By hand").

No DEBUG, no SECRET_KEY, no DATABASE_URL: SQLite, the folder queue, mail files and a secret
key generated once under DATA_DIR. A server with its own database must set SECRET_KEY, and
`check --deploy` names every setting still on the embedded default.
"""

from __future__ import annotations

import re
import stat
import subprocess

import pytest

from tests.project.processes import BASE_DIR, PYTHON, clean_env, explain, manage

pytestmark = pytest.mark.embedded


def test_documented_commands_run_with_nothing_set(tmp_path):
    data_dir = tmp_path / "data"
    env = clean_env(tmp_path, DATA_DIR=str(data_dir))
    for args in (("migrate", "--noinput"), ("load_demo",)):
        result = manage(env, *args)
        assert result.returncode == 0, explain(result)

    result = manage(env, "send_reminders", "--org", "dpab", "--dry-run")
    assert result.returncode == 0, explain(result)
    assert "SECRET_KEY" not in result.stderr
    assert "Dry run: nothing claimed, nothing sent." in result.stdout
    assert (data_dir / "db.sqlite3").is_file()

    key_file = data_dir / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600, "the key is readable by others"
    # Every later command uses the same key (sessions and reset links survive), DEBUG stays off.
    result = manage(
        env,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG, "
        "settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, explain(result)
    # (The last line: Django's shell first says what it imported.)
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.split() == [key, "False", str(data_dir / "db.sqlite3")]


def test_processes_starting_together_share_one_generated_key(tmp_path):
    """web, worker and beat start at the same moment on a fresh data folder."""
    env = clean_env(tmp_path, DATA_DIR=str(tmp_path / "data"))
    script = "from okr import settings; print(settings.SECRET_KEY)"
    processes = [
        subprocess.Popen(
            [str(PYTHON), "-c", script], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert len(keys) == 1 and "" not in keys
    assert keys == {(tmp_path / "data" / "secret_key").read_text().strip()}
    assert [p.name for p in (tmp_path / "data").iterdir() if p.name.startswith(".secret")] == []


def test_a_server_with_its_own_database_must_set_the_secret_key(tmp_path):
    env = clean_env(
        tmp_path, DATA_DIR=str(tmp_path / "data"), DATABASE_URL="postgres://okr@127.0.0.1:1/okr"
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "data" / "secret_key").exists()


def test_check_deploy_names_what_production_must_set(tmp_path):
    env = clean_env(tmp_path, DATA_DIR=str(tmp_path / "data"))
    result = manage(env, "check")
    assert result.returncode == 0, explain(result)  # fine on a laptop
    result = manage(env, "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    issues = set(re.findall(r"\((\w+\.[EW]\d+)\)", output))
    assert {"okr.E001", "okr.E002", "okr.E003", "okr.E004", "okr.W001"} <= issues, output
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "SITE_URL"):
        assert f"{name} is not set" in output

    # Set explicitly, none of them is flagged (the services need not be reachable).
    env.update(
        SECRET_KEY="an-explicit-key-for-this-test-" + "x" * 30,
        DATABASE_URL="postgres://okr@127.0.0.1:1/okr",
        REDIS_URL="redis://127.0.0.1:1/0",
        EMAIL_HOST="smtp.example.com",
        SITE_URL="https://okr.example.com",
        ALLOWED_HOSTS="okr.example.com",
    )
    result = manage(env, "check", "--deploy")
    output = result.stdout + result.stderr
    assert not {i for i in re.findall(r"\((\w+\.[EW]\d+)\)", output) if i.startswith("okr.")}, (
        output
    )
