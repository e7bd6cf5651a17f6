"""Where the engine's data folders are: beside the package in a checkout, inside it once installed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_bundled"
"""Filled by the wheel build (setup.py) with copies of the checkout's data folders."""
DATA_FOLDERS = ("rulebooks", "templates")


@lru_cache(maxsize=None)
def data_folder(name: str) -> Path:
    """The folder `name` (one of DATA_FOLDERS): the installed copy when there is one, else the checkout's."""
    bundled = BUNDLED / name
    return bundled if bundled.is_dir() else PACKAGE.parent / name
