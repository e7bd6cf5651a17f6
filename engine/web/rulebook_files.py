"""The rulebook files the web application may show: listed from the rulebooks folder, never named by a request."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from engine.rulebook.registry import display_path, rulebooks_root

SHOWN = ("*.yaml", "*/*.yaml")


@lru_cache(maxsize=4)
def _files(root: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for pattern in SHOWN:
            for path in sorted(folder.glob(pattern)):
                files[display_path(path)] = path
    return files


def rulebook_file(shown_as: str) -> Path | None:
    """The file a trace names (`rulebooks/2023/rules/quality.yaml`), when it is one of the rulebooks' YAML files."""
    return _files(rulebooks_root().resolve()).get(shown_as)
