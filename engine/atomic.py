"""Write a file so that readers see either the old or the complete new content, never a half."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from engine.errors import MipsError

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ELOOP: "the path runs through a loop of symbolic links",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "the path is a folder",
}


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    Only a regular file (or nothing) is replaced: a symbolic link, FIFO, device or folder at `path`
    is refused, and every operating-system failure becomes a message naming the path.
    """
    _refuse_special(path)
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _refuse_special(path)  # the path may have changed while the data were written
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        reason = REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise MipsError(f"{path}: cannot write the file: {reason}; nothing was written") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _refuse_special(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        reason = REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        raise MipsError(f"{path}: cannot write the file: {reason}; nothing was written") from None
    if not stat.S_ISREG(mode):
        kind = ("a symbolic link" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode)
                else "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        raise MipsError(f"{path}: is {kind}; output is written only to a regular file (or a new one): "
                        "give another path")
