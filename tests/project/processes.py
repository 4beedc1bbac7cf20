"""Helpers for the tests that run the project's commands in subprocesses with a clean environment.

Only a few harmless variables pass from the test process; nothing that configures the
app (DATABASE_URL, REDIS_URL, SECRET_KEY, DJANGO_SETTINGS_MODULE, and what
settings_test.py put into this process) reaches the subprocess unless a test sets it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = BASE_DIR / ".venv" / "bin"
PYTHON = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
PASSED_THROUGH = ("LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER", "LOGNAME")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(home: Path, **variables: str) -> dict[str, str]:
    """A fresh environment: PATH (with the venv first), HOME, a few locale names, ``variables``."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        PATH=f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        HOME=str(home),
        PYTHONUNBUFFERED="1",
    )
    env.update(variables)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python manage.py ARGS`` in the repository with exactly ``env``."""
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def explain(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
