"""Which kind of input a file is, from its content (not its name), and reading submissions of any kind.

The engine reads case files (YAML or JSON), QPP JSON submissions and QRDA Category III XML. A QRDA III
file is converted to QPP JSON as CMS's converter does; its parts keep their XML line and XPath, so a
problem found while scoring points into the XML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from engine.errors import CaseError, MipsError, Problem
from engine.rulebook.registry import display_path
from engine.rulebook.text_source import SourceError, decode, missing, read_text
from engine.rulebook.yaml_source import Located, LocatedDict, LocatedList

if TYPE_CHECKING:
    from engine.qpp.models import Submission
    from engine.qrda.convert import Conversion

Kind = Literal["qrda3", "json", "yaml"]
READS = "case files (YAML or JSON), QPP JSON submissions and QRDA Category III XML"
_SNIFF = 4096


def detect(path: Path, text: str | None = None) -> Kind:
    """The kind of a file (or of `text`, its content already read) from its first bytes; a CaseError saying
    what the engine reads otherwise."""
    name = display_path(path)
    if text is not None:
        head = text[:_SNIFF].encode("utf-8", errors="replace")
    elif not path.is_file():
        raise CaseError(f"{name}: {missing(path)}")
    else:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    if b"\x00" in head:
        raise CaseError(f"{name}: not a file the engine reads (it looks binary); it reads {READS}")
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "qrda3"
    if text.startswith("{") or text.startswith("["):
        return "json"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            try:
                decode(head[:exc.start + 1])
            except SourceError as bad:
                raise CaseError([Problem(name, bad.line, bad.column, "", f"{bad.message}; the engine reads "
                                         f"{READS}")]) from None
    return "yaml"


def is_submission(path: Path, text: str | None = None) -> bool:
    """Whether a file holds a submission (QRDA III XML, or JSON with measurementSets) rather than a case."""
    kind = detect(path, text)
    if kind == "qrda3":
        return True
    if kind != "json":
        return False
    try:
        data = json.loads(text if text is not None else read_text(path))
    except (ValueError, RecursionError, SourceError):
        return False
    return isinstance(data, dict) and "measurementSets" in data


def read_any_submission(path: Path, text: str | None = None) -> tuple[Submission, Any, str]:
    """A QPP submission from QPP JSON (or YAML) or from QRDA III XML converted as CMS's converter does
    (`text`: the content, already read); the QPP stage is imported only when there is one."""
    from engine.qpp.models import Submission
    from engine.qpp.problems import located_problems
    from engine.qpp.reader import read_submission

    if detect(path, text) != "qrda3":
        return read_submission(path, text)
    from engine.qrda.convert import convert_bytes, convert_file   # the QRDA stage (and lxml) only for XML
    conversion = convert_file(path) if text is None else convert_bytes(text.encode("utf-8"), display_path(path))
    if conversion.problems or conversion.submission is None:
        raise CaseError([p.located(conversion.file) for p in conversion.problems])
    document = located_submission(conversion)
    try:
        return Submission.model_validate(document), document, conversion.file
    except ValidationError as exc:
        raise CaseError(located_problems(exc, Submission, document, conversion.file)) from None


def located_submission(conversion: "Conversion") -> LocatedDict:
    """The converted QPP JSON as a located document whose positions are the XML lines it comes from."""
    def build(value: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(value, dict):
            result = LocatedDict()
            result.where = _where(conversion, path)
            for key, item in value.items():
                result[key] = build(item, path + (key,))
                result.key_where[key] = result.value_where[key] = _where(conversion, path + (key,))
            return result
        if isinstance(value, list):
            items = LocatedList()
            items.where = _where(conversion, path)
            for index, item in enumerate(value):
                items.append(build(item, path + (index,)))
                items.item_where.append(_where(conversion, path + (index,)))
            return items
        return value
    assert conversion.submission is not None
    return build(conversion.submission, ())


def _where(conversion: "Conversion", path: tuple[str | int, ...]) -> Located:
    """The XML position of the nearest part of the JSON that comes from a located template."""
    for end in range(len(path), -1, -1):
        origin = conversion.origins.get(path[:end])
        if origin is not None and origin[0] is not None:
            return Located(origin[0], origin[1] or 1)
    return Located(1, 1)


def require_profile(path: Path, text: str | None = None) -> None:
    """A submission given where a case is expected: say that scoring it needs a profile."""
    if (text is not None or path.is_file()) and is_submission(path, text):
        kind = "a QRDA III file" if detect(path, text) == "qrda3" else "a QPP JSON submission"
        raise MipsError(f"{display_path(path)} is {kind}; scoring it needs the facts it does not carry (practice, "
                        "special statuses, cost, bonuses): pass them with --profile PROFILE.yaml "
                        "(see examples/profiles/)")

