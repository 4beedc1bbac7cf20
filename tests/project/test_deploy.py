"""The production stack (Dockerfile, docker-compose.yml), checked without a Docker engine.

docker-compose.yml is read with PyYAML and compared with what the app
really reads and runs; `docker compose config` validates it where the
Compose CLI is installed; `manage.py check --deploy` runs on the
environment the compose file gives the app.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
DOCKERIGNORE = BASE_DIR / ".dockerignore"
SETTINGS = BASE_DIR / "okr" / "settings.py"

SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
# Production cannot run without these.
REQUIRED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS")
# Variables okr/settings.py reads that the compose file leaves alone, and why.
NOT_FOR_PRODUCTION = {
    "DATA_DIR": "the image's default (/app/data, a volume) is right",
    "TESTING": "the test suite only",
    "STATIC_ROOT": "the image collects into /app/staticfiles at build time, the default",
}
# What an operator sets on top of the compose file's defaults (its header says so).
OPERATOR = {
    "ALLOWED_HOSTS": "okr.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://okr.example.com",
    "SITE_URL": "https://okr.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, args = line.partition(" ")
            steps.append((instruction.upper(), " ".join(args.split())))
    return steps


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's variable substitution: $$, ${VAR}, ${VAR:-default}, ${VAR:?error}, ..."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("plain")
        op, arg = match.group("op"), match.group("arg") or ""
        value = variables.get(name)
        if op in (":-", "-"):
            return value if (value if op == ":-" else value is not None) else arg
        if op in (":?", "?"):
            if (not value) if op == ":?" else value is None:
                raise KeyError(f"{name}: {arg}")
            return value
        return value or ""

    pattern = r"\$\$|\$\{(?P<braced>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<plain>\w+)"
    return re.sub(pattern, substitute, value)


def app_environment(compose: dict, service: str, variables: dict[str, str]) -> dict[str, str]:
    environment = compose["services"][service]["environment"]
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: interpolate(str(value), variables) for name, value in environment.items()}


def settings_reads() -> set[str]:
    """Every environment variable name okr/settings.py reads."""
    pattern = r"""(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*["']([A-Z0-9_]+)["']"""
    return set(re.findall(pattern, SETTINGS.read_text()))


def run_manage(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """manage.py in a clean environment: nothing from this test process leaks in."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- docker-compose.yml ----------------------------------------------------------


def test_compose_has_the_five_services(compose):
    assert set(compose["services"]) == SERVICES


def test_app_services_share_one_anchor_and_build_from_the_dockerfile(compose):
    assert "x-app" in compose, "the common app settings live under x-app"
    raw = COMPOSE_FILE.read_text()
    assert re.search(r"^x-app:\s*&app\b", raw, re.M)
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert re.search(rf"^  {name}:\n    <<: \*app\b", raw, re.M), f"{name} does not merge *app"
        build = service["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (BASE_DIR / context / dockerfile).resolve() == DOCKERFILE
        assert service["environment"] == compose["x-app"]["environment"]
    images = {compose["services"][name].get("image") for name in APP_SERVICES}
    assert len(images) == 1, f"web, worker and beat should run one image: {images}"


def test_web_migrates_then_runs_gunicorn_on_the_wsgi_app(compose):
    command = compose["services"]["web"]["command"]
    assert isinstance(command, str)
    argv = shlex.split(command)
    assert argv[:2] == ["sh", "-c"], argv
    steps = [shlex.split(step) for step in argv[2].split("&&")]
    assert steps[0] == ["python", "manage.py", "migrate", "--noinput"]
    gunicorn = steps[-1]
    if gunicorn[0] == "exec":
        gunicorn = gunicorn[1:]
    assert gunicorn[0] == "gunicorn"
    module, _, attribute = gunicorn[1].partition(":")
    assert module == "okr.wsgi"
    # The target exists: importing it builds the WSGI application.
    application = getattr(importlib.import_module(module), attribute or "application")
    assert callable(application)
    assert gunicorn[gunicorn.index("-b") + 1].endswith(":8000")
    assert "--access-logfile" in gunicorn


def test_worker_and_beat_run_the_okr_celery_app(compose):
    from celery.app.utils import find_app

    for name, program in (("worker", "worker"), ("beat", "beat")):
        argv = shlex.split(compose["services"][name]["command"])
        assert argv[0] == "celery" and argv[argv.index("-A") + 1] == "okr", argv
        assert argv[argv.index("-A") + 2] == program
        # The same lookup `celery -A okr` does.
        app = find_app("okr")
        assert app.main == "okr"
        assert "okr.ping" in app.tasks
    beat = shlex.split(compose["services"]["beat"]["command"])
    schedule = beat[beat.index("--schedule") + 1]
    # The app user cannot write /app: the schedule goes somewhere writable.
    assert schedule.startswith("/tmp/"), schedule  # noqa: S108


def test_production_variables_are_set_for_every_app_service(compose):
    reads = settings_reads()
    assert set(REQUIRED) <= reads, "settings.py no longer reads a variable this test expects"
    with pytest.raises(KeyError, match="SECRET_KEY"):
        app_environment(compose, "web", {})  # no SECRET_KEY, no stack
    for name in APP_SERVICES:
        env = app_environment(compose, name, {"SECRET_KEY": "x" * 50})
        missing = reads - set(env) - set(NOT_FOR_PRODUCTION)
        assert not missing, (
            f"{name}: settings.py reads {sorted(missing)}, the compose file does not set them"
        )
        for variable in REQUIRED:
            assert env[variable], f"{name}: {variable} is empty"
        assert env["DEBUG"] == "0"
        database, redis = urlsplit(env["DATABASE_URL"]), urlsplit(env["REDIS_URL"])
        assert database.scheme in {"postgres", "postgresql"} and database.hostname == "postgres"
        assert redis.scheme == "redis" and redis.hostname == "redis"
    raw = compose["x-app"]["environment"]["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", raw), (
        f"SECRET_KEY must be required, not defaulted: {raw}"
    )


def test_database_password_is_the_same_on_both_sides(compose):
    variables = {"SECRET_KEY": "x", "POSTGRES_PASSWORD": "s3cret"}
    postgres = {
        k: interpolate(str(v), variables)
        for k, v in compose["services"]["postgres"]["environment"].items()
    }
    database = urlsplit(app_environment(compose, "web", variables)["DATABASE_URL"])
    assert database.username == postgres["POSTGRES_USER"]
    assert database.password == postgres["POSTGRES_PASSWORD"] == "s3cret"
    assert database.path.lstrip("/") == postgres["POSTGRES_DB"]


def test_dependencies_wait_for_health_checks(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)
        for dependency, rule in depends_on.items():
            if rule["condition"] == "service_healthy":
                test = services[dependency].get("healthcheck", {}).get("test")
                assert test, (
                    f"{name} waits for {dependency} to be healthy, which has no healthcheck"
                )
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "/accounts/login/" in " ".join(services["web"]["healthcheck"]["test"])


def test_postgres_keeps_its_data_in_a_named_volume(compose):
    mounts = compose["services"]["postgres"]["volumes"]
    volume = next(m.split(":")[0] for m in mounts if m.split(":")[1] == "/var/lib/postgresql/data")
    assert volume in compose["volumes"]
    assert compose["services"]["postgres"]["image"].startswith("postgres:17")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_redis_evicts_only_cached_pages_when_full(compose):
    # Only keys with an expiry (the cached pages) may go: never a queued task or a revision.
    command = compose["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
    assert "--maxmemory" in command


def docker_compose_cli() -> list[str]:
    """`docker compose` (the plugin), else Debian's `docker-compose` (installed by .ci/run)."""
    docker = shutil.which("docker")
    reason = "no `docker` on PATH"
    if docker is not None:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if probe.returncode == 0:
            return [docker, "compose"]
        reason = (probe.stderr or probe.stdout).strip().splitlines()[0]
    legacy = shutil.which("docker-compose")
    if legacy is not None:
        return [legacy]
    pytest.skip(f"no compose CLI to validate with (apt-get install docker-compose): {reason!r}")


def test_docker_compose_config_validates():
    """`docker compose config` checks the file against the Compose spec; it needs no engine."""
    cli = docker_compose_cli()
    env = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(50)}
    command = [*cli, "-f", str(COMPOSE_FILE), "config", "-q"]
    result = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    env.pop("SECRET_KEY")
    result = subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


# --- Dockerfile and .dockerignore ---------------------------------------------------


def test_dockerfile_builds_a_non_root_gunicorn_image(dockerfile):
    instructions = [instruction for instruction, _ in dockerfile]
    assert dockerfile[0] == ("FROM", "python:3.13-slim")
    copies = [i for i, (instruction, _) in enumerate(dockerfile) if instruction == "COPY"]
    runs = [(i, args) for i, (instruction, args) in enumerate(dockerfile) if instruction == "RUN"]
    pip = next(i for i, args in runs if "pip install -r requirements.txt" in args)
    assert any("requirements.txt" in dockerfile[i][1].split()[:-1] and i < pip for i in copies), (
        "requirements.txt is copied (and installed) before the code"
    )
    build = " ".join(args for _, args in runs)
    assert "python scripts/compilemessages.py" in build
    assert "manage.py collectstatic --noinput" in build
    # collectstatic's generated secret key goes to a scratch DATA_DIR that is removed.
    scratch = re.search(r"DATA_DIR=(/tmp/\S+) python manage\.py collectstatic", build)
    assert scratch, "collectstatic must not write a key or data into the image's data/"
    assert f"rm -rf {scratch.group(1)}" in build
    assert not any(
        instruction == "ENV" and "SECRET_KEY" in args for instruction, args in dockerfile
    )
    users = [args for instruction, args in dockerfile if instruction == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "the image must not run as root"
    assert instructions.index("USER") > max(i for i, _ in runs), "USER comes after the last RUN"
    cmd = next(args for instruction, args in reversed(dockerfile) if instruction == "CMD")
    assert "gunicorn" in cmd and "okr.wsgi" in cmd
    assert ("EXPOSE", "8000") in dockerfile


def test_dockerignore_keeps_local_state_out_but_not_the_sources():
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        return any(
            fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[0], p) for p in patterns
        )

    for path in (".git", ".venv", "data", "staticfiles", ".env"):
        assert ignored(path), f"{path} should stay out of the image"
    for path in (
        "requirements.txt",
        "manage.py",
        "scripts/compilemessages.py",
        "okr/wsgi.py",
        "static",
        "locale",
        "templates",
    ):
        assert not ignored(path), f"{path} is needed in the image"


# --- manage.py check --deploy ---------------------------------------------------


def test_check_deploy_is_clean_with_the_compose_environment(tmp_path):
    """The environment the compose file builds, with what an operator sets, passes check --deploy."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    env = app_environment(compose, "web", {"SECRET_KEY": secrets.token_urlsafe(50), **OPERATOR})
    assert env["DEBUG"] == "0" and env["DATABASE_URL"].startswith("postgres")
    result = run_manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_compose_defaults_load_and_only_miss_a_mail_server(tmp_path):
    """With nothing but SECRET_KEY the settings load; check --deploy asks only for EMAIL_HOST.

    okr.E004 (okr/checks.py): without EMAIL_HOST e-mails are written to .eml files.
    """
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    env = app_environment(compose, "web", {"SECRET_KEY": secrets.token_urlsafe(50)})
    result = run_manage(tmp_path, env, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    issues = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))
    assert issues == {"okr.E004"}, result.stdout + result.stderr
    assert "EMAIL_HOST is not set" in result.stdout + result.stderr
