"""Read one strict YAML data file into a pydantic model, collecting located problems."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.text_source import SourceError, read_text
from engine.rulebook.yaml_source import LocatedDict, parse_yaml

M = TypeVar("M", bound=BaseModel)


def read_model(path: Path, model: type[M]) -> tuple[Any, M | None, list[Problem]]:
    """The parsed document, the validated model (None on problems) and every problem found."""
    name = display_path(path)
    if not path.is_file():
        return None, None, [Problem(name, None, None, "", "missing file")]
    try:
        data = parse_yaml(read_text(path))
    except SourceError as exc:
        return None, None, [Problem(name, exc.line, exc.column, "", exc.message)]
    if not isinstance(data, LocatedDict):
        return data, None, [Problem(name, 1, None, "", "the file must hold a YAML mapping")]
    try:
        return data, model.model_validate(data), []
    except ValidationError as exc:
        return data, None, [_plain(p) for p in problems_from(exc, model, data, name)]


def _plain(problem: Problem) -> Problem:
    """Drop pydantic's 'value error, ' prefix: our validators' messages say what to do."""
    prefix = "value error, "
    if problem.message.startswith(prefix):
        return replace(problem, message=problem.message[len(prefix):])
    return problem
