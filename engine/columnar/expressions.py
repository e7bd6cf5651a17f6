"""Compile one expression's syntax tree (engine.expr nodes) into a polars column expression.

The compiler follows the traced evaluator step by step: what it reads, in which order, what it
refuses. Constants (literals, parameters, facts a population does not carry) are folded at compile
time, so branches that can never be taken vanish and the rest becomes a polars expression. A part
with no columnar form (lists of records, scopes) compiles to an "unknown" value whose error code is
set only on the rows that reach it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal, DecimalException, localcontext
from functools import lru_cache
from typing import Any

import polars as pl

from engine.expr import ExpressionEvalError
from engine.expr.functions import CONTEXT, FUNCTIONS, ROUNDING_MODES, mode_of, places_of
from engine.expr.nodes import Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Unary
from engine.expr.parser import parse

from .values import KINDS, NUMBER, Col, Err, Errors, const, first, kind_of, only_where, unknown

Resolve = Callable[[str], Col]
_EXPECTED = {"number": "a number", "boolean": "a boolean", "string": "a string", "list": "a list"}
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_POLARS_ORDER = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_COLUMN_FUNCTIONS = ("abs", "all", "any", "clamp", "coalesce", "count", "max", "min", "missing", "present",
                     "round", "sum")


@lru_cache(maxsize=4096)
def tree(source: str) -> Node:
    """The syntax tree of an expression source (parsed once per process)."""
    return parse(source).node


class ExpressionCompiler:
    """Compiles expressions read by one rule (or one mapped fact): `where` names it in error messages."""

    def __init__(self, resolve: Resolve, errors: Errors, where: str):
        self.resolve = resolve
        self.errors = errors
        self.where = where

    def compile(self, source: str) -> Col:
        return self.node(tree(source))

    def node(self, node: Node) -> Col:
        return getattr(self, "_" + type(node).__name__.lower())(node)

    # helpers -----------------------------------------------------------------------------------

    def code(self, message: str) -> int:
        return self.errors.code(self.where, message)

    def fail(self, message: str, *before: Err) -> Col:
        """An unknown value: reaching it is an error with this message (after any earlier failure)."""
        return unknown(message, first(*before, self.code(message)))

    def require(self, col: Col, kind: str, what: str) -> Err:
        """The failure of using `col` where `what` needs a value of `kind` (missing or wrong type)."""
        if col.kind == "unknown":
            return None
        if col.constant and col.value is None or col.kind == "null":
            return self.code(_missing(what, col.ref))
        if col.kind != kind:
            return self.code(f"{what} requires {_EXPECTED[kind]}, got {_language_kind(col.kind)}")
        if col.constant or not col.nullable:
            return None
        return pl.when(col.polars().is_null()).then(pl.lit(self.code(_missing(what, col.ref)), pl.Int32))

    def fold(self, compute: Callable[[], Any], *before: Err) -> Col:
        """A constant computed at compile time exactly as the traced engine computes it."""
        try:
            with localcontext(CONTEXT):
                value = compute()
        except ExpressionEvalError as exc:
            return self.fail(str(exc), *before)
        except DecimalException as exc:
            return self.fail(f"arithmetic error ({type(exc).__name__})", *before)
        return const(_normal(value), first(*before))

    # nodes -------------------------------------------------------------------------------------

    def _literal(self, node: Literal) -> Col:
        return const(node.value)

    def _name(self, node: Name) -> Col:
        col = self.resolve(node.name)
        reason = col.reason
        if col.kind == "unknown" and reason is not None:
            root = reason[reason.index("(") + 1:-1] if reason.startswith("reads ") and "(" in reason else reason
            reason = f"reads {node.name} ({root})"
        return Col(col.kind, col.expr, col.value, col.nullable, col.error, col.items, node.name, reason)

    def _listexpr(self, node: ListExpr) -> Col:
        items = tuple(self.node(item) for item in node.items)
        if all(item.constant and item.error is None for item in items):
            return const(tuple(item.value for item in items))
        return Col("list", None, None, False, first(*(item.error for item in items)), items)

    def _unary(self, node: Unary) -> Col:
        operand = self.node(node.operand)
        kind = "boolean" if node.op == "not" else "number"
        failure = first(operand.error, self.require(operand, kind, f"'{node.op}'"))
        if operand.kind == "unknown" or operand.kind not in (kind, "null"):
            return self._broken(operand, failure)
        if operand.constant:
            return self.fold(lambda: (not operand.value) if kind == "boolean" else -operand.value, failure)
        expr = operand.polars().not_() if kind == "boolean" else -operand.polars()
        return Col(kind, expr, nullable=operand.nullable, error=failure)

    def _boolop(self, node: BoolOp) -> Col:
        stop = node.op == "or"
        what = f"'{node.op}'"
        failures: list[Err] = []
        reached: pl.Expr | bool = True      # rows on which the next operand is evaluated
        parts: list[pl.Expr] = []
        for operand_node in node.operands:
            operand = self.node(operand_node)
            failures.append(only_where(reached, first(operand.error, self.require(operand, "boolean", what))))
            if operand.kind not in ("boolean", "null"):
                if operand.kind != "unknown" or failures[-1] is None:
                    failures.append(only_where(reached, self.code(operand.reason or "no columnar form")))
                break   # rows reaching this operand fail; the others were decided before it
            if operand.constant:
                if operand.value is stop:   # the chain stops here on every row that reaches it
                    return const(stop, first(*failures))
                continue
            expr = operand.polars()
            parts.append(expr)
            step = expr if not stop else expr.not_()
            reached = step if reached is True else reached & step
        if not parts:
            return const(not stop, first(*failures))
        value = parts[0] if len(parts) == 1 else pl.any_horizontal(parts) if stop else pl.all_horizontal(parts)
        return Col("boolean", value, nullable=False, error=first(*failures))

    def _arith(self, node: Arith) -> Col:
        cols = [self.node(node.operands[0])]
        failures: list[Err] = [cols[0].error, self.require(cols[0], "number", f"'{node.ops[0]}'")]
        for op, operand_node in zip(node.ops, node.operands[1:]):
            operand = self.node(operand_node)
            cols.append(operand)
            failures += [operand.error, self.require(operand, "number", f"'{op}'")]
        if any(col.kind not in ("number", "null") for col in cols):
            return self._broken(next(c for c in cols if c.kind not in ("number", "null")), first(*failures))
        if all(col.constant for col in cols):
            def compute() -> Decimal:
                result = cols[0].value
                for op, col in zip(node.ops, cols[1:]):
                    if op == "/" and not col.value:
                        raise ExpressionEvalError("division by zero")
                    result = result / col.value if op == "/" else _ARITH[op](result, col.value)
                return result
            return self.fold(compute, *failures)
        ops = list(node.ops)
        while (len(cols) > 1 and isinstance(cols[0].value, Decimal) and isinstance(cols[1].value, Decimal)
               and cols[0].constant and cols[1].constant and not (ops[0] == "/" and not cols[1].value)):
            # a constant start of the left-to-right chain is computed once, as the traced engine would
            left, right, op = cols[0].value, cols[1].value, ops.pop(0)
            with localcontext(CONTEXT):
                cols[:2] = [const(left / right if op == "/" else _ARITH[op](left, right))]
        expr = cols[0].polars()
        for op, col in zip(ops, cols[1:]):
            if op != "/":
                expr = {"+": expr.__add__, "-": expr.__sub__, "*": expr.__mul__}[op](col.polars())
                continue
            if col.constant:
                if col.value == 0:
                    failures.append(self.code("division by zero"))
                    return unknown("division by zero", first(*failures))
                expr = expr / col.polars()
                continue
            divisor = col.polars()
            failures.append(pl.when(divisor == 0).then(pl.lit(self.code("division by zero"), pl.Int32)))
            expr = expr / pl.when(divisor == 0).then(pl.lit(1, NUMBER)).otherwise(divisor)
        return Col("number", expr, nullable=any(c.may_be_null for c in cols), error=first(*failures))

    def _compare(self, node: Compare) -> Col:
        left = self.node(node.operands[0])
        failures: list[Err] = [left.error]
        reached: pl.Expr | bool = True
        parts: list[pl.Expr] = []
        for op, right_node in zip(node.ops, node.operands[1:]):
            right = self.node(right_node)
            failures.append(only_where(reached, right.error))
            step = self._comparison(op, left, right)
            failures.append(only_where(reached, step.error))
            if step.kind == "unknown":
                return self._broken(step, first(*failures))
            if step.constant:
                if step.value is False:   # a link that is always false makes the chain false
                    return const(False, first(*failures))
            else:
                parts.append(step.polars())
                reached = step.polars() if reached is True else reached & step.polars()
            left = right
        if not parts:
            return const(True, first(*failures))
        value = parts[0] if len(parts) == 1 else pl.all_horizontal(parts)
        return Col("boolean", value, nullable=False, error=first(*failures))

    def _comparison(self, op: str, left: Col, right: Col) -> Col:
        """One link of a comparison chain: its value, and its own failure (not the operands')."""
        if op in ("==", "!="):
            return self._equality(op, left, right)
        if op in ("in", "not in"):
            return self._membership(op, left, right)
        what = f"'{op}'"
        failure = first(self._ordered(left, what), self._ordered(right, what))
        if "unknown" in (left.kind, right.kind):
            return unknown(left.reason or right.reason or "", failure)
        kinds = {left.kind, right.kind} - {"null"}
        if len(kinds) > 1 or kinds - {"number", "string"}:
            message = (f"cannot compare {_language_kind(left.kind)} with {_language_kind(right.kind)} "
                       f"using '{op}'")
            return self.fail(message, failure)
        if left.constant and right.constant:
            return self.fold(lambda: _ORDER[op](left.value, right.value), failure)
        expr = getattr(left.polars(), _POLARS_ORDER[op])(right.polars())
        return Col("boolean", expr, nullable=False, error=failure)

    def _ordered(self, col: Col, what: str) -> Err:
        if col.kind == "unknown":
            return None
        if col.constant and col.value is None or col.kind == "null":
            return self.code(_missing(what, col.ref))
        if col.constant or not col.nullable:
            return None
        return pl.when(col.polars().is_null()).then(pl.lit(self.code(_missing(what, col.ref)), pl.Int32))

    def _equality(self, op: str, left: Col, right: Col) -> Col:
        negate = op == "!="
        if "unknown" in (left.kind, right.kind):
            return unknown(left.reason or right.reason or "", None)
        if "list" in (left.kind, right.kind):
            return self.fail(f"'{op}' between lists has no columnar form")
        if left.constant and right.constant:
            return const((_same(left.value, right.value)) != negate)
        if left.kind != right.kind and "null" not in (left.kind, right.kind):
            same = left.polars().is_null() & right.polars().is_null()
        else:
            same = left.polars().eq_missing(right.polars())
        return Col("boolean", same.not_() if negate else same, nullable=False)

    def _membership(self, op: str, left: Col, right: Col) -> Col:
        negate = op == "not in"
        if "unknown" in (left.kind, right.kind):
            return unknown(left.reason or right.reason or "", None)
        if right.kind != "list":
            return self.fail(f"'{op}' requires a list, got {_language_kind(right.kind)}"
                             if not right.may_be_null else _missing(f"'{op}'", right.ref))
        if right.constant:
            values = right.value
            if left.constant:
                return const(any(_same(left.value, v) for v in values) != negate)
            matching = [v for v in values if kind_of(v) == left.kind]
            found = (left.polars().is_in(pl.Series(matching, dtype=_dtype(left.kind)).implode()) if matching
                     else pl.lit(False))
            found = found.fill_null(any(v is None for v in values))
            return Col("boolean", found.not_() if negate else found, nullable=False)
        checks = [self._equality("==", left, item) for item in right.items]
        if any(check.kind == "unknown" for check in checks):
            return unknown(next(c.reason for c in checks if c.kind == "unknown") or "", None)
        found = pl.any_horizontal([check.polars() for check in checks])
        return Col("boolean", found.not_() if negate else found, nullable=False)

    def _conditional(self, node: Conditional) -> Col:
        test = self.node(node.test)
        test_failure = first(test.error, self.require(test, "boolean", "'if'"))
        if test.kind == "unknown" or test.kind not in ("boolean", "null"):
            return self._broken(test, test_failure)
        if test.constant:
            if test.value is None:
                return unknown(_missing("'if'", test.ref), test_failure)
            chosen = self.node(node.body if test.value else node.orelse)
            return _with_error(chosen, first(test_failure, chosen.error))
        body, orelse = self.node(node.body), self.node(node.orelse)
        condition = test.polars()
        failure = first(test_failure, pl.when(condition).then(_as_expr(body.error)).otherwise(_as_expr(orelse.error))
                        if body.error is not None or orelse.error is not None else None)
        kinds = {body.kind, orelse.kind} - {"null", "unknown"}
        if len(kinds) > 1 or "list" in kinds:
            return self.fail(f"the branches give {' and '.join(sorted(_language_kind(k) for k in kinds))}; "
                             "a column holds one type", failure)
        if not kinds:
            if "unknown" in (body.kind, orelse.kind):
                known = orelse if body.kind == "unknown" else body
                reason = body.reason if body.kind == "unknown" else orelse.reason
                if known.kind == "unknown":
                    return unknown(reason or "", failure)
                return Col("null", pl.lit(None, NUMBER), None, True, failure)
            return Col("null", pl.lit(None, NUMBER), None, True, failure)
        kind = kinds.pop()
        value = pl.when(condition).then(_value_expr(body, kind)).otherwise(_value_expr(orelse, kind))
        return Col(kind, value, nullable=body.may_be_null or orelse.may_be_null or body.kind == "unknown"
                   or orelse.kind == "unknown", error=failure)

    def _call(self, node: Call) -> Col:
        name = node.name
        if name == "coalesce":
            return self._coalesce(node)
        args = [self.node(arg) for arg in node.args]
        function = FUNCTIONS[name]
        what = f"'{name}()'"
        failures: list[Err] = []
        for arg in args:
            failures.append(arg.error)
            if not function.accepts_missing:
                failures.append(self._present(arg, what))
        if any(arg.kind == "unknown" for arg in args):
            return self._broken(next(a for a in args if a.kind == "unknown"), first(*failures))
        if all(arg.constant for arg in args):
            return self.fold(lambda: function.impl(iter([a.value for a in args])), *failures)
        if name not in _COLUMN_FUNCTIONS:
            return self.fail(f"'{name}()' over values that vary by row has no columnar form", *failures)
        return getattr(self, "_call_" + name)(args, what, failures)

    # functions ---------------------------------------------------------------------------------

    def _present(self, col: Col, what: str) -> Err:
        """The failure of a missing argument (arguments are evaluated before the function runs)."""
        if col.kind in ("unknown", "list"):
            return None
        if col.constant:
            return self.code(_missing(what, col.ref)) if col.value is None else None
        if not col.nullable:
            return None
        return pl.when(col.polars().is_null()).then(pl.lit(self.code(_missing(what, col.ref)), pl.Int32))

    def _typed(self, cols: list[Col], kind: str, what: str, failures: list[Err]) -> Col | None:
        """An unknown value when an argument is statically of the wrong type, else None."""
        for col in cols:
            if col.kind not in (kind, "null"):
                return self.fail(f"{what} requires {_EXPECTED[kind]}, got {_language_kind(col.kind)}", *failures)
        return None

    def _list_items(self, col: Col, what: str, failures: list[Err]) -> list[Col] | Col:
        broken = next((item for item in col.items if item.kind == "unknown"), None)
        if broken is not None:
            return self._broken(broken, first(*failures))
        if col.kind != "list":
            return self.fail(f"{what} requires a list, got {_language_kind(col.kind)}", *failures)
        return list(col.items) if not col.constant else [const(v) for v in col.value]

    def _call_present(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        return Col("boolean", args[0].polars().is_not_null(), nullable=False, error=first(*failures))

    def _call_missing(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        return Col("boolean", args[0].polars().is_null(), nullable=False, error=first(*failures))

    def _call_abs(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        broken = self._typed(args, "number", what, failures)
        return broken or Col("number", args[0].polars().abs(), nullable=args[0].nullable, error=first(*failures))

    def _extreme(self, args: list[Col], what: str, failures: list[Err], pick: Callable[..., pl.Expr]) -> Col:
        if len(args) == 1:
            items = self._list_items(args[0], what, failures)
            if isinstance(items, Col):
                return items
            if not items:
                return self.fail(f"{what} requires a non-empty list", *failures)
            failures = failures + [self._present(item, what) for item in items]
            args = items
        broken = self._typed(args, "number", what, failures)
        return broken or Col("number", pick([a.polars() for a in args]), nullable=False, error=first(*failures))

    def _call_min(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        return self._extreme(args, what, failures, pl.min_horizontal)

    def _call_max(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        return self._extreme(args, what, failures, pl.max_horizontal)

    def _call_clamp(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        broken = self._typed(args, "number", what, failures)
        if broken:
            return broken
        value, low, high = (a.polars() for a in args)
        message = self.code("'clamp()' requires low <= high")
        failures = failures + [pl.when(low > high).then(pl.lit(message, pl.Int32))]
        return Col("number", pl.min_horizontal(pl.max_horizontal(value, low), high), nullable=False,
                   error=first(*failures))

    def _call_round(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        value, places, mode = args
        if not (places.constant and mode.constant):
            return self.fail("round() with places or mode that vary by row has no columnar form", *failures)
        broken = self._typed([value], "number", what, failures)
        if broken:
            return broken
        try:
            digits, name = places_of(places.value), mode_of(mode.value)
        except ExpressionEvalError as exc:
            return self.fail(str(exc), *failures)
        return Col("number", round_column(value.polars(), digits, name), nullable=False, error=first(*failures))

    def _aggregate(self, args: list[Col], what: str, failures: list[Err], kind: str) -> list[pl.Expr] | Col:
        items = self._list_items(args[0], what, failures)
        if isinstance(items, Col):
            return items
        failures.extend(self._present(item, what) for item in items)
        failures.extend(item.error for item in items)
        broken = self._typed(items, kind, what, failures)
        return broken or [item.polars() for item in items]

    def _call_sum(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        parts = self._aggregate(args, what, failures, "number")
        if isinstance(parts, Col):
            return parts
        value = pl.sum_horizontal(parts) if parts else pl.lit(0, NUMBER)
        return Col("number", value.cast(NUMBER), nullable=False, error=first(*failures))

    def _call_count(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        parts = self._aggregate(args, what, failures, "boolean")
        if isinstance(parts, Col):
            return parts
        value = pl.sum_horizontal([p.cast(pl.Int32) for p in parts]) if parts else pl.lit(0)
        return Col("number", value.cast(NUMBER), nullable=False, error=first(*failures))

    def _call_any(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        parts = self._aggregate(args, what, failures, "boolean")
        if isinstance(parts, Col):
            return parts
        return Col("boolean", pl.any_horizontal(parts) if parts else pl.lit(False), nullable=False,
                   error=first(*failures))

    def _call_all(self, args: list[Col], what: str, failures: list[Err]) -> Col:
        parts = self._aggregate(args, what, failures, "boolean")
        if isinstance(parts, Col):
            return parts
        return Col("boolean", pl.all_horizontal(parts) if parts else pl.lit(True), nullable=False,
                   error=first(*failures))

    def _coalesce(self, node: Call) -> Col:
        """Arguments are evaluated in order only until one is present."""
        failures: list[Err] = []
        reached: pl.Expr | bool = True
        cols: list[Col] = []
        for arg_node in node.args:
            arg = self.node(arg_node)
            failures.append(only_where(reached, arg.error))
            if arg.constant:
                if arg.value is not None:
                    cols.append(arg)
                    break
                continue
            cols.append(arg)
            if arg.kind == "unknown":
                break
            missing = arg.polars().is_null()
            reached = missing if reached is True else reached & missing
        kinds = {c.kind for c in cols} - {"null"}
        if "unknown" in kinds:
            known = [c for c in cols if c.kind != "unknown"]
            if not known:
                return unknown(cols[-1].reason or "", first(*failures))
            kinds.discard("unknown")
            cols = known
        if not cols:
            return const(None, first(*failures))
        if len(kinds) > 1 or "list" in kinds:
            return self.fail("coalesce() of values of different types has no columnar form", *failures)
        kind = kinds.pop() if kinds else "null"
        if len(cols) == 1:
            return _with_error(cols[0], first(*failures))
        value = pl.coalesce([_value_expr(c, kind) for c in cols])
        return Col(kind, value, nullable=cols[-1].may_be_null, error=first(*failures))

    def _broken(self, col: Col, failure: Err) -> Col:
        """A value built on an unknown or ill-typed operand: unknown, failing where reached."""
        if failure is None:
            failure = self.code(col.reason or "no columnar form")
        return unknown(col.reason or "an operand of the wrong type", failure)


def round_column(expr: pl.Expr, places: int, mode: str) -> pl.Expr:
    """Round a number column to `places` decimals with a rounding mode of the expression language."""
    if mode == "half_up":
        return expr.round(places, mode="half_away_from_zero")
    if mode == "half_even":
        return expr.round(places, mode="half_to_even")
    factor = pl.lit(Decimal(10) ** places, NUMBER)
    shifted = expr * factor
    if mode == "floor":
        result = shifted.floor()
    elif mode == "ceiling":
        result = shifted.ceil()
    elif mode == "down":
        result = pl.when(shifted >= 0).then(shifted.floor()).otherwise(shifted.ceil())
    elif mode == "up":
        result = pl.when(shifted >= 0).then(shifted.ceil()).otherwise(shifted.floor())
    else:  # half_down: a tie goes toward zero
        half = pl.lit(Decimal("0.5"), NUMBER)
        result = pl.when(shifted >= 0).then((shifted - half).ceil()).otherwise(-((-shifted - half).ceil()))
    assert mode in ROUNDING_MODES
    return result / factor


def _missing(what: str, ref: str | None) -> str:
    detail = f" ({ref} is missing)" if ref else ""
    return f"cannot apply {what} to a missing value{detail}"


def _language_kind(kind: str) -> str:
    return {"null": "null", "list": "list", "unknown": "a value with no columnar form"}.get(kind, kind)


def _same(left: Any, right: Any) -> bool:
    """The expression language's equality: a boolean never equals a number."""
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    return kind_of(left) == kind_of(right) and left == right


def _normal(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Decimal(value)
    return value


def _dtype(kind: str) -> pl.DataType:
    return KINDS.get(kind, NUMBER)


def _as_expr(error: Err) -> pl.Expr:
    if error is None:
        return pl.lit(None, pl.Int32)
    return error if isinstance(error, pl.Expr) else pl.lit(error, pl.Int32)


def _value_expr(col: Col, kind: str) -> pl.Expr:
    if col.kind in ("unknown", "null") or col.constant and col.value is None:
        return pl.lit(None, _dtype(kind))
    return col.polars()


def _with_error(col: Col, error: Err) -> Col:
    return Col(col.kind, col.expr, col.value, col.nullable, error, col.items, col.ref, col.reason)
