"""Compiles the syntax tree once into nested Python closures and evaluates them.

Each node becomes a small closure that calls its children's closures; names are resolved only
through the caller's lookup function. This module generates no Python source: the evaluation of a
rulebook runs its rules as Python functions generated from the same syntax tree with the same
semantics (engine/expr/codegen.py, engine/steps.py), and uses these closures only for a subtree
nested too deeply for generated statements; other stages (columnar checks) use them directly.
"""

from __future__ import annotations

import operator
from decimal import Decimal, DecimalException, localcontext
from typing import Any, Callable

from .errors import ExpressionEvalError
from .functions import CONTEXT, FUNCTIONS, kind_of, missing_error, require
from .nodes import (Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Record,
                    Unary, Value)
from .parser import parse

Lookup = Callable[[str], Any]
_Run = Callable[[Lookup], Value]
_Comparison = Callable[[Value, Value, str | None, str | None], bool]


class Expression:
    """A compiled expression: parse once with compile_expression, evaluate many times.

    `evaluate(lookup)` sets the decimal context and reports arithmetic errors; `run(lookup)` is the
    compiled expression itself, for a caller that has set CONTEXT once for many evaluations (a
    trapped decimal signal then propagates as its DecimalException).
    """

    __slots__ = ("source", "names", "functions", "node", "run")

    def __init__(self, source: str, names: tuple[str, ...], functions: tuple[str, ...], node: Node,
                 compiled: bool = True):
        self.source = source
        self.names = names
        self.functions = functions
        self.node = node
        if compiled:
            self.run = compile_node(node)

    def __getattr__(self, name: str) -> Any:
        """`run` of an expression read back from a cache: its closures are compiled at its first use (a
        start reads a whole rulebook and runs a small part of it)."""
        if name != "run":
            raise AttributeError(name)
        run = self.run = compile_node(self.node)
        return run

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its syntax tree; the closures are compiled when it is first run after being read back."""
        return Expression, (self.source, self.names, self.functions, self.node, False)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def evaluate(self, lookup: Lookup) -> Value:
        """Evaluate; lookup(dotted_name) is called once per name reference actually reached."""
        with localcontext(CONTEXT):
            try:
                return self.run(lookup)
            except DecimalException as exc:
                raise ExpressionEvalError(f"arithmetic error ({type(exc).__name__})") from None


def compile_expression(source: str) -> Expression:
    """Parse and compile source; raise ExpressionSyntaxError if it is not a valid expression."""
    if not isinstance(source, str):
        raise TypeError(f"expression source must be a string, got {type(source).__name__}")
    result = parse(source)
    return Expression(source, result.names, result.functions, result.node)


def compile_node(node: Node) -> _Run:
    """The closure evaluating a node (and its subtree) with a lookup of names."""
    return _COMPILERS[type(node)](node)


def _operand(node: Node) -> tuple[_Run, str | None]:
    """The compiled node and, for a plain name, its reference (used in missing-value errors)."""
    return compile_node(node), node.name if isinstance(node, Name) else None


NORMAL_TYPES = frozenset((Decimal, bool, str, Record, type(None)))
"""The types of the items of a list the language reads unchanged."""


def _to_value(value: Any, name: str) -> Value:
    """Check and normalise a value returned by lookup: int -> Decimal, list -> tuple."""
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is Record:
        return value
    if kind is tuple and NORMAL_TYPES.issuperset(map(type, value)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ExpressionEvalError(f"{name} is not a finite number ({value})")
    if isinstance(value, (tuple, list)):
        return tuple(_to_value(item, name) for item in value)
    if isinstance(value, Record):
        return value
    raise ExpressionEvalError(f"{name} has unsupported type {type(value).__name__} "
                              "(expected Decimal, int, bool, str, None, a list or a record)")


_SCALARS = frozenset((Decimal, bool, str, type(None)))


def _equal(left: Value, right: Value) -> bool:
    """Equality without cross-type surprises: a boolean never equals a number."""
    kind = type(left)
    if kind is type(right) and kind is not tuple and kind is not Record:
        return left == right
    if kind in _SCALARS and type(right) in _SCALARS:  # of two kinds (missing, boolean, number, text)
        return False
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, Record) and isinstance(right, Record):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    return kind_of(left) == kind_of(right) and left == right


def _ordering(op: str, compare: Callable[[Any, Any], bool]) -> _Comparison:
    def check(left: Value, right: Value, left_ref: str | None, right_ref: str | None) -> bool:
        kind = type(left)
        if kind is type(right) and (kind is Decimal or kind is str):
            return compare(left, right)
        for value, ref in ((left, left_ref), (right, right_ref)):
            if value is None:
                raise missing_error(f"'{op}'", ref)
        if kind_of(left) != kind_of(right) or not isinstance(left, (Decimal, str)):
            raise ExpressionEvalError(f"cannot compare {kind_of(left)} with {kind_of(right)} using '{op}'")
        return compare(left, right)
    return check


def _membership(op: str) -> _Comparison:
    wanted = op == "in"

    def check(left: Value, right: Value, left_ref: str | None, right_ref: str | None) -> bool:
        items = right if type(right) is tuple else require(right, tuple, f"'{op}'", right_ref)
        if type(left) is str:  # a text equals only the same text: Python's `in` says the same
            return (left in items) == wanted
        return any(_equal(left, item) for item in items) == wanted
    return check


def divide(left: Decimal, right: Decimal) -> Decimal:
    if not right:
        raise ExpressionEvalError("division by zero")
    return left / right


COMPARISONS: dict[str, _Comparison] = {
    "==": lambda left, right, *refs: _equal(left, right),
    "!=": lambda left, right, *refs: not _equal(left, right),
    "<": _ordering("<", operator.lt),
    "<=": _ordering("<=", operator.le),
    ">": _ordering(">", operator.gt),
    ">=": _ordering(">=", operator.ge),
    "in": _membership("in"),
    "not in": _membership("not in"),
}
_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": divide}


def _compile_literal(node: Literal) -> _Run:
    value = node.value
    return lambda lookup: value


def normal_value(value: Any, name: str) -> Value:
    """A value read by `name` as the language holds it (see _to_value), or the error of a value it cannot use."""
    kind = type(value)
    if kind is Decimal and value.is_finite() or kind is bool or kind is str or value is None:
        return value
    return _to_value(value, name)


def _compile_name(node: Name) -> _Run:
    name = node.name
    return lambda lookup: normal_value(lookup(name), name)


def _compile_list(node: ListExpr) -> _Run:
    items = [compile_node(item) for item in node.items]
    return lambda lookup: tuple(item(lookup) for item in items)


def _compile_unary(node: Unary) -> _Run:
    operand, ref = _operand(node.operand)
    what = f"'{node.op}'"
    if node.op == "not":
        def negation(lookup: Lookup) -> Value:
            value = operand(lookup)
            return not (value if type(value) is bool else require(value, bool, what, ref))
        return negation

    def minus(lookup: Lookup) -> Value:
        value = operand(lookup)
        return -(value if type(value) is Decimal else require(value, Decimal, what, ref))
    return minus


def _compile_bool(node: BoolOp) -> _Run:
    operands = [_operand(operand) for operand in node.operands]
    what, stop = f"'{node.op}'", node.op == "or"

    def run(lookup: Lookup) -> Value:
        for operand, ref in operands:
            value = operand(lookup)
            if value is stop:
                return stop
            if value is not (not stop):
                require(value, bool, what, ref)
        return not stop
    return run


def _compile_arith(node: Arith) -> _Run:
    first, first_ref = _operand(node.operands[0])
    first_what = f"'{node.ops[0]}'"
    rest = [(_ARITHMETIC[op], f"'{op}'", *_operand(operand)) for op, operand in zip(node.ops, node.operands[1:])]

    def run(lookup: Lookup) -> Value:
        result = first(lookup)
        if type(result) is not Decimal:
            result = require(result, Decimal, first_what, first_ref)
        for apply, what, operand, ref in rest:
            value = operand(lookup)
            result = apply(result, value if type(value) is Decimal else require(value, Decimal, what, ref))
        return result
    return run


def _compile_compare(node: Compare) -> _Run:
    (first, first_ref), *rest = [_operand(operand) for operand in node.operands]
    if len(node.ops) == 1:
        return _compile_comparison(COMPARISONS[node.ops[0]], first, first_ref, node.operands[1], *rest[0])
    steps = [(COMPARISONS[op], operand, ref) for op, (operand, ref) in zip(node.ops, rest)]

    def run(lookup: Lookup) -> Value:
        left, left_ref = first(lookup), first_ref
        for compare, operand, right_ref in steps:
            right = operand(lookup)
            if not compare(left, right, left_ref, right_ref):
                return False
            left, left_ref = right, right_ref
        return True
    return run


def _compile_comparison(compare: _Comparison, first: _Run, first_ref: str | None, right: Node, second: _Run,
                        second_ref: str | None) -> _Run:
    """One comparison `a OP b`; a literal right-hand side is read once, here."""
    if isinstance(right, Literal):
        constant = right.value
        return lambda lookup: compare(first(lookup), constant, first_ref, None)
    return lambda lookup: compare(first(lookup), second(lookup), first_ref, second_ref)


def _compile_conditional(node: Conditional) -> _Run:
    body, orelse = compile_node(node.body), compile_node(node.orelse)
    test, ref = _operand(node.test)
    body_constant, orelse_constant = isinstance(node.body, Literal), isinstance(node.orelse, Literal)
    body_value = node.body.value if isinstance(node.body, Literal) else None
    orelse_value = node.orelse.value if isinstance(node.orelse, Literal) else None

    def run(lookup: Lookup) -> Value:
        value = test(lookup)
        if value is not True and value is not False:
            require(value, bool, "'if'", ref)
        if value:
            return body_value if body_constant else body(lookup)
        return orelse_value if orelse_constant else orelse(lookup)
    return run


def _compile_call(node: Call) -> _Run:
    function = FUNCTIONS[node.name]
    impl, args = function.impl, [_operand(arg) for arg in node.args]
    if function.accepts_missing:
        return lambda lookup: impl(arg(lookup) for arg, _ in args)
    what = f"'{node.name}()'"

    def run(lookup: Lookup) -> Value:
        values = []
        for arg, ref in args:
            value = arg(lookup)
            if value is None:
                raise missing_error(what, ref)
            values.append(value)
        return impl(values)
    return run


_COMPILERS: dict[type, Callable[[Any], _Run]] = {
    Literal: _compile_literal, Name: _compile_name, ListExpr: _compile_list, Unary: _compile_unary,
    BoolOp: _compile_bool, Arith: _compile_arith, Compare: _compile_compare,
    Conditional: _compile_conditional, Call: _compile_call,
}
