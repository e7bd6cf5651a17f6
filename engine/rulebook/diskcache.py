"""Validated rulebooks kept on disk between runs (engine.diskcache), so that a command starts without
compiling one again.

Only a rulebook that loaded without any problem is kept. Its entry is found by the rulebook's content
sha256 (every file of its folder, of the rulebooks it extends and of its bibliography), the content of
the rulebooks root's files shared by every year (units, states, population mappings), where it was
loaded from and the registered data kinds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from engine import diskcache
from engine.errors import Problem
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import rulebooks_root

KIND = "rulebooks"


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
    digest = hashlib.sha256()
    base = Path(root)
    if not base.is_dir():
        return ""
    shared = [p for p in base.iterdir() if not p.name.isdigit() and not p.name.startswith(".")]
    files = [p for entry in shared for p in ([entry] if entry.is_file() else entry.rglob("*")) if p.is_file()]
    for path in sorted(files):
        relative = path.relative_to(base)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
