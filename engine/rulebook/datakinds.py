"""Kinds of year data a rulebook folder holds beside its rules, registered by the stages that read them.

The rulebook loader knows none of them by name: a stage (calendar, EUC, reference data, ...) registers
the files it owns and how to check them, and the loader hashes those files, accepts them as known and
runs each kind's check when a rulebook is validated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from engine.errors import MipsError, Problem


class DataKind(NamedTuple):
    """One kind of year data: the files it owns (globs relative to the year folder) and its check."""

    name: str
    patterns: tuple[str, ...]
    check: Callable[[Path], object] | None = None  # raises MipsError with located problems when bad
    reads: tuple[str, ...] = ()
    """Prefixes of the rulebook parameters the stage reads itself (no rule need read them)."""

    def problems(self, folder: Path) -> list[Problem]:
        """Problems of this kind's files in a year folder (none when the year has no such files)."""
        if self.check is None or not any(any(folder.glob(p)) for p in self.patterns):
            return []
        try:
            self.check(folder)
        except MipsError as exc:
            return list(exc.problems)
        return []


_KINDS: dict[str, DataKind] = {}


def register(kind: DataKind) -> None:
    """Add a data kind (a kind registered twice under one name replaces the first)."""
    _KINDS[kind.name] = kind


def registered() -> tuple[DataKind, ...]:
    """Every registered data kind, in registration order."""
    return tuple(_KINDS.values())


def parameters_read() -> tuple[str, ...]:
    """Prefixes of the parameters the registered stages read themselves."""
    return tuple(p for kind in _KINDS.values() for p in kind.reads)


def patterns() -> tuple[str, ...]:
    return tuple(p for kind in _KINDS.values() for p in kind.patterns)
