"""Types of expressions, checked when a rulebook loads: what would surely fail when a case is scored.

Every name has a type: facts by what the case gives, parameters by their value, rule outputs by their
expressions. A value may be missing (null) almost anywhere, and the language has functions that test
for it, so null never makes an expression wrong here; what is refused is an operation that fails
whatever the case, such as a number compared with a list or `each.items` that is not a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.expr.nodes import (Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node,
                               Record, Unary)
from engine.expr.parser import parse
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules
from engine.rulebook.documents import FolderReader

KINDS = ("number", "boolean", "string", "list", "record", "null")


@dataclass(frozen=True)
class Type:
    """The kinds a value may have; for a list, the type of its items."""

    kinds: frozenset[str]
    item: Type | None = None

    def __or__(self, other: Type) -> Type:
        if "list" not in self.kinds or "list" not in other.kinds:
            item = self.item if "list" in self.kinds else other.item
        elif self.item is None or other.item is None:
            item = None  # a list of anything stays one
        else:
            item = self.item | other.item
        return Type(self.kinds | other.kinds, item)

    @property
    def definite(self) -> frozenset[str]:
        """The kinds the value has when it is not missing."""
        return self.kinds - {"null"}

    def shown(self) -> str:
        kinds = sorted(self.definite, key=KINDS.index)
        return " or ".join(f"a {k}" if k != "list" else "a list" for k in kinds) or "always missing"


def of(*kinds: str, item: Type | None = None) -> Type:
    return Type(frozenset(kinds), item)


ANY = of(*KINDS)
NUMBER, BOOLEAN, STRING, NULL = of("number"), of("boolean"), of("string"), of("null")


def of_value(value: Any) -> Type:
    """The type of a parameter value or literal."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, (Decimal, int)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, Record):
        return of("record")
    if isinstance(value, (tuple, list)):
        item = NULL
        for element in value:
            item = item | of_value(element) if item != NULL else of_value(element)
        return of("list", item=item if value else None)
    return ANY


Lookup = Callable[[str], Type]


def _need(t: Type, kinds: tuple[str, ...], what: str, node: Node, problems: list[str]) -> bool:
    """Report `what` when `t` (the type of `node`) can be none of `kinds`; a missing value is left to
    evaluation. Whether the type fits."""
    if t.definite and not t.definite & set(kinds):
        wanted = " or ".join(f"a {k}" for k in kinds)
        problems.append(f"{what} needs {wanted}, and {_quoted(node)} is {t.shown()}")
        return False
    return True


_NUMERIC_RESULT = {"abs", "clamp", "count", "decile", "len", "max", "min", "round", "sum"}
_SHOWN = 60
"""Longest expression text quoted in a message."""


def _quoted(node: Node) -> str:
    text = show(node)
    return f"`{text if len(text) <= _SHOWN else text[:_SHOWN - 3] + '...'}`"


def show(node: Node) -> str:
    """An expression written back as text (spacing normalised)."""
    if isinstance(node, Literal):
        value = node.value
        return ("null" if value is None else str(value).lower() if isinstance(value, bool)
                else f'"{value}"' if isinstance(value, str) else str(value))
    if isinstance(node, Name):
        return node.name
    if isinstance(node, ListExpr):
        return "[" + ", ".join(show(item) for item in node.items) + "]"
    if isinstance(node, Unary):
        return f"{node.op} {show(node.operand)}" if node.op == "not" else f"-{show(node.operand)}"
    if isinstance(node, BoolOp):
        return f" {node.op} ".join(_grouped(operand) for operand in node.operands)
    if isinstance(node, (Arith, Compare)):
        parts = [_grouped(node.operands[0])]
        for op, operand in zip(node.ops, node.operands[1:]):
            parts += [op, _grouped(operand)]
        return " ".join(parts)
    if isinstance(node, Conditional):
        return f"{_grouped(node.body)} if {_grouped(node.test)} else {show(node.orelse)}"
    if isinstance(node, Call):
        return f"{node.name}(" + ", ".join(show(arg) for arg in node.args) + ")"
    return "?"


def _grouped(node: Node) -> str:
    simple = isinstance(node, (Literal, Name, ListExpr, Call, Unary))
    return show(node) if simple else f"({show(node)})"


