"""Translates an expression's syntax tree into Python statements with the evaluator's exact semantics.

Each node becomes straight-line statements on temporaries, operands in source order, so that only
the names actually reached are read (`and`, `or`, `if`, comparison chains, `coalesce` and a missing
argument stop early). Identifiers are written only by this module: what a rulebook writes (a name,
a string, a number) enters the source as the `repr()` of a string, or as a constant of the generated
module named by the caller (`constant`). A subtree nested too deeply for Python's indentation is run
by the evaluator's closures instead (`deep`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .evaluator import COMPARISONS, divide
from .functions import FUNCTIONS, missing_error, require
from .nodes import Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Unary

MAX_INDENT = 40
"""Deepest indentation the statements of one expression may reach before a subtree runs as closures."""

Lines = list[str]
ReadName = Callable[[str, str, int], None]
"""Appends the statements that read a name into a target variable, at an indentation."""
Deep = Callable[[Node, str, int], None]
"""Appends the statements that evaluate a subtree by the evaluator's closures into a target variable."""
Constant = Callable[[Any], str]
"""Names a value as a constant of the generated module."""


class Emitter:
    """Writes the statements of expressions into `lines`; each `emit` returns an atom holding the value."""

    def __init__(self, lines: Lines, constant: Constant, read: ReadName, deep: Deep):
        self.lines = lines
        self.constant = constant
        self.read = read
        self.deep = deep
        self.count = 0
        self._spans: dict[int, int] = {}

    def temp(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def emit(self, node: Node, indent: int) -> str:
        """Statements evaluating `node` at `indent`; returns a temporary, constant or literal with its value."""
        if isinstance(node, Literal):
            value = node.value
            return repr(value) if value is None or type(value) is bool else self.constant(value)
        return self.variable(node, indent)

    def variable(self, node: Node, indent: int) -> str:
        """Statements evaluating `node` into a new temporary, which is returned."""
        target = self.temp()
        if isinstance(node, Literal):
            self.line(indent, f"{target} = {self.emit(node, indent)}")
        elif isinstance(node, Name):
            self.read(node.name, target, indent)
        elif indent + self.span(node) > MAX_INDENT:
            self.deep(node, target, indent)
        else:
            _EMITTERS[type(node)](self, node, target, indent)
        return target

    def operand(self, node: Node, indent: int) -> tuple[str, str]:
        """The atom of an operand and the repr of its reference (a plain name) for missing-value errors."""
        return self.emit(node, indent), repr(node.name if isinstance(node, Name) else None)

    def require(self, atom: str, kind: str, what: str, ref: str, indent: int) -> None:
        """Replace a value that is not of `kind` by require()'s answer (an error unless a subclass)."""
        self.line(indent, f"if type({atom}) is not {kind}: {atom} = _require({atom}, {kind}, {what!r}, {ref})")

    def span(self, node: Node) -> int:
        """How many levels of indentation the statements of `node` add."""
        known = self._spans.get(id(node))
        if known is None:
            known = self._spans[id(node)] = _span(self, node)
        return known


def _span(out: Emitter, node: Node) -> int:
    if isinstance(node, (BoolOp, Compare)) or isinstance(node, Call) and node.name == "coalesce":
        operands = node.operands if isinstance(node, (BoolOp, Compare)) else node.args
        first = 1 if isinstance(node, Compare) else 0
        return max([len(operands) - first] + [max(0, i - first) + out.span(n) for i, n in enumerate(operands)])
    if isinstance(node, Conditional):
        return max(out.span(node.test), 1 + out.span(node.body), 1 + out.span(node.orelse))
    return max((out.span(child) for child in node.children()), default=0)


def _list(out: Emitter, node: ListExpr, target: str, indent: int) -> None:
    atoms = [out.emit(item, indent) for item in node.items]
    out.line(indent, f"{target} = ({''.join(atom + ', ' for atom in atoms)})")


def _unary(out: Emitter, node: Unary, target: str, indent: int) -> None:
    atom, ref = out.operand(node.operand, indent)
    kind = "bool" if node.op == "not" else "_D"
    out.line(indent, f"{target} = {node.op if node.op == 'not' else '-'}({atom} if type({atom}) is {kind} "
                     f"else _require({atom}, {kind}, {repr(chr(39) + node.op + chr(39))}, {ref}))")


def _bool(out: Emitter, node: BoolOp, target: str, indent: int) -> None:
    stop, go = ("True", "False") if node.op == "or" else ("False", "True")
    what = repr(f"'{node.op}'")
    for operand in node.operands:
        atom, ref = out.operand(operand, indent)
        out.line(indent, f"{target} = {atom}")
        out.line(indent, f"if {target} is not {stop}:")
        out.line(indent + 1, f"if {target} is not {go}: _require({target}, bool, {what}, {ref})")
        indent += 1
    out.line(indent, "pass")


def _arith(out: Emitter, node: Arith, target: str, indent: int) -> None:
    atom, ref = out.operand(node.operands[0], indent)
    out.line(indent, f"{target} = {atom}")
    out.require(target, "_D", f"'{node.ops[0]}'", ref, indent)
    for op, operand in zip(node.ops, node.operands[1:]):
        ref = repr(operand.name if isinstance(operand, Name) else None)
        value = out.variable(operand, indent)
        out.require(value, "_D", f"'{op}'", ref, indent)
        if op == "/":
            out.line(indent, f"{target} = {target} / {value} if {value} else _divide({target}, {value})")
        else:
            out.line(indent, f"{target} = {target} {op} {value}")


def _compare(out: Emitter, node: Compare, target: str, indent: int) -> None:
    left, left_ref = out.operand(node.operands[0], indent)
    for position, (op, operand) in enumerate(zip(node.ops, node.operands[1:])):
        right, right_ref = out.operand(operand, indent)
        slow = f"{out.constant(COMPARISONS[op])}({left}, {right}, {left_ref}, {right_ref})"
        if op in ("in", "not in"):
            out.line(indent, f"{target} = {slow}")
        else:
            kinds = f"(type({left}) is _D or type({left}) is str)" if op[0] in "<>" else f"type({left}) in _PLAIN"
            test = f"type({left}) is type({right}) and {kinds}"
            out.line(indent, f"{target} = {left} {op} {right} if {test} else {slow}")
        if position < len(node.ops) - 1:
            out.line(indent, f"if {target}:")
            indent += 1
        left, left_ref = right, right_ref
    out.line(indent, "pass")


def _conditional(out: Emitter, node: Conditional, target: str, indent: int) -> None:
    test, ref = out.operand(node.test, indent)
    out.line(indent, f"if {test} is not True and {test} is not False: _require({test}, bool, \"'if'\", {ref})")
    out.line(indent, f"if {test}:")
    out.line(indent + 1, f"{target} = {out.emit(node.body, indent + 1)}")
    out.line(indent, "else:")
    out.line(indent + 1, f"{target} = {out.emit(node.orelse, indent + 1)}")


def _call(out: Emitter, node: Call, target: str, indent: int) -> None:
    if node.name in ("present", "missing"):
        atom = out.emit(node.args[0], indent)
        out.line(indent, f"{target} = {atom} is {'not ' if node.name == 'present' else ''}None")
        return
    if node.name == "coalesce":
        for arg in node.args:
            out.line(indent, f"{target} = {out.emit(arg, indent)}")
            out.line(indent, f"if {target} is None:")
            indent += 1
        out.line(indent, "pass")
        return
    function = FUNCTIONS[node.name]
    what = repr(f"'{node.name}()'")
    atoms = []
    for arg in node.args:
        atom, ref = out.operand(arg, indent)
        if not function.accepts_missing:
            out.line(indent, f"if {atom} is None: raise _missing({what}, {ref})")
        atoms.append(atom)
    out.line(indent, f"{target} = {out.constant(function.impl)}([{', '.join(atoms)}])")


_EMITTERS: dict[type, Callable[[Emitter, Any, str, int], None]] = {
    ListExpr: _list, Unary: _unary, BoolOp: _bool, Arith: _arith, Compare: _compare,
    Conditional: _conditional, Call: _call,
}

NAMESPACE: dict[str, Any] = {"_D": Decimal, "_PLAIN": frozenset((Decimal, bool, str, type(None))),
                             "_require": require, "_divide": divide, "_missing": missing_error}
"""What the statements name besides the caller's constants and reads."""
