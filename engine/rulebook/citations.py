"""Citations: `source:` values are `key pinpoint; key pinpoint`, each key defined in the bibliography.

One module parses, checks and resolves them for every file that cites (parameters, rules, tables,
case inputs, calendar, EUC data), so that a citation means the same thing everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from engine.errors import Problem
from engine.rulebook.bibliography import Bibliography, bibliography_for
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import dotted
from engine.rulebook.yaml_source import LocatedDict, LocatedList

SEPARATOR = ";"
CITING_KEYS = ("source", "cite")
KEY = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


class Citation(NamedTuple):
    """One citation of a `source:` value: the source key and where in the source (optional)."""

    key: str
    pinpoint: str | None = None


class Resolved(NamedTuple):
    """A citation joined with its bibliography entry: what a reader needs to follow it."""

    key: str
    pinpoint: str | None
    title: str
    publisher: str
    date: str
    url: str | None
    reference: str | None
    kind: str

    @property
    def label(self) -> str:
        """Title and pinpoint, as explanations print them."""
        return f"{self.title}, {self.pinpoint}" if self.pinpoint else self.title

    def as_data(self) -> dict[str, Any]:
        return {k: v for k, v in (("key", self.key), ("pinpoint", self.pinpoint), ("title", self.title),
                                  ("publisher", self.publisher), ("date", self.date), ("url", self.url),
                                  ("reference", self.reference), ("kind", self.kind)) if v is not None}


def parse(text: str) -> list[Citation]:
    """The citations of a `source:` value, in order (empty parts are kept out; `check` reports them)."""
    result = []
    for part in text.split(SEPARATOR):
        part = part.strip()
        if part:
            key, _, pinpoint = part.partition(" ")
            result.append(Citation(key, pinpoint.strip() or None))
    return result


def check(text: str, bibliography: Bibliography) -> list[str]:
    """What is wrong with a `source:` value: empty citations, malformed or unknown keys (with a suggestion)."""
    messages = []
    parts = text.split(SEPARATOR)
    if any(not p.strip() for p in parts):
        messages.append("empty citation (a ';' with nothing before or after it); write 'key pinpoint; key pinpoint'")
    for citation in parse(text):
        if citation.key in bibliography:
            continue
        hint = _suggestion(citation.key, bibliography)
        if not KEY.match(citation.key):
            messages.append(f"'{citation.key}' is not a source key: keys are lower-case letters, digits, '.' and '-', "
                            f"defined in rulebooks/sources/*.yaml{hint}")
        else:
            messages.append(f"unknown source key '{citation.key}'{hint or '; define it in rulebooks/sources/*.yaml'}")
    return messages


def _suggestion(key: str, bibliography: Bibliography) -> str:
    """The most similar key (the first in alphabetical order among equally similar ones), if any is close."""
    import difflib  # only for a key that names no source

    scored = [(difflib.SequenceMatcher(None, key.lower(), known).ratio(), known) for known in bibliography.sources]
    close = [(-score, known) for score, known in scored if score >= 0.6]
    return f"; did you mean '{min(close)[1]}'?" if close else ""


def resolve(text: str | None, bibliography: Bibliography | None) -> tuple[Resolved, ...]:
    """Every citation of a `source:` value joined with its entry (unknown keys, refused at load, are skipped)."""
    if not text or bibliography is None:
        return ()
    found = []
    for citation in parse(text):
        source = bibliography.get(citation.key)
        if source is not None:
            entry = source.entry
            found.append(Resolved(citation.key, citation.pinpoint, entry.title, entry.publisher, entry.date,
                                  entry.url, entry.reference, entry.kind))
    return tuple(found)


def check_file(data: Any, path: Path) -> list[Problem]:
    """Every citation of a parsed year data file checked in the bibliography of the folder it lies in."""
    return [] if data is None else check_document(data, display_path(path), bibliography_for(path.parent))


def check_document(data: Any, file: str, bibliography: Bibliography) -> list[Problem]:
    """Every `source:` (or `cite:`) text value of a parsed document checked, each problem at its file and line."""
    problems: list[Problem] = []
    _walk(data, (), file, bibliography, problems)
    return problems


def _walk(node: Any, path: tuple[str | int, ...], file: str, bibliography: Bibliography,
          problems: list[Problem]) -> None:
    if isinstance(node, LocatedDict):
        for key, value in node.items():
            if key in CITING_KEYS and isinstance(value, str):
                where = node.value_where.get(key)
                for message in check(value, bibliography):
                    problems.append(Problem(file, where.line if where else None, where.column if where else None,
                                            dotted(path + (key,)), message))
            else:
                _walk(value, path + (key,), file, bibliography, problems)
    elif isinstance(node, LocatedList):
        for index, item in enumerate(node):
            _walk(item, path + (index,), file, bibliography, problems)

