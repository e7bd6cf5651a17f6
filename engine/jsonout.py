"""Deterministic JSON with exact decimals: numbers are written as their decimal text.

Indented by default (one member per line, for people); `indent=None` writes compact JSON without spaces. The writer visits each
value once, so its cost grows with the output, not with the depth of the nesting. A tuple or record
(the engine's immutable values) met again in the same output is copied from where it was first written.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import Any

_Append = Callable[[str], None]


def dumps(value: Any, indent: int | None = 2) -> str:
    """Serialise dicts, lists, tuples, records, strings, Decimals, ints, bools and None; key order is kept."""
    out: list[str] = []
    _writer(out, indent)(value, 0)
    return "".join(out) + "\n"


def compact_writer(out: list[str]) -> Callable[[Any], None]:
    """A function appending the compact JSON of a value to `out` (for writers of larger documents)."""
    write = _writer(out, None)
    return lambda value: write(value, 0)


def text(value: str) -> str:
    """A string as JSON text."""
    return encode_basestring(value)


def number(value: Decimal) -> str:
    """A decimal as JSON number text (its exact digits, never an exponent)."""
    text = str(value)  # as format(value, "f") unless written with an exponent, and faster
    if "E" in text:
        text = format(value, "f")
    return "0" if text in ("-0", "0") else text


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _writer(out: list[str], indent: int | None) -> Callable[[Any, int], None]:
    """A function writing one value at a nesting level into `out`."""
    append = out.append
    keys: dict[Any, str] = {}
    seen: dict[tuple[int, int], tuple[int, int] | str] = {}
    colon = ":" if indent is None else ": "

    def opening(level: int) -> tuple[str, str, str]:
        """Text after the opening bracket, between members, and before the closing bracket."""
        if indent is None:
            return "", ",", ""
        inner = "\n" + " " * (indent * (level + 1))
        return inner, "," + inner, "\n" + " " * (indent * level)

    def mapping(value: Any, level: int) -> None:
        if not value:
            append("{}")
            return
        first, between, last = opening(level)
        append("{" + first)
        separator = ""
        for key, item in value.items():
            name = keys.get(key)
            if name is None:
                name = keys[key] = encode_basestring(str(key)) + colon
            kind = type(item)
            if kind is str:
                append(f"{separator}{name}{encode_basestring(item)}")
            elif kind is Decimal:
                digits = str(item)  # number(item) unless "-0" or written with an exponent
                append(f"{separator}{name}{number(item) if 'E' in digits or digits == '-0' else digits}")
            elif item is None or kind is bool:
                append(f"{separator}{name}{'null' if item is None else 'true' if item else 'false'}")
            else:
                append(separator + name)
                write(item, level + 1)
            separator = between
        append(last + "}")

    def sequence(value: Any, level: int) -> None:
        if not value:
            append("[]")
            return
        first, between, last = opening(level)
        append("[" + first)
        separator = ""
        for item in value:
            if separator:
                append(separator)
            separator = between
            write(item, level + 1)
        append(last + "]")

    def immutable(value: Any, level: int, body: Callable[[Any, int], None]) -> None:
        """A tuple or record: written once, copied when met again (at the same level, when indented)."""
        key = (id(value), level if indent is not None else 0)
        done = seen.get(key)
        if done is None:
            start = len(out)
            body(value, level)
            seen[key] = (start, len(out))
        else:
            if not isinstance(done, str):
                done = seen[key] = "".join(out[done[0]:done[1]])
            append(done)

    def write(value: Any, level: int) -> None:
        kind = type(value)
        if kind is str:
            append(encode_basestring(value))
        elif kind is Decimal:
            append(number(value))
        elif value is None or kind is bool:
            append("null" if value is None else "true" if value else "false")
        elif kind is dict or kind is list:
            (mapping if kind is dict else sequence)(value, level)
        elif kind is tuple:
            immutable(value, level, sequence)
        elif kind is MappingProxyType:
            immutable(value, level, mapping)
        elif isinstance(value, dict):
            mapping(value, level)
        elif isinstance(value, list):
            sequence(value, level)
        else:
            append(_scalar(value))

    return write
