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
from .nodes import Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Record, Unary

MAX_INDENT = 40
"""Deepest indentation the statements of one expression may reach before a subtree runs as closures."""

Lines = list[str]
ReadName = Callable[[str, str, int], "type | None"]
"""Appends the statements that read a name into a target variable, at an indentation; returns the type
its value always has, when known."""
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
        self.kinds: dict[str, type] = {}
        """The type an atom's value always has, where the translation knows it."""
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
            atom = repr(value) if value is None or type(value) is bool else self.constant(value)
            self.kinds[atom] = type(value)
            return atom
        return self.variable(node, indent)

    def variable(self, node: Node, indent: int) -> str:
        """Statements evaluating `node` into a new temporary, which is returned."""
        target = self.temp()
        if isinstance(node, Literal):
            self.line(indent, f"{target} = {self.emit(node, indent)}")
            self.kinds[target] = type(node.value)
        elif isinstance(node, Name):
            kind = self.read(node.name, target, indent)
            if kind is not None:
                self.kinds[target] = kind
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
        if self.kinds.get(atom) is not _KINDS[kind]:
            self.line(indent, f"if type({atom}) is not {kind}: {atom} = _require({atom}, {kind}, {what!r}, {ref})")

    def is_(self, atom: str, kind: type) -> bool:
        """Whether the atom's value is always of `kind`."""
        return self.kinds.get(atom) is kind

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
    kind = bool if node.op == "not" else Decimal
    name = "bool" if kind is bool else "_D"
    value = atom if out.is_(atom, kind) else (f"({atom} if type({atom}) is {name} else "
                                              f"_require({atom}, {name}, {repr(chr(39) + node.op + chr(39))}, {ref}))")
    out.line(indent, f"{target} = {'not ' if kind is bool else '-'}{value}")
    out.kinds[target] = kind


def _bool(out: Emitter, node: BoolOp, target: str, indent: int) -> None:
    stop, go = ("True", "False") if node.op == "or" else ("False", "True")
    what = repr(f"'{node.op}'")
    for operand in node.operands:
        atom, ref = out.operand(operand, indent)
        out.line(indent, f"{target} = {atom}")
        out.line(indent, f"if {target} is not {stop}:")
        if not out.is_(atom, bool):
            out.line(indent + 1, f"if {target} is not {go}: _require({target}, bool, {what}, {ref})")
        indent += 1
    out.line(indent, "pass")
    out.kinds[target] = bool


def _arith(out: Emitter, node: Arith, target: str, indent: int) -> None:
    atom, ref = out.operand(node.operands[0], indent)
    out.line(indent, f"{target} = {atom}")
    if out.is_(atom, Decimal):
        out.kinds[target] = Decimal
    out.require(target, "_D", f"'{node.ops[0]}'", ref, indent)
    for op, operand in zip(node.ops, node.operands[1:]):
        ref = repr(operand.name if isinstance(operand, Name) else None)
        value = out.emit(operand, indent)
        if not out.is_(value, Decimal):
            if not value.startswith("t"):
                copied = out.temp()
                out.line(indent, f"{copied} = {value}")
                value = copied
            out.require(value, "_D", f"'{op}'", ref, indent)
        if op == "/":
            out.line(indent, f"{target} = {target} / {value} if {value} else _divide({target}, {value})")
        else:
            out.line(indent, f"{target} = {target} {op} {value}")
    out.kinds[target] = Decimal


