"""`make loadtest`: the main pages under concurrent load, as an operator would measure them.

Builds (or reuses) the organisation `make bench` builds, in the same ``<db>_bench``
database (BENCH_SCALE=10: ten times as large, in ``<db>_bench_x10``), collects
the static files, starts gunicorn with DEBUG off and
LOADTEST_WORKERS sync workers (3, as docker-compose.yml), signs the owner in,
and runs ``wrk`` with LOADTEST_CLIENTS concurrent clients (20) on one page at a
time for LOADTEST_SECONDS (10). For each page it prints req/s, p50/p90/p99, its
p50 as a ratio to the login page's in the same run (absolute figures move from
machine to machine; the ratios do not), the number of non-2xx answers, and at
the end each worker's resident memory. Not a test: figures for people.

At a BENCH_SCALE other than 1 the server caches in the Redis database below
REDIS_URL's (15: 14): every bench database holds the organisation under the
same id, and pages are cached per organisation id and revision, so a shared
cache would serve the pages of one scale to the other.

Needs wrk (Debian: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlparse, urlunparse
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (the same organisation as `make bench`)

WORKERS = int(os.environ.get("LOADTEST_WORKERS", 3))
CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", 20))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", 10))
# Page names for a quick look: separated by commas, or by semicolons when a name has a comma.
ONLY = os.environ.get("LOADTEST_PAGES", "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SECRET_KEY = "loadtest-secret-key-" + "x" * 40


def prepare() -> tuple[dict[str, str], str]:
    """The bench organisation in its database, and a signed-in owner's session id."""
    url = bench.bench_database_url()
    bench.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    # The session is signed here with the key gunicorn reads it with.
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okr.settings_test")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    org = bench.setup_organisation()  # as `make bench` does
    from accounts.models import Team, User
    from okr.models import KeyResult, Objective

    owner = User.objects.get(email="owner@bench.example")
    # A database session, readable by every gunicorn worker whatever the cache is.
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session.create()

    objective = Objective.objects.filter(organisation=org, level="strategic").first()
    kr = KeyResult.objects.filter(organisation=org, objective__level="team").first()
    team = Team.objects.filter(organisation=org).order_by("order").first()
    pages = {
        "login page (floor)": "/accounts/login/",
        "home": "/bench/",
        "strategic OKRs": "/bench/strategic/",
        "my check-ins": "/bench/check-ins/",
        f"objective with {bench.OBJECTIVES // 5} aligned children": (
            f"/bench/objectives/{objective.uuid}/"
        ),
        "key result": f"/bench/key-results/{kr.uuid}/",
        "alignment tree, collapsed": "/bench/alignment/",
        "alignment tree, one team open": f"/bench/alignment/?expand={team.uuid}",
        "alignment tree, all open": "/bench/alignment/?expand=all",
        "dependencies": "/bench/alignment/dependencies/",
        "workshop, one team": f"/bench/workshop/{team.uuid}/",
        "approval queue": "/bench/approvals/",
        "reviews": "/bench/reviews/",
        "API objectives, first page": "/api/v1/bench/objectives/",
    }
    if ONLY:
        # One name with a comma in it ("alignment tree, all open") is a name, not two.
        single = ONLY.strip() in pages
        wanted = {name.strip() for name in ONLY.split(";" if ";" in ONLY or single else ",")}
        pages = {k: v for k, v in pages.items() if k in wanted or k == "login page (floor)"}
    connection.close()
    return pages, session.session_key


def scaled_redis_url(url: str) -> str:
    """The Redis database below ``url``'s (the one above for database 0): a scaled run's cache."""
    parsed = urlparse(url)
    number = int(parsed.path.strip("/") or 0)
    return urlunparse(parsed._replace(path=f"/{number - 1 if number else 1}"))


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "okr.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
        # As docker-compose.yml: a connection kept per sync worker.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        # As the Dockerfile: two malloc arenas per process, big blocks mapped on their own.
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
        "MALLOC_MMAP_THRESHOLD_": os.environ.get("MALLOC_MMAP_THRESHOLD_", "1048576"),
    }
    env.pop("TESTING", None)
    if bench.SCALE != 1 and env.get("REDIS_URL"):
        env["REDIS_URL"] = scaled_redis_url(env["REDIS_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            gunicorn,
            "okr.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not answer on /accounts/login/ within 20 s")


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, session_key: str, seconds: int = SECONDS) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CLIENTS}",
            f"-d{seconds}s",
            "--latency",
            *(["-H", f"Cookie: sessionid={session_key}"] if session_key else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", out, re.M))
    if len(latency) < 3:
        sys.exit(f"{url}: wrk measured nothing:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(latency["50"]),
        "p90": to_ms(latency["90"]),
        "p99": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def check_signed_in(url: str, session_key: str) -> None:
    """The page answers 200 to the owner's session, not a redirect to the login page or a 401."""
    request = Request(url, headers={"Cookie": f"sessionid={session_key}"})  # noqa: S310
    try:
        with urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            final = response.url
    except HTTPError as error:
        sys.exit(f"{url}: {error.code}: not signed in?")
    if "/accounts/login/" in final and "/accounts/login/" not in url:
        sys.exit(f"{url}: redirected to {final}: not signed in?")


def worker_memory(master: int) -> list[float]:
    """Resident memory (MB) of each gunicorn worker of this master."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


def main() -> int:
    if not shutil.which("wrk"):
        print("make loadtest needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    pages, session_key = prepare()
    port = free_port()
    process = start_gunicorn(port)
    try:
        print(
            f"gunicorn, {WORKERS} sync workers, DEBUG off; wrk, {CLIENTS} clients, {SECONDS} s per "
            f"page; {bench.describe()}"
        )
        print(
            f"{'page':38} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} "
            f"{'x floor':>7} {'non-2xx':>7} {'max MB':>7}"
        )
        # Every worker's first requests load templates, translations and connections: a few
        # seconds on the floor page first, so the figures are the steady state for all pages.
        warm_up = run_wrk(f"http://127.0.0.1:{port}/accounts/login/", "", seconds=3)
        floor = None
        total = warm_up["requests"]
        for name, path in pages.items():
            # The floor is the login page as a visitor sees it (signed in, it is a redirect).
            key = "" if floor is None else session_key
            if key:
                check_signed_in(f"http://127.0.0.1:{port}{path}", key)
            figures = run_wrk(f"http://127.0.0.1:{port}{path}", key)
            total += figures["requests"]
            floor = floor or figures["p50"]
            print(
                f"{name:38} {figures['rps']:7.1f} {figures['p50']:7.1f} {figures['p90']:7.1f} "
                f"{figures['p99']:7.1f} {figures['p50'] / floor:7.1f} {figures['errors']:7d} "
                # The largest worker after this page: which pages make the workers grow.
                f"{max(worker_memory(process.pid), default=0):7.0f}"
            )
        sizes = ", ".join(f"{size:.0f}" for size in worker_memory(process.pid))
        print(f"worker memory after {total} requests: {sizes} MB")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
