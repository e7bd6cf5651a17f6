"""Wheel build step: ship the rulebooks and templates inside the engine package (engine/_bundled/).

Everything else is declared in pyproject.toml. Editable installs read the checkout's folders directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("rulebooks", "templates")


class BuildWithData(build_py):
    """build_py that also copies the data folders into the built engine package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for name in DATA_FOLDERS:
            target = Path(self.build_lib) / "engine" / "_bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
