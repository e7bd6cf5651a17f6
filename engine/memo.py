"""Values derived once from long-lived objects that cannot carry them (pydantic models, for one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
LIMIT = 256
"""Most values kept; beyond, all are dropped and derived again on use."""

_values: dict[tuple[int, str], tuple[Any, Any]] = {}


def derived(owner: object, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, once per `owner` object and `key` (the owner is kept alive with its value)."""
    entry = _values.get((id(owner), key))
    if entry is None or entry[0] is not owner:
        if len(_values) >= LIMIT:
            _values.clear()
        entry = _values[(id(owner), key)] = (owner, compute())
    return entry[1]
