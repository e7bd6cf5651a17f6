"""The folder where the engine keeps what it may compute again (compiled rulebooks, compiled templates).

$MIPS_CACHE_DIR, else $XDG_CACHE_HOME/mips, else ~/.cache/mips; MIPS_CACHE_DIR=off (or empty) turns
every such cache off. Everything in it is safe to delete at any time.
"""

from __future__ import annotations

import os
from pathlib import Path

OFF = "off"


def cache_folder(part: str) -> Path | None:
    """The cache subfolder `part` (not created here), or None when caching is turned off."""
    chosen = os.environ.get("MIPS_CACHE_DIR")
    if chosen is not None:
        return None if chosen in ("", OFF) else Path(chosen) / part
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mips" / part
