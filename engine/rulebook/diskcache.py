"""Validated rulebooks kept on disk between runs, so that a command starts without compiling one again.

Only a rulebook that loaded without any problem is written. An entry is found by a key made of the
rulebook's content sha256 (every file of its folder, of the rulebooks it extends and of its
bibliography), the files of the rulebooks root shared by every year (units, states, population
mappings), where it was loaded from, the registered data kinds, and the engine itself (its version,
the Python version and the size and modification time of each of its modules): a changed file or
another engine never reads an entry made before. Entries live in the engine's cache folder
(engine.cachedir: safe to delete, MIPS_CACHE_DIR=off turns it off); one that cannot be read is
ignored and the rulebook compiled again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import engine
from engine.cachedir import cache_folder
from engine.errors import Problem
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import rulebooks_root

ENTRIES = 64
"""Most rulebooks kept on disk; the least recently written are removed beyond."""

SUBFOLDER = "rulebooks"


def load(where: tuple[str, ...], sha256: Callable[[], str | None],
         check: Callable[[], tuple[Rulebook | None, list[Problem]]]) -> tuple[Rulebook | None, list[Problem]]:
    """`check()`'s rulebook and problems, read from the cache when an entry for the same content exists
    (`sha256()` gives the content hash, None when it cannot be computed); a problem-free result is written."""
    folder = cache_folder(SUBFOLDER)
    if folder is None:
        return check()
    content = sha256()
    key = _key(content, where) if content is not None else None
    if key is not None:
        found = _read(folder / f"{key}.pickle")
        if found is not None and found.sha256 == content:
            return found, []
    rulebook, problems = check()
    if rulebook is not None and not problems and rulebook.sha256 == content and key is not None:
        _write(folder, key, rulebook)
    return rulebook, problems


def _key(sha256: str, where: tuple[str, ...]) -> str:
    digest = hashlib.sha256(_engine_fingerprint().encode())
    root = str(rulebooks_root())
    digest.update(sha256.encode() + b"\0" + root.encode() + b"\0" + _shared_digest(root).encode())
    for part in where:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _engine_fingerprint() -> str:
    """The engine's version, the Python version and each engine module's size and modification time."""
    package = Path(engine.__file__).parent
    parts = [engine.__version__, sys.version, str(package)]
    for base, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(base, name))
                parts.append(f"{os.path.relpath(os.path.join(base, name), package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


@lru_cache(maxsize=8)
def _shared_digest(root: str) -> str:
    """Content hash of the rulebooks root's files outside the year folders (read by every year's checks)."""
    digest = hashlib.sha256()
    base = Path(root)
    if not base.is_dir():
        return ""
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base)
        if relative.parts[0].isdigit() or any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read(path: Path) -> Rulebook | None:
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is only a miss
        path.unlink(missing_ok=True)
        return None
    return found if isinstance(found, Rulebook) else None


def _write(folder: Path, key: str, rulebook: Rulebook) -> None:
    """Write an entry whole (a temporary file renamed), then keep only the newest entries."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(rulebook, protocol=pickle.HIGHEST_PROTOCOL)
        import tempfile  # only when writing

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / f"{key}.pickle")
        finally:
            Path(temporary).unlink(missing_ok=True)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[ENTRIES:]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        return
