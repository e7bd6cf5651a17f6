"""Where rulebooks live and which years exist."""

from __future__ import annotations

import os
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from engine.errors import MipsError
from engine.locations import data_folder


def rulebooks_root() -> Path:
    """The rulebooks folder: $MIPS_RULEBOOKS, or the project's own `rulebooks/` (installed with the package)."""
    return _root(os.environ.get("MIPS_RULEBOOKS"))


@lru_cache(maxsize=8)
def _root(variable: str | None) -> Path:
    return Path(variable) if variable is not None else data_folder("rulebooks")


def available_years() -> list[int]:
    return list(_years(rulebooks_root()))


@lru_cache(maxsize=8)
def _years(root: Path) -> tuple[int, ...]:
    """Years with a rulebook under a root (read once per process)."""
    if not root.is_dir():
        return ()
    return tuple(sorted(int(p.name) for p in root.iterdir()
                        if p.is_dir() and p.name.isdigit() and (p / "rulebook.yaml").is_file()))


def resolve(year_or_path: str | int) -> Path:
    """A rulebook directory from a year ('2023') or a path; a clear error when there is none."""
    text = str(year_or_path)
    if text.isdigit():
        path = rulebooks_root() / text
        if not (path / "rulebook.yaml").is_file():
            years = ", ".join(str(y) for y in available_years()) or "none"
            raise MipsError(f"no rulebook for performance year {text}; available years: {years}")
        return path
    path = Path(text)
    if path.is_file() and path.name == "rulebook.yaml":
        path = path.parent
    if not (path / "rulebook.yaml").is_file():
        raise MipsError(f"{text}: not a rulebook folder (it has no rulebook.yaml)")
    return path


INPUT_FOLDER: ContextVar[Path | None] = ContextVar("input_folder", default=None)
"""A folder whose files messages name by their name alone (the web application's uploads)."""


def display_path(path: Path) -> str:
    """A path as messages show it: a rulebook file as rulebooks/YEAR/..., wherever it is installed;
    any other file relative to the input folder or the working directory when inside it."""
    folder = INPUT_FOLDER.get()
    return _display(str(path), os.getcwd(), str(rulebooks_root()), str(folder) if folder is not None else None)


@lru_cache(maxsize=4096)
def _display(text: str, cwd: str, root: str, folder: str | None) -> str:
    try:
        resolved = Path(text).resolve()
        rulebooks = _folder(root)
    except (OSError, RuntimeError):  # a loop of symbolic links, a name too long: shown as given
        return text
    if resolved.is_relative_to(rulebooks):
        return str(Path(rulebooks.name) / resolved.relative_to(rulebooks))
    for base in (folder, cwd):
        if base is not None and resolved.is_relative_to(_folder(base)):
            return str(resolved.relative_to(_folder(base)))
    return text


@lru_cache(maxsize=64)
def _folder(text: str) -> Path:
    """A folder's resolved path (the rulebooks root, the working or input folder: the same for every file)."""
    return Path(text).resolve()
