"""Evaluate a rulebook's rules for one case's facts, lazily, recording a trace tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.errors import EvaluationError
from engine.expr import ExpressionEvalError, round_decimal
from engine.rulebook.compiled import Rule, Rulebook
from engine.trace import MatchedRow, Read, RoundingApplied, TraceNode


class Evaluation:
    """One case under one rulebook: each rule runs at most once, on first need."""

    def __init__(self, rulebook: Rulebook, facts: dict[str, Any]):
        self.rulebook = rulebook
        self.facts = facts
        self.roots: list[TraceNode] = []
        self._results: dict[str, Any] = {}
        self._nodes: dict[str, TraceNode] = {}
        self._stack: list[TraceNode] = []

    def value(self, name: str) -> Any:
        """The value of a fact, parameter or rule output, recorded as read by the current step."""
        if name.startswith("facts."):
            value = self.facts[name]
            self._record(Read(name, "fact", value))
        elif name.startswith("params."):
            param = self.rulebook.parameters[name]
            value = param.value
            self._record(Read(name, "param", value, param.source, param.status))
        else:
            rule, column = self.rulebook.outputs[name]
            result = self.run(rule)
            value = result[column] if column is not None else result
            self._record(Read(name, "rule", value, rule.source, rule.status))
        return value

    def run(self, rule: Rule) -> Any:
        """Evaluate a rule (once) and return its output."""
        if rule.id in self._results:
            return self._results[rule.id]
        node = TraceNode(rule.id, rule.description, rule.origin.file, rule.origin.line,
                         rule.source, rule.status, rule.note)
        (self._stack[-1].children if self._stack else self.roots).append(node)
        self._stack.append(node)
        try:
            output = self._lookup(rule, node) if rule.lookup else self._compute(rule, node)
        except ExpressionEvalError as exc:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': {exc}") from None
        finally:
            self._stack.pop()
        node.output = output
        self._results[rule.id] = output
        self._nodes[rule.id] = node
        return output

    def run_all(self, first: list[str]) -> list[TraceNode]:
        """Evaluate the named outputs first (they head the trace), then every remaining rule."""
        for name in first:
            self.value(name)
        for rule in self.rulebook.rules.values():
            self.run(rule)
        return self.roots

    def node(self, rule_id: str) -> TraceNode:
        return self._nodes[rule_id]

    def _record(self, read: Read) -> None:
        if self._stack:
            node = self._stack[-1]
            if all(r.name != read.name for r in node.reads):
                node.reads.append(read)

    def _compute(self, rule: Rule, node: TraceNode) -> Any:
        assert rule.expression is not None
        value = rule.expression.evaluate(self.value)
        if rule.rounding is not None and isinstance(value, Decimal):
            rounded = round_decimal(value, rule.rounding.places, rule.rounding.mode)
            node.rounding = RoundingApplied(rule.rounding.places, rule.rounding.mode, value, rounded)
            value = rounded
        return value

    def _lookup(self, rule: Rule, node: TraceNode) -> dict[str, Any]:
        spec = rule.lookup
        assert spec is not None
        table = spec.table
        situation = {name: expr.evaluate(self.value) for name, expr in spec.inputs.items()}
        row = table.match(situation)
        if row is None:
            unreachable = table.is_unreachable(situation)
            why = f" (declared unreachable: {unreachable.reason})" if unreachable else ""
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': no row of table '{table.name}' "
                                  f"({table.file}) matches {situation}{why}")
        node.row = MatchedRow(table.name, table.file, row.id, row.label, row.line, dict(row.when),
                              situation, row.source, row.status, row.note)
        return {column: row.then[column] for column in spec.outputs}
