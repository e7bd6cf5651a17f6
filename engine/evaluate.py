"""Evaluate a rulebook's compiled rules (engine/steps.py) for one case's facts, lazily, recording a trace tree."""

from __future__ import annotations

from decimal import Decimal, DecimalException, localcontext
from time import monotonic
from typing import Any, Callable, NamedTuple

from engine.errors import EvaluationError
from engine.expr import CONTEXT, ExpressionEvalError, Record, round_decimal
from engine.expr.evaluator import normal_value
from engine.expr.functions import kind_of
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules
from engine.rulebook.tables import describe
from engine.steps import Steps, compile_rules
from engine.trace import Choice, MatchedRow, RoundingApplied, TraceNode
from engine.trace.node import Describe, ItemStep, Kind, Where

_FACT: tuple[Kind, None, None] = ("fact", None, None)
_ITEM: tuple[Kind, None, None] = ("item", None, None)


class Evaluation:
    """One case under one rulebook: each rule runs at most once, on first need, as its compiled step.

    Every value read is kept by name, so a name is resolved once per case; rules run under the
    expression language's decimal context, entered once per case. Facts are named `facts.*`:
    the compiled rules read parameters as the constants the rulebook gives them.
    """

    __slots__ = ("rulebook", "facts", "roots", "deadline", "_results", "_values", "_steps", "_describe")

    def __init__(self, rulebook: Rulebook, facts: dict[str, Any], seconds: float | None = None):
        """`seconds`: the time the whole evaluation may take."""
        self.deadline = monotonic() + seconds if seconds is not None else None
        self.rulebook = rulebook
        self.facts = facts
        self.roots: list[TraceNode] = []
        self._results: dict[str, Any] = {}
        self._values: dict[str, Any] = _parameter_values(rulebook) | facts
        self._steps = _compiled(rulebook)
        self._describe = _describer(rulebook, None, None)

    def value(self, name: str) -> Any:
        """The value of a fact, parameter or rule output (a rule it runs joins the trace's roots)."""
        return self._resolve(name, None)

    def _resolve(self, name: str, parent: TraceNode | None) -> Any:
        values = self._values
        if name in values:
            return values[name]
        rule, column = self.rulebook.outputs[name]
        result = self._run(rule, parent)
        value = values[name] = result[column] if column is not None else result
        return value

    def run(self, rule: Rule) -> Any:
        """Evaluate a rule (once) and return its output."""
        if rule.id in self._results:
            return self._results[rule.id]
        with localcontext(CONTEXT):
            return self._run(rule, None)

    def _run(self, rule: Rule, parent: TraceNode | None) -> Any:
        """Run a rule once, its step a child of `parent` (else a root)."""
        return self._steps.case[rule.id](self, parent)

    def run_all(self, first: list[str], prefixes: tuple[str, ...]) -> list[TraceNode]:
        """Evaluate the named outputs (they head the trace), then the rules whose ids have these prefixes.

        Rules nothing reads are not run: the trace holds only what the result rests on.
        """
        results, steps = self._results, self._steps.case
        with localcontext(CONTEXT):
            for name in first:
                self._resolve(name, None)
            for rule_id in _rules_with_prefixes(self.rulebook, prefixes):
                if rule_id not in results:
                    steps[rule_id](self, None)
        return self.roots


class _Item:
    """The item of a scope whose rules run: its fields, its rules' outputs, and the `each` step that rules
    of the enclosing level first read by its rules join. One per `each` step, given each item in turn."""

    __slots__ = ("evaluation", "scope", "item", "results", "outer", "node", "describe", "plan")

    def __init__(self, evaluation: Evaluation, scope: ScopeRules, outer: _Item | None, node: TraceNode,
                 describe: Describe, plan: _EachPlan):
        self.evaluation = evaluation
        self.scope = scope
        self.item: Record = Record({})
        self.results: dict[str, Any] = {}
        self.outer = outer
        self.node = node
        self.describe = describe
        self.plan = plan

    def resolve(self, name: str, parent: TraceNode | None) -> Any:
        """A name read in this item's scope: one of its rules, a field of the item, or the enclosing level's."""
        scope = self.scope
        if name.startswith(scope.prefix):
            rule = scope.rules.get(name)
            if rule is not None:
                return self.evaluation._steps.scopes[scope.name][rule.id](self.evaluation, self, parent)
            field = name[len(scope.prefix):]
            return self.item[field] if field in self.item else self.no_field(field)
        return self.up(name)

    def up(self, name: str) -> Any:
        """A name outside the scope, resolved by the enclosing level; a rule it runs joins the `each` step."""
        if self.outer is None:
            return self.evaluation._resolve(name, self.node)
        return self.outer.resolve(name, self.node)

    def no_field(self, field: str) -> Any:
        raise ExpressionEvalError(f"the item has no field '{field}' (scope '{self.scope.name}' declares it; "
                                  f"the item has {', '.join(sorted(self.item)) or 'no field'})")


def _late(rule: Rule) -> EvaluationError:
    return EvaluationError(f"{rule.origin}: rule '{rule.id}': the evaluation took longer than its time "
                           "limit and was stopped")


