"""Helpers of the web tests: example files as the API takes them."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def files(*paths: str) -> list[dict[str, str]]:
    """API `files` entries for example files (relative to examples/)."""
    return [{"name": Path(p).name, "content": (EXAMPLES / p).read_text(encoding="utf-8")} for p in paths]
