"""Pydantic errors of a submission as located problems (`problems_from`, showing decimal inputs as written)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.rulebook.validation_messages import problems_from


def located_problems(error: ValidationError, model: type[BaseModel], document: Any, name: str) -> list[Problem]:
    """One located problem per error; a JSON number such as 5.0 is shown as 5.0, not as its Python type."""
    problems = problems_from(error, model, document, name)
    for index, item in enumerate(error.errors()):
        given = item.get("input")
        if type(given) is Decimal:
            problems[index] = replace(problems[index], message=problems[index].message.replace(
                "(got 'Decimal')", f"(got {given})"))
    return problems
