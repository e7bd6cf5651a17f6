"""Evaluate a rulebook's rules for one case's facts, lazily, recording a trace tree."""

from __future__ import annotations

from decimal import Decimal, DecimalException, localcontext
from time import monotonic
from typing import Any

from engine.errors import EvaluationError
from engine.expr import CONTEXT, ExpressionEvalError, Record, round_decimal
from engine.expr.functions import kind_of
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules
from engine.rulebook.tables import describe
from engine.trace import Choice, MatchedRow, RoundingApplied, TraceNode
from engine.trace.node import Describe, ItemStep, Kind

_FACT: tuple[Kind, None, None] = ("fact", None, None)
_ITEM: tuple[Kind, None, None] = ("item", None, None)


class Evaluation:
    """One case (or one item of a scope) under one rulebook: each rule runs at most once, on first need.

    Every value read is kept by name, so a name is resolved once per case; rules run under the
    expression language's decimal context, entered once per case.
    """

    __slots__ = ("rulebook", "facts", "parent", "scope", "item", "roots", "_results", "_values", "_node",
                 "_describe", "deadline")

    def __init__(self, rulebook: Rulebook, facts: dict[str, Any], parent: Evaluation | None = None,
                 scope: ScopeRules | None = None, item: Record | None = None, seconds: float | None = None):
        """`seconds`: the time the whole evaluation may take (an item of a scope shares its case's)."""
        self.deadline = parent.deadline if parent is not None else (
            monotonic() + seconds if seconds is not None else None)
        self.rulebook = rulebook
        self.facts = facts
        self.parent = parent
        self.scope = scope
        self.item = item
        self.roots: list[TraceNode] = []
        self._results: dict[str, Any] = {}
        self._values: dict[str, Any] = {} if parent is not None else _parameter_values(rulebook) | facts
        self._node: TraceNode | None = None
        self._describe = _describer(rulebook, scope, parent._describe if parent is not None else None)

    def value(self, name: str) -> Any:
        """The value of a fact, parameter, item field or rule output, recorded as read by the current step."""
        node = self._node
        if node is None:
            return self._resolve(name)
        read = node.values
        if name in read:
            return read[name]
        known = self._values
        value = read[name] = known[name] if name in known else self._resolve(name)
        return value

    def _resolve(self, name: str) -> Any:
        scope = self.scope
        if scope is not None and name.startswith(scope.prefix):
            rule = scope.rules.get(name)
            if rule is not None:
                return self._run(rule)
            assert self.item is not None
            field = name[len(scope.prefix):]
            if field not in self.item:
                raise ExpressionEvalError(f"the item has no field '{field}' (scope '{scope.name}' declares it; "
                                          f"the item has {', '.join(sorted(self.item)) or 'no field'})")
            return self.item[field]
        if self.parent is not None:
            return self.parent._resolve(name)
        values = self._values
        if name in values:
            return values[name]
        rule, column = self.rulebook.outputs[name]
        result = self._run(rule)
        value = values[name] = result[column] if column is not None else result
        return value

    def run(self, rule: Rule) -> Any:
        """Evaluate a rule (once) and return its output."""
        if rule.id in self._results:
            return self._results[rule.id]
        with localcontext(CONTEXT):
            return self._run(rule)

    def _run(self, rule: Rule) -> Any:
        results = self._results
        if rule.id in results:
            return results[rule.id]
        if self.deadline is not None and monotonic() > self.deadline:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': the evaluation took longer than its time "
                                  "limit and was stopped")
        node = TraceNode(rule, self._describe)
        outer = self._node
        (outer.children if outer is not None else self.roots).append(node)
        self._node = node
        try:
            expression = rule.expression
            if expression is not None:
                output = expression.run(self.value)
                if rule.rounding is not None and isinstance(output, Decimal):
                    output = self._round(rule, node, output)
            elif rule.lookup:
                output = self._lookup(rule, node)
            elif rule.each:
                output = self._each(rule, node)
            else:
                output = self._select(rule, node)
        except ExpressionEvalError as exc:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': {exc}") from None
        except DecimalException as exc:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': arithmetic error ({type(exc).__name__})") from None
        except (TypeError, KeyError) as exc:
            raise EvaluationError(f"{rule.origin}: rule '{rule.id}': cannot be evaluated for this case "
                                  f"({type(exc).__name__}: {exc}); run `mips rulebook validate`") from None
        finally:
            self._node = outer
        node.output = output
        results[rule.id] = output
        return output

    def run_all(self, first: list[str], prefixes: tuple[str, ...]) -> list[TraceNode]:
        """Evaluate the named outputs (they head the trace), then the rules whose ids have these prefixes.

        Rules nothing reads are not run: the trace holds only what the result rests on.
        """
        with localcontext(CONTEXT):
            for name in first:
                self.value(name)
            for rule in _rules_with_prefixes(self.rulebook, prefixes):
                self._run(rule)
        return self.roots

    def _round(self, rule: Rule, node: TraceNode, value: Decimal) -> Decimal:
        assert rule.rounding is not None
        rounded = round_decimal(value, rule.rounding.places, rule.rounding.mode)
        node.rounding = RoundingApplied(rule.rounding.places, rule.rounding.mode, value, rounded)
        return rounded

    def _lookup(self, rule: Rule, node: TraceNode) -> dict[str, Any]:
        spec = rule.lookup
        assert spec is not None
        table = spec.table
        situation = {name: expr.run(self.value) for name, expr in spec.inputs.items()}
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
        items = spec.items.run(self.value)
        if items is None:
            return ()
        if type(items) is not tuple or not all(type(item) is Record for item in items):
            raise ExpressionEvalError(f"each.items must give a list of records, and gives {_kind(items)}")
        results = []
        rules = [(rule_id[len(scope.prefix):], r) for rule_id, r in scope.rules.items()]
        for item in items:
            child = Evaluation(self.rulebook, self.facts, parent=self, scope=scope, item=item)
            label = spec.label.run(child.value)
            item_node = TraceNode(ItemStep(f"{rule.id}[{label}]", scope.description, scope.origin, rule.source,
                                           rule.status), child._describe)
            node.children.append(item_node)
            child._node = item_node
            try:
                outputs = {name: child._run(r) for name, r in rules}
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
        if type(records) is not tuple or not all(type(record) is Record for record in records):
            raise ExpressionEvalError(f"select.from must name a list of records, and {spec.source} is "
                                      f"{_kind(records)}")
        limit = spec.limit.run(self.value) if spec.limit else None
        if limit is not None and (type(limit) is not Decimal or limit != limit.to_integral_value()):
            raise ExpressionEvalError(f"select.limit must be a whole number, and is {_kind(limit)}")
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


