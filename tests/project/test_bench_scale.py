"""scripts/bench.py's BENCH_SCALE: the organisation's size and the database it is built in.

The 1x organisation stays in ``<name>_bench``; a scaled one gets its own database, so
building it never touches the one the figures in the README were measured on.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.project.processes import BASE_DIR, PYTHON, clean_env, explain

SIZES = (
    "import json, bench; print(json.dumps([bench.bench_database_url(), bench.TEAMS, "
    "bench.OBJECTIVES, bench.KEY_RESULTS, bench.CHECK_INS, bench.DEPENDENCIES, bench.describe()]))"
)


def bench_sizes(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    """Import scripts/bench.py in a fresh process with ``variables`` (nothing else configures it)."""
    env = clean_env(tmp_path, DATABASE_URL="postgres://postgres@db:5432/okr", **variables)
    return subprocess.run(
        [str(PYTHON), "-c", SIZES],
        cwd=BASE_DIR / "scripts",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("scale", [None, "", "1"])
def test_the_default_is_the_organisation_of_the_readme_in_its_own_database(tmp_path, scale):
    variables = {} if scale is None else {"BENCH_SCALE": scale}
    result = bench_sizes(tmp_path, **variables)
    assert result.returncode == 0, explain(result)
    assert json.loads(result.stdout) == [
        "postgres://postgres@db:5432/okr_bench",
        200,
        2000,
        8000,
        100000,
        300,
        "200 teams, 2000 objectives, 8000 key results, 100000 check-ins",
    ]


def test_ten_times_the_organisation_is_built_in_a_database_of_its_own(tmp_path):
    result = bench_sizes(tmp_path, BENCH_SCALE="10")
    assert result.returncode == 0, explain(result)
    assert json.loads(result.stdout) == [
        "postgres://postgres@db:5432/okr_bench_x10",
        2000,
        20000,
        80000,
        1000000,
        3000,
        "2000 teams, 20000 objectives, 80000 key results, 1000000 check-ins (BENCH_SCALE=10)",
    ]


def test_the_scale_multiplies_sizes_given_one_by_one(tmp_path):
    result = bench_sizes(tmp_path, BENCH_SCALE="3", BENCH_TEAMS="7")
    assert result.returncode == 0, explain(result)
    url, teams, objectives, *_ = json.loads(result.stdout)
    assert (url, teams, objectives) == ("postgres://postgres@db:5432/okr_bench_x3", 21, 6000)


@pytest.mark.parametrize("scale", ["0", "-1", "1.5", "ten"])
def test_a_scale_that_is_not_a_whole_number_from_one_up_stops_with_a_message(tmp_path, scale):
    result = bench_sizes(tmp_path, BENCH_SCALE=scale)
    assert result.returncode == 1, explain(result)
    assert f"BENCH_SCALE must be a whole number from 1 up, not '{scale}'" in result.stderr


def test_a_scaled_load_test_caches_in_a_redis_database_of_its_own(tmp_path):
    """Both bench databases hold the organisation under one id: one cache would mix their pages."""
    code = (
        "import loadtest; print(*(loadtest.scaled_redis_url(u) for u in "
        "['redis://127.0.0.1:6379/15', 'redis://cache:6379', 'redis://:pw@cache:6379/0']))"
    )
    result = subprocess.run(
        [str(PYTHON), "-c", code],
        cwd=BASE_DIR / "scripts",
        env=clean_env(tmp_path, BENCH_SCALE="10"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, explain(result)
    assert result.stdout.split() == [
        "redis://127.0.0.1:6379/14",
        "redis://cache:6379/1",
        "redis://:pw@cache:6379/1",
    ]
