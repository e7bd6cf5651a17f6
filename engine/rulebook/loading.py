"""Load a rulebook through its caches: in the process by content hash, then on disk (engine.rulebook.diskcache).

Only a rulebook found in neither is read and checked (engine.rulebook.loader, imported then): a command
whose rulebook comes from a cache does not import the checks.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path

from engine.errors import MipsError, Problem, RulebookError
from engine.rulebook import datakinds
from engine.rulebook import diskcache as rulebook_cache
from engine.rulebook.bibliography import Bibliography, bibliography_folder
from engine.rulebook.compiled import Rulebook
from engine.rulebook.overlays import manifest_extends
from engine.rulebook.registry import display_path, resolve

CACHE_SIZE = 32
"""Most compiled rulebooks kept in a process (distinct contents or display folders)."""

_compiled: OrderedDict[tuple[str, str, tuple[str, ...]], Rulebook] = OrderedDict()


def load_rulebook(year_or_path: str | int) -> Rulebook:
    """Load and fully validate a rulebook; raise RulebookError listing every problem.

    A rulebook whose content (every file of its folder and of the rulebooks it extends) was already
    loaded without problems in this process is not read again: only its files are hashed.
    """
    rulebook, problems = load(resolve(year_or_path), ())
    if problems or rulebook is None:
        raise RulebookError(problems)
    return rulebook


def load(folder: Path, chain: tuple[Path, ...]) -> tuple[Rulebook | None, list[Problem]]:
    """check_rulebook, through the in-process cache of problem-free rulebooks keyed by content hash
    (the files are hashed first only when a rulebook of that folder is in the cache), then through the
    cache on disk (engine.rulebook.diskcache)."""
    where = (display_path(folder), tuple(kind.name for kind in datakinds.registered()))
    if any(key[1:] == where for key in _compiled):
        sha256 = content_sha256(folder, chain)
        if sha256 is not None and (sha256, *where) in _compiled:
            _compiled.move_to_end((sha256, *where))
            return _compiled[(sha256, *where)], []
    rulebook, problems = rulebook_cache.load(where[:1] + (str(folder.resolve()), *where[1]),
                                             lambda: content_sha256(folder, chain), lambda: _check(folder, chain))
    if rulebook is not None and not problems:
        _compiled[(rulebook.sha256, *where)] = rulebook
        while len(_compiled) > CACHE_SIZE:
            _compiled.popitem(last=False)
    return rulebook, problems


def _check(folder: Path, chain: tuple[Path, ...]) -> tuple[Rulebook | None, list[Problem]]:
    from engine.rulebook import loader
    return loader.check_rulebook(folder, chain)


def content_sha256(folder: Path, chain: tuple[Path, ...]) -> str | None:
    """The sha256 a rulebook loaded from `folder` would carry (None when its `extends` does not resolve).

    It is remembered on disk under the name, size, inode and times of every file it hashes
    (engine.rulebook.diskcache.remembered_digest): a start whose files are unchanged reads none of them.
    """
    folders = _year_folders(folder, chain)
    if folders is None:
        return None
    files = [path for each in folders for _, path in sorted(_files(str(each)))]
    files += [str(path) for each in folders for path in _bibliography(each).files]
    return rulebook_cache.remembered_digest(files, lambda: _chain_sha256(folders))


def _year_folders(folder: Path, chain: tuple[Path, ...]) -> list[Path] | None:
    """The folder and those of the years it extends, newest first (None when an `extends` does not resolve
    or leads back to a folder of `chain` or of the list)."""
    folders = [folder]
    while (extends := manifest_extends(folders[-1])) is not None:
        chain += (folders[-1].resolve(),)
        try:
            parent = resolve(extends)
        except MipsError:
            return None
        if parent.resolve() in chain:
            return None
        folders.append(parent)
    return folders


def _chain_sha256(folders: list[Path]) -> str:
    """folder_sha256 of each folder over the one it extends, the oldest first."""
    sha256 = ""
    for folder in reversed(folders):
        sha256 = folder_sha256(folder, sha256, _bibliography(folder))
    return sha256


def _bibliography(folder: Path) -> Bibliography:
    """The bibliography a rulebook folder's citations resolve in (its files listed, not read)."""
    return Bibliography(str(bibliography_folder(folder).resolve()))


def folder_sha256(folder: Path, parent_sha256: str, bibliography: Bibliography) -> str:
    """Content hash of every file of the rulebook folder (names and bytes; hidden entries and __pycache__
    left out), of the rulebook it extends and of the bibliography its citations resolve in."""
    digest = hashlib.sha256(parent_sha256.encode())
    for relative, path in sorted(_files(str(folder))):
        digest.update(relative.encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(handle.read() + b"\0")
    for path in bibliography.files:
        digest.update(f"sources/{path.name}".encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _files(folder: str) -> list[tuple[str, str]]:
    """Each file beneath a folder (not through links to folders) as its relative POSIX path and its path."""
    found: list[tuple[str, str]] = []
    _add_files(folder, "", found)
    return found


def _add_files(folder: str, prefix: str, found: list[tuple[str, str]]) -> None:
    try:
        with os.scandir(folder) as listed:
            entries = list(listed)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir(follow_symlinks=False):
            _add_files(entry.path, f"{prefix}{entry.name}/", found)
        elif entry.is_file():
            found.append((prefix + entry.name, entry.path))
