"""The bibliography: every source a rulebook may cite, one family file each in `rulebooks/sources/`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

from pydantic import Field, model_validator

from engine.datafiles import read_model
from engine.errors import Problem
from engine.locations import data_folder
from engine.rulebook.models import Strict
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.yaml_source import locate_key

FOLDER = "sources"
KEY_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
Kind = Literal["regulation", "federal_register", "cms_guide", "cms_page", "cms_data", "secondary", "project"]
FAMILIES: dict[str, Kind] = {
    "regulations.yaml": "regulation",
    "federal-register.yaml": "federal_register",
    "cms-guides.yaml": "cms_guide",
    "cms-pages.yaml": "cms_page",
    "cms-data.yaml": "cms_data",
    "secondary.yaml": "secondary",
    "project.yaml": "project",
}
SourceKey = Annotated[str, Field(pattern=KEY_PATTERN)]


class SourceEntry(Strict):
    """One source a reader can follow: what it is, who published it, when, and where to find it."""

    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                      description="date of the text read: version, publication or retrieval (YYYY, YYYY-MM or YYYY-MM-DD)")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    reference: str | None = Field(default=None, description="CFR or Federal Register citation, e.g. '42 CFR 414.1380'")
    kind: Kind
    quote: str | None = Field(default=None, description="the words relied on")
    note: str | None = None

    @model_validator(mode="after")
    def _followable(self) -> "SourceEntry":
        if self.url is None and self.reference is None and self.kind != "project":
            raise ValueError("a source needs a 'url' or a 'reference' a reader can follow")
        return self


class SourcesFile(Strict):
    """A family file of the bibliography (regulations.yaml, cms-guides.yaml, ...)."""

    description: str | None = None
    sources: dict[SourceKey, SourceEntry] = Field(default_factory=dict)


class Source(NamedTuple):
    """A bibliography entry with its key and where it is defined."""

    key: str
    entry: SourceEntry
    file: str
    line: int


class Bibliography:
    """Every source of one rulebooks root, by key; `problems` lists what is wrong with the files."""

    def __init__(self, folder: str):
        self.folder = folder
        self.sources: dict[str, Source] = {}
        self.problems: list[Problem] = []

    def __contains__(self, key: str) -> bool:
        return key in self.sources

    def get(self, key: str) -> Source | None:
        return self.sources.get(key)

    @property
    def files(self) -> tuple[Path, ...]:
        """The folder's .yaml entries, by name (listed without a glob pattern, which is compiled at each start)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return ()
        return tuple(Path(self.folder, name) for name in sorted(names) if name.endswith(".yaml"))


def bibliography_folder(rulebook_folder: Path | None = None) -> Path:
    """The bibliography a rulebook folder cites from: beside it, else the configured or project rulebooks root."""
    candidates = ([rulebook_folder.parent / FOLDER] if rulebook_folder is not None else [])
    candidates += [rulebooks_root() / FOLDER, data_folder("rulebooks") / FOLDER]
    return next((c for c in candidates if c.is_dir()), candidates[-1])


def bibliography_for(rulebook_folder: Path | None = None) -> Bibliography:
    """The bibliography of a rulebook folder (or of the rulebooks root), read once per content."""
    folder = bibliography_folder(rulebook_folder).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*"))) \
        if folder.is_dir() else ()
    return _load(folder, stamp)


@lru_cache(maxsize=8)
def _load(folder: Path, _stamp: tuple) -> Bibliography:
    """Read and check every family file; a key defined twice, a stray file or a wrong kind is a problem."""
    result = Bibliography(str(folder))
    if not folder.is_dir():
        result.problems.append(Problem(display_path(folder), None, None, "",
                                       "no bibliography folder; source keys are defined in rulebooks/sources/*.yaml"))
        return result
    for path in sorted(folder.iterdir()):
        name = display_path(path)
        if path.name not in FAMILIES:
            result.problems.append(Problem(name, None, None, "", "unexpected bibliography file; the families are "
                                           + ", ".join(FAMILIES)))
            continue
        data, spec, found = read_model(path, SourcesFile)
        result.problems += found
        if spec is None:
            continue
        for key, entry in spec.sources.items():
            where = locate_key(data, ("sources", key))
            line = where.line if where else 1
            if entry.kind != FAMILIES[path.name]:
                result.problems.append(Problem(name, line, None, f"sources.{key}.kind",
                                               f"'{entry.kind}' does not belong in {path.name}; "
                                               f"this file holds kind '{FAMILIES[path.name]}'"))
            if key in result.sources:
                first = result.sources[key]
                result.problems.append(Problem(name, line, None, f"sources.{key}",
                                               f"source key '{key}' is already defined at {first.file}:{first.line}"))
                continue
            result.sources[key] = Source(key, entry, name, line)
    return result

