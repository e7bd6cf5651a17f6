"""Validated rulebooks kept on disk between runs (engine.diskcache), so that a command starts without
compiling one again.

Only a rulebook that loaded without any problem is kept. Its entry is found by the rulebook's content
sha256 (every file of its folder, of the rulebooks it extends and of its bibliography), the content of
the rulebooks root's files shared by every year (units, states, population mappings), where it was
loaded from and the registered data kinds.

Those content hashes are themselves remembered under each hashed file's name, size, inode and
modification and change times (`remembered_digest`), so that a start whose files did not change
reads none of them. A file changed in the last `SETTLED_SECONDS` is hashed again at the next start:
a change within the resolution of its file system's clock leaves its times as they were.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from engine import diskcache
from engine.errors import Problem
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import rulebooks_root

KIND = "rulebooks"
DIGESTS = "digests"
SETTLED_SECONDS = 2.0
"""How old the last change of every hashed file must be for their content hash to be remembered."""


def load(where: tuple[str, ...], sha256: Callable[[], str | None],
         check: Callable[[], tuple[Rulebook | None, list[Problem]]]) -> tuple[Rulebook | None, list[Problem]]:
    """`check()`'s rulebook and problems, read from the cache when an entry for the same content exists
    (`sha256()` gives the content hash, None when it cannot be computed); a problem-free result is kept."""
    if diskcache.cache_folder(KIND) is None:
        return check()
    content = sha256()
    root = str(rulebooks_root())
    parts = (content or "", root, shared_digest(root), *where)
    if content is not None:
        found = diskcache.fetch(KIND, parts, Rulebook)
        if found is not None and found.sha256 == content:
            return found, []
    rulebook, problems = check()
    if rulebook is not None and not problems and content is not None and rulebook.sha256 == content:
        diskcache.store(KIND, parts, rulebook)
    return rulebook, problems


def shared_digest(root: str) -> str:
    """Content hash of the rulebooks root's files outside the year folders (read by every year's checks)."""
    base = Path(root)
    if not base.is_dir():
        return ""
    shared = [p for p in base.iterdir() if not p.name.isdigit() and not p.name.startswith(".")]
    files = [p for entry in shared for p in ([entry] if entry.is_file() else entry.rglob("*")) if p.is_file()]
    kept = [path for path in sorted(files) if not any(part.startswith(".") or part == "__pycache__"
                                                      for part in path.relative_to(base).parts)]
    return remembered_digest([str(path) for path in kept], lambda: _shared_sha256(base, kept))


def _shared_sha256(base: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def remembered_digest(files: list[str], compute: Callable[[], str | None]) -> str | None:
    """`compute()`, a hash of the content of `files` (in this order), kept on disk under each file's name,
    size, inode and times; computed again when any of them changed (or was changed too recently to tell)."""
    stamps = _stamps(files) if diskcache.cache_folder(DIGESTS) is not None else None
    if stamps is None:
        return compute()
    found = diskcache.fetch(DIGESTS, (stamps,), str)
    if found is not None:
        return found
    digest = compute()
    if digest is not None and _stamps(files) == stamps and _settled(stamps):
        diskcache.store(DIGESTS, (stamps,), digest)
    return digest


def _stamps(files: list[str]) -> str | None:
    """Each file's name, device, inode, size and modification and change times (None when one is missing)."""
    lines = []
    for name in files:
        try:
            status = os.stat(name)
        except OSError:
            return None
        lines.append(f"{name}\0{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:"
                     f"{status.st_ctime_ns}")
    return "\n".join(lines)


def _settled(stamps: str) -> bool:
    """Whether every stamped file was last changed (content or status) at least SETTLED_SECONDS ago."""
    latest = max((int(line.rsplit(":", 1)[1]) for line in stamps.splitlines()), default=0)
    return latest <= time.time_ns() - int(SETTLED_SECONDS * 1e9)
