"""Strict YAML reading: duplicate keys rejected, numbers exact, every node located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode


class Located:
    """Line and column (1-based) of a YAML node."""

    __slots__ = ("line", "column", "style")

    def __init__(self, line: int, column: int, style: str | None = None):
        self.line = line
        self.column = column
        self.style = style


class LocatedDict(dict):
    """A mapping that remembers where it and each of its keys and values stand."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.where: Located | None = None
        self.key_where: dict[str, Located] = {}
        self.value_where: dict[str, Located] = {}


class LocatedList(list):
    """A sequence that remembers where it and each item stand."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.where: Located | None = None
        self.item_where: list[Located] = []


class YamlSyntaxError(Exception):
    """The text is not valid YAML, or has a duplicate key."""

    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _where(node: yaml.Node) -> Located:
    style = getattr(node, "style", None)
    return Located(node.start_mark.line + 1, node.start_mark.column + 1, style)


class _Strict:
    """Constructors that keep positions, reject duplicate keys and read numbers as Decimal."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LocatedDict:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        result = LocatedDict()
        result.where = _where(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise YamlSyntaxError(
                    f"key {key!r} must be a plain name", key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1)
            key = str(key)
            if key in result:
                first = result.key_where[key].line
                raise YamlSyntaxError(
                    f"duplicate key '{key}' (first defined on line {first}); remove one of them",
                    key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.construct_object(value_node, deep=True)  # type: ignore[attr-defined]
            result.key_where[key] = _where(key_node)
            result.value_where[key] = _where(value_node)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:
        result = LocatedList(self.construct_object(child, deep=True) for child in node.value)  # type: ignore[attr-defined]
        result.where = _where(node)
        result.item_where = [_where(child) for child in node.value]
        return result

    def construct_yaml_float(self, node: ScalarNode) -> Decimal:
        text = str(self.construct_scalar(node)).replace("_", "")  # type: ignore[attr-defined]
        try:
            return Decimal(text)
        except ArithmeticError:
            raise YamlSyntaxError(
                f"'{text}' is not a finite number", node.start_mark.line + 1,
                node.start_mark.column + 1) from None


def _strict(base: type) -> type:
    loader = type(f"Strict{base.__name__}", (_Strict, base), {})
    loader.add_constructor("tag:yaml.org,2002:map", _Strict.construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", _Strict.construct_sequence)
    loader.add_constructor("tag:yaml.org,2002:float", _Strict.construct_yaml_float)
    return loader


_PURE_LOADER = _strict(yaml.SafeLoader)
_FAST_LOADER = _strict(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None
"""libyaml's C parser when PyYAML was built with it; the pure-Python parser otherwise."""


def parse_yaml(text: str) -> Any:
    """Parse YAML text into LocatedDict / LocatedList / scalars; raise YamlSyntaxError.

    The C parser reads; a text it refuses is read again by the pure-Python parser, so that what is
    reported about invalid YAML (message, line, column) does not depend on libyaml being installed.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a SafeLoader subclass
        except YamlSyntaxError:
            raise
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(text, Loader=_PURE_LOADER)  # noqa: S506 - a SafeLoader subclass
    except YamlSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc.context}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None, None) from None


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file."""
    return parse_yaml(path.read_text(encoding="utf-8"))


def locate(document: Any, path: tuple[str | int, ...]) -> Located | None:
    """Position of the node at `path` inside a parsed document (nearest known ancestor).

    A document read without positions may stand for a located one it makes on demand (`located`).
    """
    document = getattr(document, "located", document)
    node = document
    found = getattr(document, "where", None)
    for part in path:
        if isinstance(node, LocatedDict) and isinstance(part, str) and part in node:
            found = node.value_where.get(part, found)
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and 0 <= part < len(node):
            found = node.item_where[part]
            node = node[part]
        else:
            break
    return found


def locate_key(document: Any, path: tuple[str | int, ...]) -> Located | None:
    """Position of the key naming the node at `path` (for 'unknown key' messages)."""
    document = getattr(document, "located", document)
    if not path:
        return getattr(document, "where", None)
    parent = document
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return locate(document, path)
    last = path[-1]
    if isinstance(parent, LocatedDict) and isinstance(last, str) and last in parent.key_where:
        return parent.key_where[last]
    return locate(document, path)
