"""Read a QPP submission file (JSON, or YAML for hand-written ones) into the structural model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import CaseError, Problem
from engine.qpp.json_source import JsonSyntaxError, read_json
from engine.qpp.models import Submission
from engine.qpp.problems import located_problems
from engine.rulebook.registry import display_path
from engine.rulebook.yaml_source import LocatedDict, YamlSyntaxError, parse_yaml


def read_submission(path: Path, text: str | None = None) -> tuple[Submission, Any, str]:
    """Parse and structurally validate a submission; returns submission, located document, display name.

    `.yaml`/`.yml` files are read as YAML, anything else as JSON (`text`: the content, already read).
    Raises CaseError with every located problem (syntax, duplicate keys, unknown keys, wrong types,
    missing keys).
    """
    name = display_path(path)
    if text is None and not path.is_file():
        raise CaseError(f"{name}: no such submission file")
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except UnicodeDecodeError:
        raise CaseError(f"{name}: not a UTF-8 text file (expected QPP submission JSON)") from None
    try:
        document = parse_yaml(text) if path.suffix.lower() in (".yaml", ".yml") else read_json(text)
    except (JsonSyntaxError, YamlSyntaxError) as exc:
        raise CaseError([Problem(name, exc.line, exc.column, "", exc.message)]) from None
    if not isinstance(document, LocatedDict):
        raise CaseError([Problem(name, 1, None, "", "a submission must be a JSON object with entityType, "
                                 "performanceYear and measurementSets")])
    try:
        submission = Submission.model_validate(document)
    except ValidationError as exc:
        raise CaseError(located_problems(exc, Submission, document, name)) from None
    return submission, document, name
