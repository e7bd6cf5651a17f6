"""A built wheel works from any directory: its `mips` finds the rulebooks and templates it ships.

The wheel is built from a copy of the project's files (without build isolation, using this
environment's setuptools) and installed with pip into a new virtual environment, which borrows
this environment's dependencies through a .pth file instead of downloading them again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from engine.api import score_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "engine", "cli", "rulebooks", "templates")
EXAMPLE = PROJECT_ROOT / "examples" / "cases" / "individual-2023.yaml"


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a new virtual environment with the project's wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled")
    for name in SHIPPED:
        path = PROJECT_ROOT / name
        (shutil.copytree(path, source / name, ignore=ignore) if path.is_dir() else shutil.copy(path, source / name))
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", ".",
        cwd=source)
    [wheel] = (tmp / "dist").glob("*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip()
    Path(purelib, "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel, cwd=tmp)
    return venv / "bin"


def test_the_wheel_ships_rulebooks_and_templates_and_scores_from_anywhere(installed, tmp_path):
    where = run(installed / "python", "-c", "import engine; print(engine.__file__)", cwd=tmp_path).stdout
    assert str(installed.parent) in where, "the installed engine, not the checkout's, must be imported"
    done = run(installed / "mips", "score", EXAMPLE, "--format", "json", cwd=tmp_path)
    data = json.loads(done.stdout)
    expected = score_file(EXAMPLE).to_data()
    assert (data["final_score"], data["rulebook"]["sha256"]) == (float(expected["final_score"]),
                                                                  expected["rulebook"]["sha256"])
    assert data["trace"][0]["at"].startswith("rulebooks/2022/pathways.yaml:")  # the option 2023 inherits
    explained = run(installed / "mips", "explain", EXAMPLE, cwd=tmp_path).stdout
    assert explained.startswith("WHY THIS MIPS 2023 SCORE")
