"""Strict JSON reading with positions: exact numbers, duplicate keys rejected, every node located.

PyYAML (YAML 1.1) is not a JSON reader: it rejects tab-indented JSON, reads `1e3` as a string and
accepts non-JSON such as `yes` or trailing commas. Submissions are JSON, so they get a real JSON
parser that builds the same located containers as `engine.rulebook.yaml_source`, so that
`locate`, `locate_key` and `problems_from` work unchanged.

Python's C JSON parser reads first; the positions of an object it read are found by the located
parser only when a problem needs them, and a text the C parser refuses (or where a key repeats) is
read by the located parser, which reports where and why. A text whose keys are surely all distinct
(as many keys read as written), nested within bounds and without a number of more digits than the
bounds allow is read by the C parser without a call per object.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from decimal import Decimal
from functools import cached_property
from typing import Any

from engine.rulebook.text_source import MAX_DEPTH, MAX_EXPONENT, SourceError, number
from engine.rulebook.yaml_source import Located, LocatedDict, LocatedList

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_WHITESPACE = " \t\n\r"


class JsonSyntaxError(SourceError):
    """The text is not valid JSON, an object has a duplicate key, a number is out of bounds or the
    nesting too deep."""


class _Parser:
    """Recursive-descent JSON parser (RFC 8259) producing LocatedDict / LocatedList / scalars."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.depth = 0

    def where(self, pos: int) -> Located:
        line = bisect_right(self.line_starts, pos)
        return Located(line, pos - self.line_starts[line - 1] + 1)

    def fail(self, message: str, pos: int) -> JsonSyntaxError:
        at = self.where(pos)
        return JsonSyntaxError(f"invalid JSON: {message}", at.line, at.column)

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in _WHITESPACE:
            pos += 1
        return pos

    def expect(self, pos: int, char: str, what: str) -> int:
        if pos >= len(self.text) or self.text[pos] != char:
            found = repr(self.text[pos]) if pos < len(self.text) else "the end of the file"
            raise self.fail(f"expected {what}, found {found}", pos)
        return pos + 1

    def document(self) -> Any:
        pos = self.skip(0)
        if pos == len(self.text):
            raise JsonSyntaxError("the file is empty; expected a JSON object", 1, 1)
        value, pos = self.value(pos)
        pos = self.skip(pos)
        if pos != len(self.text):
            raise self.fail("unexpected text after the end of the JSON document", pos)
        return value

    def value(self, pos: int) -> tuple[Any, int]:
        char = self.text[pos] if pos < len(self.text) else ""
        if char in "{[":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                at = self.where(pos)
                raise JsonSyntaxError(f"objects and arrays are nested more than {MAX_DEPTH} levels deep; a QPP "
                                      "submission nests about five", at.line, at.column)
            found = self.object(pos) if char == "{" else self.array(pos)
            self.depth -= 1
            return found
        if char == '"':
            return self.string(pos)
        match = _NUMBER.match(self.text, pos)
        if match:
            try:
                return number(match.group(0), integer=not (match.group(1) or match.group(2))), match.end()
            except ValueError as exc:
                at = self.where(pos)
                raise JsonSyntaxError(str(exc), at.line, at.column) from None
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, pos):
                return literal, pos + len(word)
        found = repr(char) if char else "the end of the file"
        raise self.fail(f"expected a value (object, array, string, number, true, false or null), "
                        f"found {found}", pos)

    def string(self, pos: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated"):
                raise self.fail("unterminated string: the closing '\"' is missing", pos) from None
            raise self.fail(exc.msg.removesuffix(" at").lower() + " in a string", exc.pos) from None

    def object(self, pos: int) -> tuple[LocatedDict, int]:
        result = LocatedDict()
        result.where = self.where(pos)
        pos = self.skip(pos + 1)
        if pos < len(self.text) and self.text[pos] == "}":
            return result, pos + 1
        while True:
            if pos >= len(self.text) or self.text[pos] != '"':
                raise self.fail("expected a key in double quotes", pos)
            key_where = self.where(pos)
            key, pos = self.string(pos)
            if key in result:
                first = result.key_where[key].line
                raise JsonSyntaxError(f"duplicate key '{key}' (first defined on line {first}); "
                                      f"remove one of them", key_where.line, key_where.column)
            pos = self.expect(self.skip(pos), ":", "':' after the key")
            pos = self.skip(pos)
            result.value_where[key] = self.where(pos)
            result.key_where[key] = key_where
            result[key], pos = self.value(pos)
            pos = self.skip(pos)
            if pos < len(self.text) and self.text[pos] == "}":
                return result, pos + 1
            pos = self.skip(self.expect(pos, ",", "',' or '}' after an object member"))

    def array(self, pos: int) -> tuple[LocatedList, int]:
        result = LocatedList()
        result.where = self.where(pos)
        pos = self.skip(pos + 1)
        if pos < len(self.text) and self.text[pos] == "]":
            return result, pos + 1
        while True:
            result.item_where.append(self.where(pos))
            item, pos = self.value(pos)
            result.append(item)
            pos = self.skip(pos)
            if pos < len(self.text) and self.text[pos] == "]":
                return result, pos + 1
            pos = self.skip(self.expect(pos, ",", "',' or ']' after an array item"))


class JsonObject(LocatedDict):
    """A JSON document's top object as the C parser read it; `located` is the same object with every
    node located, parsed again from the text the first time a problem needs a position."""

    def __init__(self, data: dict[str, Any], text: str):
        super().__init__(data)
        self.text = text

    @cached_property
    def located(self) -> LocatedDict:
        return parse_json(self.text)


class _RepeatedKey(Exception):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _RepeatedKey
    return result


def _refuse(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _decimal(text: str) -> int | Decimal:
    return number(text, integer=False)


_INTEGER_BOUND = 10 ** MAX_EXPONENT
"""Integers read are below 10**MAX_EXPONENT in magnitude (`number` refuses the others)."""


def _needs_located(node: dict[str, Any] | list[Any], levels: int) -> bool:
    """Whether a container read by the C parser nests more than `levels` levels or holds an integer
    out of bounds: the located parser then reads the text again and says where and why."""
    if levels == 0:
        return True
    for child in node.values() if type(node) is dict else node:
        kind = type(child)
        if kind is dict or kind is list:
            if _needs_located(child, levels - 1):
                return True
        elif kind is int and not -_INTEGER_BOUND < child < _INTEGER_BOUND:
            return True
    return False


def parse_json(text: str) -> Any:
    """Parse JSON text: objects and arrays located, integers as int, other numbers as Decimal."""
    try:
        return _Parser(text.removeprefix("\ufeff")).document()
    except RecursionError:
        raise JsonSyntaxError("invalid JSON: nested too deeply", None, None) from None


def read_json(text: str) -> Any:
    """What parse_json gives, read by the C parser when the text is valid JSON: a top object is then
    a JsonObject, whose positions are found when a problem needs them."""
    data = _plain(text.removeprefix("\ufeff"))
    if data is not None:
        return JsonObject(data, text)
    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_unique, parse_float=_decimal,
                          parse_constant=_refuse)
    except (ValueError, RecursionError, _RepeatedKey):
        return parse_json(text)
    if type(data) is not dict or _needs_located(data, MAX_DEPTH):
        return parse_json(text)
    return JsonObject(data, text)


_DECODER = json.JSONDecoder(parse_float=_decimal, parse_constant=_refuse)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _plain(text: str) -> dict[str, Any] | None:
    """The top object of a JSON text read by the C parser alone, when it surely has no repeated key, no
    integer out of bounds and no nesting deeper than MAX_DEPTH; None when any of these may be."""
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError):
        return None
    if type(data) is not dict:
        return None
    keys = _keys_within_bounds(data, MAX_DEPTH)
    # a colon outside strings ends a key: as many as the objects read hold, no key was written twice
    if keys < 0 or keys != text.count(":") and keys != _STRING.sub("", text).count(":"):
        return None
    return data


def _keys_within_bounds(node: dict[str, Any] | list[Any], levels: int) -> int:
    """How many keys the objects in a container read by the C parser hold; -1 when it nests more than
    `levels` levels or holds an integer out of bounds."""
    if levels == 0:
        return -1
    if type(node) is dict:
        keys, children = len(node), node.values()
    else:
        keys, children = 0, node
    for child in children:
        kind = type(child)
        if kind is dict or kind is list:
            inner = _keys_within_bounds(child, levels - 1)
            if inner < 0:
                return -1
            keys += inner
        elif kind is int and not -_INTEGER_BOUND < child < _INTEGER_BOUND:
            return -1
    return keys
