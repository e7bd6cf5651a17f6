"""Evaluate a rulebook's rules for one case's facts, lazily, recording a trace tree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.errors import EvaluationError
from engine.expr import ExpressionEvalError, Record, round_decimal
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules
from engine.rulebook.tables import describe
from engine.trace import Choice, MatchedRow, Read, RoundingApplied, TraceNode


class Evaluation:
    """One case (or one item of a scope) under one rulebook: each rule runs at most once, on first need."""

    def __init__(self, rulebook: Rulebook, facts: dict[str, Any], parent: Evaluation | None = None,
                 scope: ScopeRules | None = None, item: Record | None = None):
        self.rulebook = rulebook
        self.facts = facts
        self.parent = parent
        self.scope = scope
        self.item = item
        self.roots: list[TraceNode] = []
        self._results: dict[str, Any] = {}
        self._stack: list[TraceNode] = []
        self._seen: dict[int, set[str]] = {}

    def value(self, name: str) -> Any:
        """The value of a fact, parameter, item field or rule output, recorded as read by the current step."""
        value, read = self._resolve(name)
        if self._stack:
            node = self._stack[-1]
            seen = self._seen.setdefault(id(node), set())
            if name not in seen:
                seen.add(name)
                node.reads.append(read)
        return value

    def _resolve(self, name: str) -> tuple[Any, Read]:
        if self.scope is not None and name.startswith(self.scope.prefix):
            if name in self.scope.rules:
                rule = self.scope.rules[name]
                value = self.run(rule)
                return value, Read(name, "rule", value, rule.source, rule.status)
            assert self.item is not None
            value = self.item[name[len(self.scope.prefix):]]
            return value, Read(name, "item", value)
        if self.parent is not None:
            return self.parent._resolve(name)
        if name.startswith("facts."):
            value = self.facts[name]
            return value, Read(name, "fact", value)
        if name.startswith("params."):
            param = self.rulebook.parameters[name]
            return param.value, Read(name, "param", param.value, param.source, param.status)
        rule, column = self.rulebook.outputs[name]
        result = self.run(rule)
        value = result[column] if column is not None else result
        return value, Read(name, "rule", value, rule.source, rule.status)

    def run(self, rule: Rule) -> Any:
        """Evaluate a rule (once) and return its output."""
        if rule.id in self._results:
            return self._results[rule.id]
        node = TraceNode(rule.id, rule.description, rule.origin.file, rule.origin.line,
                         rule.source, rule.status, rule.note)
        (self._stack[-1].children if self._stack else self.roots).append(node)
        self._stack.append(node)
        try:
            if rule.lookup:
                output = self._lookup(rule, node)
            elif rule.each:
                output = self._each(rule, node)
            elif rule.select:
                output = self._select(rule, node)
            else:
                output = self._compute(rule, node)
        except ExpressionEvalError as exc:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': {exc}") from None
        finally:
            self._stack.pop()
        node.output = output
        self._results[rule.id] = output
        return output

    def run_all(self, first: list[str], prefixes: tuple[str, ...]) -> list[TraceNode]:
        """Evaluate the named outputs (they head the trace), then the rules whose ids have these prefixes.

        Rules nothing reads are not run: the trace holds only what the result rests on.
        """
        for name in first:
            self.value(name)
        for rule in self.rulebook.rules.values():
            if rule.id.startswith(prefixes):
                self.run(rule)
        return self.roots

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
                                  f"({table.file}) matches {describe(situation)}{why}")
        node.row = MatchedRow(table.name, table.file, row.id, row.label, row.line, dict(row.when),
                              situation, row.source, row.status, row.note)
        return {column: row.then[column] for column in spec.outputs}

    def _each(self, rule: Rule, node: TraceNode) -> tuple[Record, ...]:
        """Run the scope's rules for every item; each result record holds the item's fields and outputs."""
        spec = rule.each
        assert spec is not None
        scope = self.rulebook.scopes[spec.scope]
        items = spec.items.evaluate(self.value)
        if items is None:
            return ()
        results = []
        for item in items:
            child = Evaluation(self.rulebook, self.facts, parent=self, scope=scope, item=item)
            label = spec.label.evaluate(child.value)
            item_node = TraceNode(f"{rule.id}[{label}]", scope.description, scope.origin.file,
                                  scope.origin.line, rule.source, rule.status)
            node.children.append(item_node)
            child._stack.append(item_node)
            try:
                outputs = {rule_id[len(scope.prefix):]: child.run(r) for rule_id, r in scope.rules.items()}
            except ExpressionEvalError as exc:
                raise EvaluationError(f"{rule.origin}: rule '{rule.id}', item {label}: {exc}") from None
            record = Record(dict(item) | outputs | {"label": label})
            item_node.output = Record(outputs)
            results.append(record)
        return tuple(results)

    def _select(self, rule: Rule, node: TraceNode) -> tuple[Record, ...]:
        """Filter, keep the best per key, guarantee the required ones, take the top N; record each choice."""
        spec = rule.select
        assert spec is not None
        records: tuple[Record, ...] = self.value(spec.source) or ()
        limit = spec.limit.evaluate(self.value) if spec.limit else None
        choices: dict[int, Choice] = {}

        def key(record: Record) -> tuple:
            parts: list[Any] = []
            for field in spec.order_by:
                value = record[field.lstrip("-")]
                missing = value is None
                if field.startswith("-") and not missing:
                    value = -value
                parts += [missing, value if not missing else 0]
            return tuple(parts)

        pool = []
        for index, record in enumerate(records):
            if spec.where and record[spec.where] is not True:
                choices[index] = Choice(record["label"], False,
                                        spec.where_reason or f"not counted: {spec.where} is false")
            else:
                pool.append(index)
        if spec.best_per:
            best: dict[Any, int] = {}
            for index in sorted(pool, key=lambda i: key(records[i])):
                group = records[index][spec.best_per]
                if group in best:
                    choices[index] = Choice(records[index]["label"], False,
                                            f"{records[best[group]]['label']} scored higher for the same {spec.best_per}")
                else:
                    best[group] = index
            pool = list(best.values())
        pool.sort(key=lambda i: key(records[i]))
        chosen: list[int] = []
        if spec.required:
            needed = [i for i in pool if records[i][spec.required.field] is True][:spec.required.count]
            chosen += needed
            for i in needed:
                choices[i] = Choice(records[i]["label"], True, f"required: {spec.required.field}")
        reserved = spec.required.count - len(chosen) if spec.required and spec.required.reserve else 0
        room = None if limit is None else int(limit) - len(chosen) - reserved
        for index in pool:
            if index in chosen:
                continue
            if room is None or room > 0:
                chosen.append(index)
                choices[index] = Choice(records[index]["label"], True,
                                        "among the highest" if limit is not None else "counted")
                room = None if room is None else room - 1
            else:
                choices[index] = Choice(records[index]["label"], False, f"outside the {limit} counted")
        chosen.sort(key=lambda i: key(records[i]))
        node.selection = [choices[i] for i in range(len(records))]
        return tuple(records[i] for i in chosen)