def _failed(rule: Rule, exc: Exception) -> EvaluationError:
    """The error of a rule that met a value it cannot use."""
    if isinstance(exc, ExpressionEvalError):
        return EvaluationError(f"{rule.origin}: rule '{rule.id}': {exc}")
    if isinstance(exc, DecimalException):
        return EvaluationError(f"{rule.origin}: rule '{rule.id}': arithmetic error ({type(exc).__name__})")
    return EvaluationError(f"{rule.origin}: rule '{rule.id}': cannot be evaluated for this case "
                           f"({type(exc).__name__}: {exc}); run `mips rulebook validate`")


def _round(rule: Rule, node: TraceNode, value: Decimal) -> Decimal:
    assert rule.rounding is not None
    rounded = round_decimal(value, rule.rounding.places, rule.rounding.mode)
    node.rounding = RoundingApplied(rule.rounding.places, rule.rounding.mode, value, rounded)
    return rounded


def _lookup(rule: Rule, node: TraceNode, situation: dict[str, Any]) -> dict[str, Any]:
    spec = rule.lookup
    assert spec is not None
    table = spec.table
    row = table.match(situation)
    if row is None:
        unreachable = table.is_unreachable(situation)
        why = f" (declared unreachable: {unreachable.reason})" if unreachable else ""
        raise EvaluationError(f"{rule.origin}: rule '{rule.id}': no row of table '{table.name}' "
                              f"({table.file}) matches {describe(situation)}{why}")
    node.row = MatchedRow(table.name, row.file, row.id, row.label, row.line, dict(row.when),
                          situation, row.source, row.status, row.note)
    return {column: row.then[column] for column in spec.outputs}


class _EachPlan(NamedTuple):
    """What an `each` rule's steps share for every case: its scope, what names read in it are, its rules'
    names within the scope, and the words and place of each item's step."""

    scope: ScopeRules
    describe: Describe
    names: tuple[str, ...]
    step: tuple[str, Where, str, str]


def _plan(rulebook: Rulebook, rule: Rule, outer: Describe) -> _EachPlan:
    """The plan of an `each` rule run at a level described by `outer` (derived once per rulebook)."""
    key = ("evaluate.each", rule.id, outer)
    plan = rulebook.derived.get(key)
    if plan is None:
        assert rule.each is not None
        scope = rulebook.scopes[rule.each.scope]
        plan = rulebook.derived[key] = _EachPlan(
            scope, _describer(rulebook, scope, outer), tuple(name[len(scope.prefix):] for name in scope.rules),
            (scope.description, scope.origin, rule.source, rule.status))
    return plan


_RECORDS = frozenset((Record,))


def _each(evaluation: Evaluation, outer: _Item | None, rule: Rule, node: TraceNode, items: Any) -> tuple[Record, ...]:
    """Run the scope's rules for every item; each result record holds the item's fields and outputs."""
    context = _scope_item(evaluation, outer, rule, node, items)
    if context is None:
        return ()
    label_of = evaluation._steps.labels[rule.id]
    description, origin, source, status = context.plan.step
    steps = tuple(zip(context.plan.names, evaluation._steps.scopes[context.scope.name].values()))
    deadline, children, describe, results = evaluation.deadline, node.children, context.describe, []
    for item in items:
        if deadline is not None and monotonic() > deadline:
            raise _late(rule)
        context.item, context.results = item, {}
        label = label_of(evaluation, context)
        item_node = TraceNode(ItemStep(f"{rule.id}[{label}]", description, origin, source, status), describe)
        children.append(item_node)
        outputs = {}
        for name, step in steps:
            outputs[name] = step(evaluation, context, item_node)
        results.append(Record({**item, **outputs, "label": label}))
        item_node.output = Record(outputs)
    return tuple(results)


def _scope_item(evaluation: Evaluation, outer: _Item | None, rule: Rule, node: TraceNode,
                items: Any) -> _Item | None:
    """The item context an `each` step gives each of its items in turn, once the items are checked to be a
    list of records; None when they are missing. The per-item loop is `_each`'s, or the rule's compiled one
    (engine/steps.py), with the same effects."""
    if items is None:
        return None
    if type(items) is not tuple or not _RECORDS.issuperset(map(type, items)):
        raise ExpressionEvalError(f"each.items must give a list of records, and gives {_kind(items)}")
    plan = _plan(evaluation.rulebook, rule, outer.describe if outer is not None else evaluation._describe)
    return _Item(evaluation, plan.scope, outer, node, plan.describe, plan)


def _records(records: Any, source: str) -> tuple[Record, ...]:
    """What a selection reads, checked to be a list of records."""
    if type(records) is not tuple or not _RECORDS.issuperset(map(type, records)):
        raise ExpressionEvalError(f"select.from must name a list of records, and {source} is {_kind(records)}")
    return records