def infer(node: Node, names: Lookup, problems: list[str]) -> Type:
    """The type of an expression; what would surely fail is added to `problems`."""
    if isinstance(node, Literal):
        return of_value(node.value)
    if isinstance(node, Name):
        return names(node.name)
    if isinstance(node, ListExpr):
        item = None
        for element in node.items:
            t = infer(element, names, problems)
            item = t if item is None else item | t
        return of("list", item=item)
    if isinstance(node, Unary):
        t = infer(node.operand, names, problems)
        _need(t, ("boolean",) if node.op == "not" else ("number",), f"'{node.op}'", node.operand, problems)
        return BOOLEAN if node.op == "not" else NUMBER
    if isinstance(node, BoolOp):
        for operand in node.operands:
            _need(infer(operand, names, problems), ("boolean",), f"'{node.op}'", operand, problems)
        return BOOLEAN
    if isinstance(node, Arith):
        for op, operand in zip((node.ops[0],) + node.ops, node.operands):
            _need(infer(operand, names, problems), ("number",), f"'{op}'", operand, problems)
        return NUMBER
    if isinstance(node, Compare):
        return _compare(node, names, problems)
    if isinstance(node, Conditional):
        _need(infer(node.test, names, problems), ("boolean",), "the condition of 'if'", node.test, problems)
        return infer(node.body, names, problems) | infer(node.orelse, names, problems)
    if isinstance(node, Call):
        return _call(node, names, problems)
    return ANY


def _compare(node: Compare, names: Lookup, problems: list[str]) -> Type:
    types = [infer(operand, names, problems) for operand in node.operands]
    for op, (left, right), (left_node, right_node) in zip(
            node.ops, zip(types, types[1:]), zip(node.operands, node.operands[1:])):
        pair = f"{_quoted(left_node)} ({left.shown()}) with {_quoted(right_node)} ({right.shown()})"
        if op in ("in", "not in"):
            if _need(right, ("list",), f"the right side of '{op}'", right_node, problems) and \
                    right.item is not None and left.definite and right.item.definite and \
                    not left.definite & right.item.definite:
                problems.append(f"'{op}' looks for {_quoted(left_node)} ({left.shown()}) in a list of "
                                f"{_plural(right.item)}; it is never found")
        elif left.definite and right.definite and not left.definite & right.definite:
            problems.append(f"'{op}' compares {pair}" + ("" if op in ("<", "<=", ">", ">=")
                                                         else "; they are never equal"))
        elif op in ("<", "<=", ">", ">="):
            for side, t in ((left_node, left), (right_node, right)):
                _need(t, ("number", "string"), f"'{op}'", side, problems)
    return BOOLEAN


def _plural(t: Type) -> str:
    return " or ".join(f"{k}s" for k in sorted(t.definite, key=KINDS.index))


_SIGNATURES: dict[str, tuple[tuple[str, ...], ...]] = {
    "abs": (("number",),),
    "clamp": (("number",), ("number",), ("number",)),
    "round": (("number",), ("number",), ("string",)),
    "len": (("list",),),
    "sum": (("list",),),
    "count": (("list",),),
    "any": (("list",),),
    "all": (("list",),),
    "pluck": (("list",), ("string",)),
    "find": (("list",), ("string",)),
    "pick": (("record",), ("list",)),
    "get": (("record",), ("string",)),
    "decile": (("number",), ("list",), ("boolean",)),
    "decile_points": (("number",), ("list",), ("boolean",)),
}
"""Kinds each argument of a function takes (by position); functions not listed are not checked."""


def _call(node: Call, names: Lookup, problems: list[str]) -> Type:
    args = [infer(arg, names, problems) for arg in node.args]
    name = node.name
    for index, (t, kinds) in enumerate(zip(args, _SIGNATURES.get(name, ()))):
        _need(t, kinds, f"argument {index + 1} of '{name}()'", node.args[index], problems)
    if name in ("min", "max"):
        for index, t in enumerate(args):
            _need(t, ("number", "list") if len(args) == 1 else ("number",),
                  f"argument {index + 1} of '{name}()'", node.args[index], problems)
    if name == "chain":
        for index, t in enumerate(args):
            _need(t, ("list",), f"argument {index + 1} of 'chain()'", node.args[index], problems)
        items = [t.item for t in args if t.item is not None]
        item = items[0] if items else None
        for other in items[1:]:
            item = item | other if item is not None else other
        return of("list", "null", item=item)
    if name in _NUMERIC_RESULT:
        return NUMBER
    if name in ("present", "missing", "any", "all"):
        return BOOLEAN
    if name == "decile_points":
        return of("number", "null")
    if name == "concat":
        for index, t in enumerate(args):
            _need(t, ("number", "boolean", "string"), f"argument {index + 1} of 'concat()'", node.args[index],
                  problems)
        return STRING
    if name == "coalesce":
        result = args[0]
        for t in args[1:]:
            result = result | t
        return result
    if name in ("pluck", "pick"):
        return of("list")
    if name == "find":
        return of("record", "null")
    return ANY


