"""Compile a rulebook's final-score layer into layers of polars columns.

Every rule the targets need is compiled once, from the rulebook's own expressions and tables, into
a column named by its id; a rule reading other rules' columns sits in a later layer. Parameters are
constants. A rule with no columnar form (a scope, a selection over measures) is listed with the
reason in `not_compiled`; rows that would need it get a problem naming it. A target that no row
could compute is a compile error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from engine.errors import MipsError
from engine.expr.functions import round_decimal
from engine.rulebook import contract
from engine.rulebook.compiled import Rule, Rulebook, as_decimal

from .expressions import ExpressionCompiler, round_column
from .tables import compile_lookup
from .values import CODE, Col, Err, Errors, const, first, unknown

ROW_SUFFIX = ".row"
"""Column of a table lookup rule's matched row id: `weights.row`."""
PROBLEM = "problem"


def final_score_targets(rulebook: Rulebook) -> list[str]:
    """What the final-score layer reports: the contract outputs, bonuses and payment adjustment steps."""
    names = list(contract.TOP_LEVEL) + [n for n in contract.OPTIONAL_TOP_LEVEL if n in rulebook.outputs]
    names += [f"{c}.{f}" for c in rulebook.categories for f in contract.PER_CATEGORY]
    names += [n for n in rulebook.outputs if n.startswith(contract.BONUS_PREFIX) and n not in names]
    return names


@dataclass
class Plan:
    """The compiled layer: columns to add, in dependency layers, and what could not be compiled."""

    rulebook: Rulebook
    targets: list[str]
    errors: Errors
    layers: list[dict[str, pl.Expr]] = field(default_factory=list)
    outputs: dict[str, Col] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    not_compiled: dict[str, str] = field(default_factory=dict)
    problem: pl.Expr | None = None

    def columns(self) -> list[str]:
        """Output columns, in report order: targets, then each lookup's matched row."""
        return self.targets + [rule_id + ROW_SUFFIX for rule_id in self.lookups]

    def apply(self, frame: pl.LazyFrame, keep: list[str]) -> pl.LazyFrame:
        """The frame with every compiled layer added, keeping `keep` columns and the outputs."""
        for layer in self.layers:
            frame = frame.with_columns(**layer)
        finals = {name: self.outputs[name].polars().alias(name) for name in self.columns()}
        problem = self.problem if self.problem is not None else pl.lit(None, CODE)
        return frame.select(*[pl.col(c) for c in keep], *finals.values(), problem.alias(PROBLEM))

    def message(self, code: int) -> str:
        where, message = self.errors.messages[code]
        rule = self.rulebook.rules.get(where)
        return f"{rule.origin}: rule '{where}': {message}" if rule else f"{where}: {message}"


