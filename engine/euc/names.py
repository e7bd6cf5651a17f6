"""How county names are compared: case, accents, punctuation and a trailing 'County'/'Parish' ignored."""

from __future__ import annotations

import re
import unicodedata

SUFFIXES = ("county", "parish")


def county_key(name: str) -> str:
    """'St. Johns County', 'st johns' and 'ST JOHNS' all give 'stjohns'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip().lower()
    for suffix in SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
    return re.sub(r"[^a-z0-9]", "", text)
