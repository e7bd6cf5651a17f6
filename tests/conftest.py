"""Shared fixtures: the 2023 rulebook, a case builder, a scorer and CLI runners.

`make_case(**overrides)` starts from a base case -- an individual clinician in a 40-clinician
practice (not small), no special status, no APM, no automatic EUC, all four categories submitted
(quality 80, cost 60, IA 40 points, PI 90), no bonus -- and deep-merges the overrides into it.
Category entries are replaced whole (status, score and reason must agree with each other) and
may be written short:

    make_case(categories={"quality": Decimal("85"),              # submitted with score 85
                          "pi": "not_submitted",                 # {status: not_submitted}
                          "cost": ("reweighted", "no_scorable_measure")})
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import sysconfig
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from cli.main import main
from engine.api import rulebook_for
from engine.api import score as engine_score
from engine.case.models import Case
from engine.result import Result

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="run the long fuzzing campaign (thousands of generated inputs per format) instead of the "
                          "short one of the default suite")
    parser.addoption("--fuzz-examples", type=int, default=5000,
                     help="with --fuzz-long: generated inputs per format (default 5000)")

def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (the default) runs the whole suite in a worker per processor; named tests, files or
    folders, a snapshot update and the fuzz campaign (it reports its counts) run in this process."""
    named = config.args_source is not pytest.Config.ArgsSource.TESTPATHS
    if named or config.getoption("--fuzz-long") or config.getoption("--snapshot-update"):
        return 0
    return None


BASE_CASE: dict[str, Any] = {
    "case_id": "test-case",
    "performance_year": 2023,
    "entity": {"type": "individual", "tin": "123456789", "npi": "1234567893"},
    "practice": {"clinician_count": 40},
    "special_statuses": [],
    "apm_participant": False,
    "automatic_euc": False,
    "categories": {
        "quality": {"status": "submitted", "score": Decimal("80")},
        "cost": {"status": "submitted", "score": Decimal("60")},
        "ia": {"status": "submitted", "score": Decimal("40")},
        "pi": {"status": "submitted", "score": Decimal("90")},
    },
    "bonuses": {},
}


def category_input(value: Any) -> dict[str, Any]:
    """Shorthand for one category: a number is a submitted score, a string a status, a tuple (status, reason)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return {"status": "submitted", "score": Decimal(value)}
    if isinstance(value, str):
        return {"status": value}
    if isinstance(value, tuple) and len(value) == 2:
        return {"status": value[0], "reason": value[1]}
    raise TypeError(f"cannot read category input {value!r}")


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if key == "categories":
            merged[key] = merged.get(key, {}) | {name: category_input(v) for name, v in value.items()}
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


_SESSION_CACHE: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """The engine's disk cache (compiled rulebooks, year data, templates): off for the runs in this process,
    which share what they load through the process; a folder of the test session for the end-to-end runs
    of the installed command, never the user's own."""
    before = os.environ.get("MIPS_CACHE_DIR")
    folder = tmp_path_factory.mktemp("mips-cache")
    _SESSION_CACHE["folder"] = str(folder)
    os.environ["MIPS_CACHE_DIR"] = "off"
    yield folder
    if before is None:
        os.environ.pop("MIPS_CACHE_DIR", None)
    else:
        os.environ["MIPS_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def rulebook_2023():
    return rulebook_for("2023")


@pytest.fixture
def make_case() -> Callable[..., Case]:
    def build(**overrides: Any) -> Case:
        return Case.model_validate(deep_merge(BASE_CASE, overrides))
    return build


@pytest.fixture
def score(rulebook_2023) -> Callable[[Case], Result]:
    def run(case: Case) -> Result:
        return engine_score(case, rulebook_2023)
    return run


def _mips_executable() -> str:
    """The installed `mips` console script (skipping version-manager shims when possible)."""
    script = Path(sysconfig.get_path("scripts")) / "mips"
    return str(script) if script.is_file() else "mips"


MIPS = _mips_executable()


def run_mips(*args: str, cwd: Path | str = PROJECT_ROOT, env: dict[str, str] | None = None,
             stdin: str | None = None) -> tuple[int, str, str]:
    """Run `mips ARGS` in this process through its real entry point (`cli.main.main`, with its error
    handling and exit codes), in `cwd`, with `env` over an environment without MIPS_RULEBOOKS;
    returns (exit code, stdout, stderr)."""
    before, argv = os.getcwd(), sys.argv
    with CliRunner().isolation(input=stdin, env={"MIPS_RULEBOOKS": None} | (env or {})) as (out, err, _):
        sys.argv = ["mips", *args]
        os.chdir(cwd)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.argv = argv
            os.chdir(before)
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def run_mips_process(*args: str, cwd: Path | str = PROJECT_ROOT, env: dict[str, str] | None = None,
                     stdin: str | None = None) -> tuple[int, str, str]:
    """Run the installed `mips` console script in a fresh process, as a user would (end-to-end tests)."""
    full_env = {k: v for k, v in os.environ.items() if k != "MIPS_RULEBOOKS"} | {
        "MIPS_CACHE_DIR": _SESSION_CACHE["folder"]} | (env or {})
    done = subprocess.run([MIPS, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=full_env,
                          input=stdin, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """`mips` run in this process: the CLI's behaviour without the cost of starting Python."""
    return run_mips


@pytest.fixture(scope="session")
def run_cli_process() -> Callable[..., tuple[int, str, str]]:
    """`mips` run as a separate process: for the few end-to-end tests of the installed command."""
    return run_mips_process