def _compare(out: Emitter, node: Compare, target: str, indent: int) -> None:
    left, left_ref = out.operand(node.operands[0], indent)
    for position, (op, operand) in enumerate(zip(node.ops, node.operands[1:])):
        right, right_ref = out.operand(operand, indent)
        slow = f"{out.constant(COMPARISONS[op])}({left}, {right}, {left_ref}, {right_ref})"
        known = out.kinds.get(left), out.kinds.get(right)
        if op in ("in", "not in"):  # a text is in a list only as the same text: Python's `in` says the same
            tests = ([] if known[0] is str else [f"type({left}) is str"]) + (
                [] if known[1] is tuple else [f"type({right}) is tuple"])
            fast = f"{left} {op} {right}"
            out.line(indent, f"{target} = {fast}" + (f" if {' and '.join(tests)} else {slow}" if tests else ""))
        elif known[0] is known[1] and (known[0] in (Decimal, str) or op in ("==", "!=") and known[0] in _PLAIN):
            out.line(indent, f"{target} = {left} {op} {right}")
        else:
            if op[0] in "<>":
                test = (f"type({left}) is type({right}) and (type({left}) is _D or type({left}) is str)"
                        if known[1] not in (Decimal, str) else f"type({left}) is {_NAMES[known[1]]}")
            else:
                test = f"type({left}) is type({right}) and type({left}) in _PLAIN"
            out.line(indent, f"{target} = {left} {op} {right} if {test} else {slow}")
        if position < len(node.ops) - 1:
            out.line(indent, f"if {target}:")
            indent += 1
        left, left_ref = right, right_ref
    out.line(indent, "pass")
    out.kinds[target] = bool


def _conditional(out: Emitter, node: Conditional, target: str, indent: int) -> None:
    test, ref = out.operand(node.test, indent)
    if not out.is_(test, bool):
        out.line(indent, f"if {test} is not True and {test} is not False: _require({test}, bool, \"'if'\", {ref})")
    out.line(indent, f"if {test}:")
    body = out.emit(node.body, indent + 1)
    out.line(indent + 1, f"{target} = {body}")
    out.line(indent, "else:")
    orelse = out.emit(node.orelse, indent + 1)
    out.line(indent + 1, f"{target} = {orelse}")
    if out.kinds.get(body) is out.kinds.get(orelse) is not None:
        out.kinds[target] = out.kinds[body]


def _call(out: Emitter, node: Call, target: str, indent: int) -> None:
    if node.name in ("present", "missing"):
        atom = out.emit(node.args[0], indent)
        out.line(indent, f"{target} = {atom} is {'not ' if node.name == 'present' else ''}None")
        out.kinds[target] = bool
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
        if not function.accepts_missing and out.kinds.get(atom, type(None)) is type(None):
            out.line(indent, f"if {atom} is None: raise _missing({what}, {ref})")
        atoms.append(atom)
    call = f"{out.constant(function.impl)}([{', '.join(atoms)}])"
    if node.name in ("min", "max") and len(atoms) > 1:  # of numbers, as the function picks them
        tests = [f"type({atom}) is _D" for atom in atoms if not out.is_(atom, Decimal)]
        direct = f"{node.name}({', '.join(atoms)})"
        out.line(indent, f"{target} = {direct} if {' and '.join(tests)} else {call}" if tests else
                 f"{target} = {direct}")
        out.kinds[target] = Decimal
        return
    out.line(indent, f"{target} = {call}")


_EMITTERS: dict[type, Callable[[Emitter, Any, str, int], None]] = {
    ListExpr: _list, Unary: _unary, BoolOp: _bool, Arith: _arith, Compare: _compare,
    Conditional: _conditional, Call: _call,
}

def kind(node: Node) -> type | None:
    """The type an expression's value always has, where its form settles it (comparisons, arithmetic...)."""
    if isinstance(node, Literal):
        return type(node.value)
    if isinstance(node, (Compare, BoolOp)) or isinstance(node, Unary) and node.op == "not":
        return bool
    if isinstance(node, (Arith, Unary)):
        return Decimal
    if isinstance(node, Call) and node.name in ("present", "missing"):
        return bool
    if isinstance(node, Conditional):
        body = kind(node.body)
        return body if body is kind(node.orelse) else None
    return None


_KINDS = {"_D": Decimal, "bool": bool}
_PLAIN = frozenset((Decimal, bool, str, type(None)))
_NAMES = {Decimal: "_D", str: "str"}

NAMESPACE: dict[str, Any] = {"_D": Decimal, "_R": Record, "_PLAIN": _PLAIN,
                             "_require": require, "_divide": divide, "_missing": missing_error}
"""What the statements name besides the caller's constants and reads."""