def _kind(value: Any) -> str:
    """What a value is, as messages say it."""
    if value is None:
        return "missing"
    if type(value) is tuple:
        return "a list of " + " and ".join(sorted({f"{kind_of(item)}s" for item in value})) if value else "an empty list"
    return f"a {kind_of(value)}"


def _parameter_values(rulebook: Rulebook) -> dict[str, Any]:
    """Every parameter's value by name (derived once per rulebook)."""
    key = ("evaluate.parameter_values",)
    values = rulebook.derived.get(key)
    if values is None:
        values = rulebook.derived[key] = {name: p.value for name, p in rulebook.parameters.items()}
    return values


def _rules_with_prefixes(rulebook: Rulebook, prefixes: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules whose ids start with one of `prefixes`, in rulebook order (derived once per rulebook)."""
    key = ("evaluate.rules_with_prefixes", prefixes)
    rules = rulebook.derived.get(key)
    if rules is None:
        rules = rulebook.derived[key] = tuple(r for r in rulebook.rules.values() if r.id.startswith(prefixes))
    return rules


def _describer(rulebook: Rulebook, scope: ScopeRules | None, outer: Describe | None) -> Describe:
    """What each name read under a scope (or at case level) is (derived once per rulebook and scope)."""
    key = ("evaluate.describer", scope.name if scope is not None else None, outer)
    found = rulebook.derived.get(key)
    if found is not None:
        return found
    parameters, outputs = rulebook.parameters, rulebook.outputs

    def describe_case(name: str) -> tuple[Kind, str | None, str | None]:
        if name.startswith("facts."):
            return _FACT
        if name.startswith("params."):
            param = parameters[name]
            return "param", param.source, param.status
        rule = outputs[name][0]
        return "rule", rule.source, rule.status

    def describe_item(name: str) -> tuple[Kind, str | None, str | None]:
        assert scope is not None and outer is not None
        if name.startswith(scope.prefix):
            rule = scope.rules.get(name)
            return ("rule", rule.source, rule.status) if rule is not None else _ITEM
        return outer(name)

    found = rulebook.derived[key] = describe_case if scope is None else describe_item
    return found
