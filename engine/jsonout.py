"""Deterministic JSON with exact decimals: numbers are written as their decimal text."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps(value: Any, indent: int = 2) -> str:
    """Serialise dicts, lists, strings, Decimals, bools and None; key order is kept as given."""
    return "".join(_write(value, indent, 0)) + "\n"


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return "0" if text in ("-0", "0") else text


def _write(value: Any, indent: int, level: int):
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, bool) or value is None or isinstance(value, str):
        yield json.dumps(value, ensure_ascii=False)
    elif isinstance(value, Decimal):
        yield _number(value)
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, dict):
        if not value:
            yield "{}"
            return
        yield "{\n"
        for i, (key, item) in enumerate(value.items()):
            yield f"{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            yield from _write(item, indent, level + 1)
            yield ",\n" if i < len(value) - 1 else "\n"
        yield pad + "}"
    elif isinstance(value, (list, tuple)):
        if not value:
            yield "[]"
            return
        yield "[\n"
        for i, item in enumerate(value):
            yield inner
            yield from _write(item, indent, level + 1)
            yield ",\n" if i < len(value) - 1 else "\n"
        yield pad + "]"
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")
