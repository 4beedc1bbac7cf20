"""`manage.py check --deploy`: names each production setting still on the embedded default.

With nothing set the app runs on SQLite, a file-system queue, mail written to files and a
secret key generated under DATA_DIR (okr/settings.py). That is right on a laptop and wrong
on a server, so each of them is an error of the deployment checks (never of plain `check`).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

HINT = "Set it in the environment (README.md, Configuration)."


@register(Tags.security, deploy=True)
def embedded_defaults(app_configs, **kwargs):
    problems = []
    if getattr(settings, "SECRET_KEY_GENERATED", False):
        problems.append(
            Error(
                "SECRET_KEY is not set: the key generated in DATA_DIR/secret_key is used.",
                hint=HINT,
                id="okr.E001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(
            Error(
                "DATABASE_URL is not set: the data is in a SQLite file under DATA_DIR.",
                hint=HINT,
                id="okr.E002",
            )
        )
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://"):
        problems.append(
            Error(
                "REDIS_URL is not set: background jobs queue in files under DATA_DIR.",
                hint=HINT,
                id="okr.E003",
            )
        )
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend == "accounts.emails.EmlFileBackend":
        problems.append(
            Error(
                "EMAIL_HOST is not set: e-mails are written to files, not sent.",
                hint=HINT,
                id="okr.E004",
            )
        )
    if not os.environ.get("SITE_URL"):
        problems.append(
            Warning(
                f"SITE_URL is not set: links in e-mails point to {settings.SITE_URL}.",
                hint=HINT,
                id="okr.W001",
            )
        )
    return problems
