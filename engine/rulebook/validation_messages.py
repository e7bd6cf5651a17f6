"""Turn pydantic validation errors into located, actionable problems."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.rulebook.yaml_source import locate, locate_key


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of `loc`, if one can be found."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (dict, list):
            current = get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated wrappers to reach a model, dict or list type."""
    for _ in range(5):
        args = [a for a in get_args(annotation) if a is not type(None)]
        origin = get_origin(annotation)
        if origin in (dict, list) or not args:
            return annotation
        annotation = args[0]
    return annotation


def dotted(loc: tuple[str | int, ...]) -> str:
    """A JSON-style path: categories.quality.score, rows[3].then."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems_from(error: ValidationError, model: type[BaseModel], document: Any,
                  file: str) -> list[Problem]:
    """One problem per pydantic error, with the file position of the offending key or value."""
    problems = []
    for item in error.errors():
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and ("[" in p or p in {
            "function-after", "function-before", "list", "str", "bool", "decimal"})))
        kind = item["type"]
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            allowed = ", ".join(owner.model_fields) if owner else ""
            message = f"unknown key '{loc[-1]}'" + (f"; allowed keys here: {allowed}" if allowed else "")
            where = locate_key(document, loc)
        elif kind == "missing":
            message = f"missing required key '{loc[-1]}'"
            where = locate(document, loc[:-1])
            loc_text = dotted(loc[:-1])
            problems.append(Problem(file, where.line if where else None,
                                    where.column if where else None, loc_text, message))
            continue
        elif kind == "value_error":
            message = item["msg"].removeprefix("Value error, ")
            where = locate(document, loc)
        else:
            given = item.get("input")
            shown = given if isinstance(given, (str, int, float, bool)) or given is None else type(given).__name__
            message = f"{item['msg'][0].lower()}{item['msg'][1:]} (got {shown!r})"
            where = locate(document, loc)
        problems.append(Problem(file, where.line if where else None,
                                where.column if where else None, dotted(loc), message))
    return problems
