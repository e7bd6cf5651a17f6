"""What the engine may compute again, kept on disk between runs: compiled rulebooks, year data, templates.

The folder is $MIPS_CACHE_DIR, else $XDG_CACHE_HOME/mips, else ~/.cache/mips; MIPS_CACHE_DIR=off (or
empty) turns every such cache off, and everything in it is safe to delete at any time. An entry is
found by a key that names everything its value was made from, and the engine that made it (its
version, the Python version and the size and modification time of each of its modules), so that a
changed input or another engine never reads an entry made before. An entry that cannot be read is
only a miss; one that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import engine

T = TypeVar("T")
OFF = "off"
ENTRIES = 64
"""Most entries kept of each kind; the least recently written are removed beyond."""


def cache_folder(part: str) -> Path | None:
    """The cache subfolder `part` (not created here), or None when caching is turned off."""
    chosen = os.environ.get("MIPS_CACHE_DIR")
    if chosen is not None:
        return None if chosen in ("", OFF) else Path(chosen) / part
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mips" / part


def remembered(kind: str, parts: tuple[str, ...], expected: type[T], compute: Callable[[], T]) -> T:
    """`compute()`, or the value kept for the same `parts` by this engine; a computed value is kept
    (an exception of `compute` is raised and nothing is kept)."""
    found = fetch(kind, parts, expected)
    if found is not None:
        return found
    value = compute()
    store(kind, parts, value)
    return value


def fetch(kind: str, parts: tuple[str, ...], expected: type[T]) -> T | None:
    """The value kept for `parts`, when there is one of the expected type."""
    folder = cache_folder(kind)
    if folder is None:
        return None
    path = folder / f"{_key(parts)}.pickle"
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is only a miss
        path.unlink(missing_ok=True)
        return None
    return found if isinstance(found, expected) else None


def store(kind: str, parts: tuple[str, ...], value: Any) -> None:
    """Keep a value for `parts`: written whole (a temporary file renamed), then only the newest entries kept."""
    folder = cache_folder(kind)
    if folder is None:
        return
    try:
        import tempfile  # only when writing

        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / f"{_key(parts)}.pickle")
        finally:
            Path(temporary).unlink(missing_ok=True)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[ENTRIES:]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        return


def stamp(paths: list[Path]) -> str:
    """Name, modification time and size of each file that exists, as key text."""
    found = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        found.append(f"{path}:{status.st_mtime_ns}:{status.st_size}")
    return "\n".join(found)


def _key(parts: tuple[str, ...]) -> str:
    digest = hashlib.sha256(_engine_fingerprint().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _engine_fingerprint() -> str:
    """The engine's version, the Python version and each engine module's size and modification time."""
    package = os.path.dirname(engine.__file__)
    parts = [engine.__version__, sys.version, package]
    _module_stamps(package, "", parts)
    return "\n".join(parts)


def _module_stamps(folder: str, prefix: str, parts: list[str]) -> None:
    """Append `relative path:size:modification time` of each module beneath `folder`, by name, a
    folder's modules after its own."""
    with os.scandir(folder) as listed:
        entries = sorted(listed, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.endswith(".py") and entry.is_file():
            status = entry.stat()
            parts.append(f"{prefix}{entry.name}:{status.st_size}:{status.st_mtime_ns}")
    for entry in entries:
        if entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
            _module_stamps(entry.path, f"{prefix}{entry.name}/", parts)
