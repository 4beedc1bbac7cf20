#!/usr/bin/env python3
"""Webhook deliveries under a receiver that fails half the time: deliveries, attempts, time.

Runs tests/accounts/webhooks/test_figures.py on the test database (PostgreSQL and
Redis as ``make test`` finds them) and shows its one line of figures:

    .venv/bin/python scripts/webhook_figures.py
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TEST = "tests/accounts/webhooks/test_figures.py"

command = [
    PYTHON,
    "scripts/services.py",
    "--",
    PYTHON,
    "-m",
    "pytest",
    "-q",
    "-s",
    "-p",
    "no:cacheprovider",
    TEST,
]
sys.exit(subprocess.call(command, cwd=ROOT))
