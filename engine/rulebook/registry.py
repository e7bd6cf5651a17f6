"""Where rulebooks live and which years exist."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from engine.errors import MipsError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def rulebooks_root() -> Path:
    """The rulebooks folder: $MIPS_RULEBOOKS, or the project's own `rulebooks/`."""
    return Path(os.environ.get("MIPS_RULEBOOKS", PROJECT_ROOT / "rulebooks"))


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


def display_path(path: Path) -> str:
    """A path as messages and traces show it: a file of the rulebooks folder relative to that folder's
    parent (`rulebooks/2023/rules/final_score.yaml`, wherever the command runs), any other file relative
    to the working folder when inside it, else to the rulebooks folder's parent, else as given."""
    return _display(str(path), os.getcwd(), str(rulebooks_root()))


@lru_cache(maxsize=4096)
def _display(text: str, cwd: str, root: str) -> str:
    path = Path(text)
    try:
        resolved = path.resolve()
        base = Path(root).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links, a name too long: shown as given
        return text
    if resolved.is_relative_to(base):
        return str(resolved.relative_to(base.parent))
    for folder in (Path(cwd).resolve(), base.parent):
        if resolved.is_relative_to(folder):
            return str(resolved.relative_to(folder))
    return text