class PlanCompiler:
    """Compiles the rules the targets need, each once, reading facts from `facts` columns."""

    def __init__(self, rulebook: Rulebook, facts: dict[str, Col], errors: Errors):
        self.rulebook = rulebook
        self.facts = facts
        self.errors = errors
        self.depth: dict[str, int] = {}
        self.cols: dict[str, Col] = {}
        self.layers: list[dict[str, pl.Expr]] = []
        self.lookups: list[str] = []
        self.not_compiled: dict[str, str] = {}
        self._active: set[str] = set()

    def resolve(self, name: str) -> Col:
        if name.startswith("facts."):
            return self.facts.get(name, const(None))
        if name.startswith("params."):
            return const(as_decimal(self.rulebook.parameters[name].value))
        if name not in self.rulebook.outputs:
            return unknown(f"'{name}' is no rule output", self.errors.code(name, "no such output"))
        rule, _ = self.rulebook.outputs[name]
        self.rule(rule)
        return self.cols[name]

    def rule(self, rule: Rule) -> None:
        if all(name in self.cols for name in rule.outputs):
            return
        if rule.id in self._active:
            raise MipsError(f"{rule.origin}: rule '{rule.id}' reads itself")
        self._active.add(rule.id)
        try:
            if rule.lookup is not None:
                self._lookup(rule)
            elif rule.expression is not None:
                self._expression(rule)
            else:
                kind = "each" if rule.each else "select"
                reason = f"'{kind}' rules work on lists of items, which have no columnar form"
                self._unknown(rule, reason)
        finally:
            self._active.discard(rule.id)

    def _unknown(self, rule: Rule, reason: str) -> None:
        self.not_compiled.setdefault(rule.id, reason)
        code = self.errors.code(rule.id, f"needs a value with no columnar form: {reason}")
        for name in rule.outputs:
            self.cols[name] = unknown(reason, code)

    def _expression(self, rule: Rule) -> None:
        compiler = ExpressionCompiler(self.resolve, self.errors, rule.id)
        assert rule.expression is not None
        col = compiler.compile(rule.expression.source)
        if col.kind == "unknown":
            reason = _reason(col, self.errors)
            self.not_compiled.setdefault(rule.id, reason)
            code = col.error if isinstance(col.error, int) else self.errors.code(rule.id, reason)
            self.cols[rule.id] = unknown(reason, code)
            return
        if rule.rounding is not None and col.kind == "number":
            places, mode = rule.rounding.places, rule.rounding.mode
            if col.constant and isinstance(col.value, Decimal):
                col = const(round_decimal(col.value, places, mode), col.error)
            elif not col.constant:
                col = Col("number", round_column(col.polars(), places, mode), nullable=col.nullable,
                          error=col.error)
        self.cols[rule.id] = self._materialize(rule.id, col)

    def _lookup(self, rule: Rule) -> None:
        spec = rule.lookup
        assert spec is not None
        compiler = ExpressionCompiler(self.resolve, self.errors, rule.id)
        inputs = {name: compiler.compile(expr.source) for name, expr in spec.inputs.items()}
        failure = first(*(col.error for col in inputs.values()))
        broken = [name for name, col in inputs.items() if col.kind == "unknown"]
        if broken:
            self._unknown(rule, f"input '{broken[0]}': {_reason(inputs[broken[0]], self.errors)}")
            return
        compiled = compile_lookup(rule, inputs, self.errors, failure)
        if isinstance(compiled, str):
            self._unknown(rule, compiled)
            return
        for name, col in compiled.outputs.items():
            self.cols[name] = self._materialize(name, col)
        self.cols[rule.id + ROW_SUFFIX] = self._materialize(rule.id + ROW_SUFFIX, compiled.row)
        self.lookups.append(rule.id)

    def _materialize(self, name: str, col: Col) -> Col:
        """A computed value becomes a column of its own (read by name); constants stay constants."""
        if col.constant and not isinstance(col.error, pl.Expr):
            return col
        depth = 1 + max((self.depth.get(ref, 0) for ref in _references(col)), default=0)
        while len(self.layers) < depth:
            self.layers.append({})
        layer = self.layers[depth - 1]
        value_name = name
        layer[value_name] = col.polars()
        error: Err = col.error
        if isinstance(error, pl.Expr) and not error.meta.is_column():
            layer[name + "!error"] = error
            self.depth[name + "!error"] = depth
            error = pl.col(name + "!error")
        self.depth[name] = depth
        return Col(col.kind, pl.col(value_name), None, col.nullable, error)


def compile_plan(rulebook: Rulebook, facts: dict[str, Col], errors: Errors | None = None,
                 targets: list[str] | None = None) -> Plan:
    """Compile the targets (the final-score layer by default) of a rulebook over fact columns."""
    errors = errors or Errors()
    compiler = PlanCompiler(rulebook, facts, errors)
    targets = targets or final_score_targets(rulebook)
    fatal = []
    for name in targets:
        col = compiler.resolve(name)
        if col.kind == "unknown" or isinstance(col.error, int):
            rule, _ = rulebook.outputs[name]
            why = compiler.not_compiled.get(rule.id) or (errors.messages[col.error][1] if isinstance(col.error, int)
                                                         else col.reason or "no columnar form")
            fatal.append(f"{rule.origin}: '{name}' cannot be computed for any row: {why}")
    if fatal:
        raise MipsError("\n".join(fatal))
    outputs = {name: compiler.cols[name] for name in targets}
    outputs |= {rule_id + ROW_SUFFIX: compiler.cols[rule_id + ROW_SUFFIX] for rule_id in compiler.lookups}
    problem = first(*(col.error for col in outputs.values()))
    return Plan(rulebook, targets, errors, compiler.layers, outputs, compiler.lookups,
                dict(sorted(compiler.not_compiled.items())),
                problem if isinstance(problem, pl.Expr) else None)


def _reason(col: Col, errors: Errors) -> str:
    if col.reason:
        return col.reason
    if isinstance(col.error, int):
        return errors.messages[col.error][1]
    return "no columnar form"


def _references(col: Col) -> set[str]:
    names: set[str] = set()
    for expr in (col.expr, col.error if isinstance(col.error, pl.Expr) else None):
        if expr is not None:
            names.update(expr.meta.root_names())
    return names
