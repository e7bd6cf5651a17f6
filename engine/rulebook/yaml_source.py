"""Strict YAML reading: duplicate keys rejected, numbers exact, every node located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import CollectionNode, MappingNode, ScalarNode

from engine.rulebook.text_source import MAX_DEPTH, MAX_DIGITS, SourceError, number, read_text


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


class YamlSyntaxError(SourceError):
    """The text is not valid YAML, has a duplicate key or a value that cannot be read."""


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

    def construct_document(self, node: yaml.Node) -> Any:
        _check_depth(node)
        return super().construct_document(node)  # type: ignore[misc]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A node's value; a scalar its tag cannot read (`!!bool maybe`, `2023-02-30`) is a located problem."""
        try:
            return super().construct_object(node, deep=deep)  # type: ignore[misc]
        except (ValueError, KeyError, TypeError, ArithmeticError, OverflowError):
            value = node.value if isinstance(node, ScalarNode) else ""
            kind = _TAG_NAMES.get(node.tag, node.tag)
            raise _at(node, f"'{value[:40]}' is not {kind}") from None

    def construct_yaml_float(self, node: ScalarNode) -> Decimal:
        try:
            return number(str(self.construct_scalar(node)), integer=False)  # type: ignore[return-value, attr-defined]
        except ValueError as exc:
            raise _at(node, str(exc)) from None

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = str(self.construct_scalar(node))  # type: ignore[attr-defined]
        try:
            if len(text) > 2 * MAX_DIGITS:
                raise ValueError(f"a number written with {len(text)} characters is not read; numbers have at most "
                                 f"{MAX_DIGITS} digits")
            value = SafeConstructor.construct_yaml_int(self, node)  # type: ignore[arg-type]
        except ValueError as exc:
            raise _at(node, str(exc) if str(exc).startswith("a number") else f"'{text}' is not a whole number") from None
        try:
            return int(number(str(value), integer=True))
        except ValueError as exc:
            raise _at(node, str(exc)) from None


def _at(node: yaml.Node, message: str) -> YamlSyntaxError:
    return YamlSyntaxError(message, node.start_mark.line + 1, node.start_mark.column + 1)


_TAG_NAMES = {"tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number",
              "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:timestamp": "a valid date",
              "tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:binary": "base64 data"}


def _check_depth(root: yaml.Node) -> None:
    """Refuse mappings and lists nested deeper than MAX_DEPTH, at the first node too deep."""
    pending = [(root, 1)]
    deepest: dict[int, int] = {}  # a node an alias repeats is walked again only when reached deeper
    while pending:
        node, depth = pending.pop()
        if not isinstance(node, CollectionNode) or deepest.get(id(node), 0) >= depth:
            continue
        deepest[id(node)] = depth
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(_too_deep(), node.start_mark.line + 1, node.start_mark.column + 1)
        children = [v for pair in node.value for v in pair] if isinstance(node, MappingNode) else node.value
        pending.extend((child, depth + 1) for child in children)


def _too_deep() -> str:
    return f"mappings and lists are nested more than {MAX_DEPTH} levels deep; no engine file nests that deep"


def _deep_mark(text: str) -> tuple[int | None, int | None]:
    """Where the nesting of `text` first goes deeper than MAX_DEPTH (read event by event, without recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None, None


def _strict(base: type) -> type:
    loader = type(f"Strict{base.__name__}", (_Strict, base), {})
    loader.add_constructor("tag:yaml.org,2002:map", _Strict.construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", _Strict.construct_sequence)
    loader.add_constructor("tag:yaml.org,2002:float", _Strict.construct_yaml_float)
    loader.add_constructor("tag:yaml.org,2002:int", _Strict.construct_yaml_int)
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
        except yaml.MarkedYAMLError as exc:
            if exc.problem == "exceeded maximum nesting depth" and exc.problem_mark:
                raise YamlSyntaxError(_too_deep(), *_deep_mark(text)) from None
        except yaml.YAMLError:
            pass
    try:
        return yaml.load(text, Loader=_PURE_LOADER)  # noqa: S506 - a SafeLoader subclass
    except YamlSyntaxError:
        raise
    except RecursionError:
        raise YamlSyntaxError(_too_deep(), *_deep_mark(text)) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None, None) from None


def _syntax_error(exc: yaml.MarkedYAMLError) -> YamlSyntaxError:
    """PyYAML's error in the engine's words, placed where the construct at fault starts when the parser
    only found out later (an unclosed quote is reported on its opening line, not at the end of the file)."""
    starts = exc.context_mark is not None and (exc.context or "").startswith("while scanning")
    mark = exc.context_mark if starts else exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    message = f"invalid YAML: {exc.problem or exc.context}"
    if starts and exc.problem_mark is not None:
        message += f" {exc.context} (started here, found at line {exc.problem_mark.line + 1})"
    return YamlSyntaxError(message, line, column)


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path))


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