@dataclass
class Finding:
    """A rule whose expression would fail: where in the rule (its key) and why."""

    rule: Rule
    key: str
    message: str


class Checker:
    """Infers every rule's output type (each rule once) and collects what would surely fail."""

    def __init__(self, rulebook: Rulebook, facts: dict[str, Type]):
        self.rulebook = rulebook
        self.facts = facts
        self.types: dict[str, Type] = {}
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        for rule in self.rulebook.rules.values():
            self.output(rule, None)
        for scope in self.rulebook.scopes.values():
            for rule in scope.rules.values():
                self.output(rule, scope)
        return self.findings

    def names(self, scope: ScopeRules | None) -> Lookup:
        def lookup(name: str) -> Type:
            if scope is not None and name.startswith(scope.prefix):
                rule = scope.rules.get(name)
                return self.output(rule, scope) if rule else ANY
            if name.startswith("facts."):
                return self.facts.get(name, ANY)
            if name.startswith("params."):
                parameter = self.rulebook.parameters.get(name)
                return of_value(parameter.value) if parameter else ANY
            owner = self.rulebook.outputs.get(name)
            if owner is None:
                return ANY
            rule, column = owner
            return NUMBER if column is not None else self.output(rule, None)
        return lookup

    def output(self, rule: Rule, scope: ScopeRules | None) -> Type:
        key = f"{scope.name}:{rule.id}" if scope else rule.id
        if key in self.types:
            return self.types[key]
        self.types[key] = ANY  # while being inferred (the graph has no cycles once references pass)
        names = self.names(scope)
        result = ANY
        if rule.expression is not None:
            result, node = self.check(rule, "value", rule.expression.source, names)
            if rule.rounding is not None:
                self.need(rule, "round", result, ("number",), "'round'", node)
                result = of("number", "null") if "null" in result.kinds else NUMBER
        elif rule.lookup is not None:
            for input_name, expression in rule.lookup.inputs.items():
                key_path = f"lookup.inputs.{input_name}"
                t, node = self.check(rule, key_path, expression.source, names)
                kind = "boolean" if rule.lookup.table.inputs[input_name].type == "boolean" else "string"
                self.need(rule, key_path, t, (kind,), f"table input '{input_name}'", node)
            result = of("record")
        elif rule.each is not None:
            items, node = self.check(rule, "each.items", rule.each.items.source, names)
            if self.need(rule, "each.items", items, ("list",), "'each.items'", node) and items.item is not None \
                    and items.item.definite and "record" not in items.item.definite:
                self.findings.append(Finding(rule, "each.items", f"'each.items' needs a list of records, and "
                                             f"{_quoted(node)} is a list of {_plural(items.item)}"))
            result = of("list", "null", item=of("record"))
        elif rule.select is not None:
            self.need(rule, "select.from", names(rule.select.source), ("list",), "'select.from'",
                      Name(1, 1, rule.select.source))
            if rule.select.limit is not None:
                limit, node = self.check(rule, "select.limit", rule.select.limit.source, names)
                self.need(rule, "select.limit", limit, ("number",), "'select.limit'", node)
            result = of("list", item=of("record"))
        self.types[key] = result
        return result

    def need(self, rule: Rule, key: str, t: Type, kinds: tuple[str, ...], what: str, node: Node) -> bool:
        problems: list[str] = []
        fits = _need(t, kinds, what, node, problems)
        self.findings += [Finding(rule, key, m) for m in problems]
        return fits

    def check(self, rule: Rule, key: str, source: str, names: Lookup) -> tuple[Type, Node]:
        problems: list[str] = []
        node = parse(source).node
        result = infer(node, names, problems)
        self.findings += [Finding(rule, key, m) for m in dict.fromkeys(problems)]
        return result, node


def check_types(loader: FolderReader, rulebook: Rulebook, facts: dict[str, Type]) -> None:
    """Report, at each rule, the operations of its expressions that fail for every case."""
    for finding in Checker(rulebook, facts).run():
        rule = finding.rule
        loader.problem(rule.origin.file, rule.origin.line, f"{rule.id}.{finding.key}", finding.message)
