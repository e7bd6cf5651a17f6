"""Load a year's EUC data: events.yaml, places.csv + SOURCE.yaml, parameters/euc.yaml; all problems at once."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from engine import diskcache
from engine.errors import MipsError
from engine.euc.data import EucYear
from engine.rulebook.bibliography import bibliography_folder
from engine.rulebook.registry import rulebooks_root

EVENTS = Path("euc/events.yaml")
PLACES = Path("euc/places.csv")
SOURCE = Path("euc/SOURCE.yaml")
PARAMETERS = Path("parameters/euc.yaml")
STATES = Path("common/states.yaml")
HEADER = ["state_code", "county_name", "zipcode"]


def euc_years() -> list[int]:
    """Performance years that have EUC events data."""
    root = rulebooks_root()
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit() and (p / EVENTS).is_file())


def load_euc_year(year: int) -> EucYear:
    """A year's EUC data; a clear error when the year has none."""
    folder = rulebooks_root() / str(year)
    if not (folder / EVENTS).is_file():
        known = ", ".join(str(y) for y in euc_years()) or "none"
        raise MipsError(f"no automatic EUC data for performance year {year}; years with EUC data: {known}")
    return load_euc_folder(folder)


def load_euc_folder(folder: Path) -> EucYear:
    """Read and cross-check one year folder, once per process while its files stay unchanged; raise
    RulebookError listing every problem."""
    folder = folder.resolve()
    files = [folder / name for name in (EVENTS, PLACES, SOURCE, PARAMETERS)] + [rulebooks_root() / STATES]
    return _load_folder(folder, diskcache.stamp(files))


@lru_cache(maxsize=32)
def _load_folder(folder: Path, stamp: str) -> EucYear:
    """The year's data, kept on disk between runs for the same files, bibliography and working folder."""
    bibliographies = [bibliography_folder(folder), bibliography_folder(rulebooks_root() / STATES.parent)]
    cited = diskcache.stamp([p for b in dict.fromkeys(bibliographies) for p in sorted(b.glob("*"))])
    return diskcache.remembered("euc", (str(folder), stamp, cited, os.getcwd(), str(rulebooks_root())),
                                EucYear, lambda: _read_folder(folder))


def _read_folder(folder: Path) -> EucYear:
    """The year's files read and cross-checked (engine.euc.reader, imported only when the cache has no entry)."""
    from engine.euc.reader import read_folder
    return read_folder(folder)