def _select(rule: Rule, node: TraceNode, records: tuple[Record, ...], limit: Any) -> tuple[Record, ...]:
    """Filter, keep the best per key, guarantee the required ones, take the top N; record each choice."""
    spec = rule.select
    assert spec is not None
    if limit is not None and (type(limit) is not Decimal or limit != limit.to_integral_value()):
        raise ExpressionEvalError(f"select.limit must be a whole number, and is {_kind(limit)}")
    choices: dict[int, Choice] = {}
    pool = []
    for index, record in enumerate(records):
        if spec.where and record[spec.where] is not True:
            choices[index] = Choice(record["label"], False,
                                    spec.where_reason or f"not counted: {spec.where} is false")
        else:
            pool.append(index)
    key = {index: _order(spec.order_by, records[index]) for index in pool}.__getitem__
    if spec.best_per:
        best: dict[Any, int] = {}
        for index in sorted(pool, key=key):
            group = records[index][spec.best_per]
            if group in best:
                choices[index] = Choice(records[index]["label"], False,
                                        f"{records[best[group]]['label']} scored higher for the same {spec.best_per}")
            else:
                best[group] = index
        pool = list(best.values())
    pool.sort(key=key)
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
    chosen.sort(key=key)
    node.selection = [choices[i] for i in range(len(records))]
    return tuple(records[i] for i in chosen)


def _order(order_by: tuple[str, ...], record: Record) -> tuple:
    """A record's sort key: per field (`-field` descending), missing values last."""
    parts: list[Any] = []
    for field in order_by:
        value = record[field.lstrip("-")]
        missing = value is None
        if field.startswith("-") and not missing:
            value = -value
        parts += [missing, value if not missing else 0]
    return tuple(parts)


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


def _rules_with_prefixes(rulebook: Rulebook, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The ids of the rules that start with one of `prefixes`, in rulebook order (derived once per rulebook)."""
    key = ("evaluate.rules_with_prefixes", prefixes)
    rules = rulebook.derived.get(key)
    if rules is None:
        rules = rulebook.derived[key] = tuple(r.id for r in rulebook.rules.values() if r.id.startswith(prefixes))
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


def _reader(evaluation: Evaluation, item: _Item | None, node: TraceNode | None) -> Callable[[str], Any]:
    """A lookup of names for the evaluator's closures, reading as a compiled step does."""
    def read(name: str) -> Any:
        values = node.values if node is not None else None
        if values is not None and name in values:
            return values[name]
        value = evaluation._resolve(name, node) if item is None else item.resolve(name, node)
        if values is not None:
            values[name] = value
        return value
    return read


def _interpreted(rule: Rule, scoped: bool, label: bool) -> Callable[..., Any]:
    """The step of a rule's first runs in a process, by the expression evaluator's closures: the same trace,
    values and errors as its compiled step, without the cost of compiling it (engine/steps.py)."""
    if label:
        assert rule.each is not None
        return lambda evaluation, item: rule.each.label.run(_reader(evaluation, item, None))

    def run(evaluation: Evaluation, item: _Item | None, parent: TraceNode | None) -> Any:
        results = item.results if item is not None else evaluation._results
        if rule.id in results:
            return results[rule.id]
        if item is None and evaluation.deadline is not None and monotonic() > evaluation.deadline:
            raise _late(rule)  # a scope's rules: at each item (_each)
        node = TraceNode(rule, item.describe if item is not None else evaluation._describe)
        if parent is not None:
            parent.children.append(node)
        elif item is None:
            evaluation.roots.append(node)
        read = _reader(evaluation, item, node)
        try:
            if rule.expression is not None:
                output = rule.expression.run(read)
                if rule.rounding is not None and isinstance(output, Decimal):
                    output = _round(rule, node, output)
            elif rule.lookup is not None:
                output = _lookup(rule, node, {name: e.run(read) for name, e in rule.lookup.inputs.items()})
            elif rule.each is not None:
                output = _each(evaluation, item, rule, node, rule.each.items.run(read))
            else:
                spec = rule.select
                assert spec is not None
                records = _records(read(spec.source) or (), spec.source)
                output = _select(rule, node, records, spec.limit.run(read) if spec.limit else None)
        except (ExpressionEvalError, DecimalException, TypeError, KeyError) as exc:
            raise _failed(rule, exc) from None
        node.output = results[rule.id] = output
        return output
    return run if scoped else lambda evaluation, parent: run(evaluation, None, parent)


_RUNTIME = {"_interpreted": _interpreted, "_round": _round, "_lookup": _lookup, "_scope_item": _scope_item,
            "_ItemStep": ItemStep, "_tuple_new": tuple.__new__, "_records": _records,
            "_select": _select, "_normal": normal_value, "_reader": _reader, "_Node": TraceNode, "_monotonic": monotonic,
            "_late": _late, "_failed": _failed, "_FAILURES": (ExpressionEvalError, DecimalException, TypeError, KeyError)}
"""What the compiled steps call (engine/steps.py)."""


def _compiled(rulebook: Rulebook) -> Steps:
    """The rulebook's compiled rules (compiled once per rulebook and process)."""
    key = ("evaluate.steps",)
    steps = rulebook.derived.get(key)
    if steps is None:
        steps = rulebook.derived[key] = compile_rules(rulebook, _RUNTIME)
    return steps
