"""A rulebook's rules compiled into Python functions, each once per rulebook and process.

Each rule becomes one function that runs it once per case (or item): it adds the rule's trace node
and computes its value with the whole expression inlined (engine/expr/codegen.py); a name it reads
is a dictionary lookup, with a direct call of the rule that gives it on a miss, recorded in the
node in first-read order. Lookups, scopes (`each`) and selections compute their inputs the same way
and hand them to the evaluation's runtime (engine/evaluate.py). A rule is compiled after its first
INTERPRETED_RUNS runs in the process, which the runtime interprets with the same effects. The
generated source holds no text of the rulebook: names and strings enter it as `repr()` of strings,
every other value as a constant of the module.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Mapping, NamedTuple

from engine.expr.codegen import NAMESPACE, Emitter, kind
from engine.expr.errors import ExpressionEvalError
from engine.expr.evaluator import NORMAL_TYPES, compile_node, normal_value
from engine.expr.nodes import Arith, BoolOp, Call, Compare, Conditional, ListExpr, Literal, Name, Node, Unary
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules

INTERPRETED_RUNS = 8
"""Runs of a rule in a process by the expression evaluator's closures before it is compiled: compiling
a rule costs about as much as running it interpreted tens of times, so a single case, whose scopes run
a rule once per item, compiles nothing, and a batch compiles each rule it keeps running."""

Step = Callable[..., Any]
"""A compiled rule: (evaluation, parent node or None) -> output for a case-level rule, (evaluation, item,
parent node or None) -> output for a scope's rule, (evaluation, item) -> label for an item's label."""


class Steps(NamedTuple):
    """The compiled rules of one rulebook: case-level by rule id, each scope's by scope and rule id, and
    the label of each `each` rule by its id."""

    case: dict[str, Step]
    scopes: dict[str, dict[str, Step]]
    labels: dict[str, Step]


def compile_rules(rulebook: Rulebook, runtime: Mapping[str, Any]) -> Steps:
    """The rules of `rulebook`, each compiled once it ran INTERPRETED_RUNS times; `runtime` names the
    evaluation helpers the steps call, `_interpreted(rule, scoped, label)` the step of a rule's first runs."""
    module = _Module(rulebook, runtime)
    steps = Steps({}, {scope.name: {} for scope in rulebook.scopes.values()}, {})
    for rule in rulebook.rules.values():
        module.stub(steps.case, rule, None)
    for scope in rulebook.scopes.values():
        for rule in scope.rules.values():
            module.stub(steps.scopes[scope.name], rule, scope)
    for rule in _each_rules(rulebook):
        module.stub(steps.labels, rule, None, label=True)
    return steps


def _each_rules(rulebook: Rulebook) -> list[Rule]:
    rules = list(rulebook.rules.values()) + [r for scope in rulebook.scopes.values() for r in scope.rules.values()]
    return [rule for rule in rules if rule.each is not None]


class _Module:
    """The source of the generated module and its constants."""

    def __init__(self, rulebook: Rulebook, runtime: Mapping[str, Any]):
        self.rulebook = rulebook
        self.namespace = dict(NAMESPACE) | dict(runtime) | {"_NT": NORMAL_TYPES}
        self.count = itertools.count()
        self.case_names = set(rulebook.outputs)
        self.label_names: dict[str, str] = {}
        """The function name of each `each` rule's label, by rule id."""
        self.parameters = {name: p.value for name, p in rulebook.parameters.items()}
        self.names = {(None, rule.id): f"_rule{i}" for i, rule in enumerate(rulebook.rules.values())}
        for i, scope in enumerate(rulebook.scopes.values()):
            self.names.update({(scope.name, rule.id): f"_scope{i}_{j}" for j, rule in enumerate(scope.rules.values())})

    def kind(self, name: str, scope: ScopeRules | None) -> type | None:
        """The type a rule output always has, where its expression's form settles it."""
        rule = scope.rules.get(name) if scope is not None and name.startswith(scope.prefix) else (
            self.rulebook.outputs[name][0] if name in self.rulebook.outputs and not name.startswith("facts.") else None)
        return kind(rule.expression.node) if rule is not None and rule.expression is not None else None

    def normal(self, name: str, scope: ScopeRules | None) -> bool:
        """Whether every value the rule output `name` can have is one the language reads unchanged."""
        if scope is not None and name.startswith(scope.prefix):
            rule = scope.rules.get(name)
            return rule is not None and _normal_rule(rule, None)
        if name.startswith(("facts.", "params.")) or name not in self.rulebook.outputs:
            return False
        return _normal_rule(*self.rulebook.outputs[name])

    def constant(self, value: Any) -> str:
        name = f"_k{next(self.count)}"
        self.namespace[name] = value
        return name

    def stub(self, table: dict[str, Step], rule: Rule, scope: ScopeRules | None, label: bool = False) -> None:
        """Put in `table` (and the module) the rule's (or its label's) step: the runtime's interpreted step
        for its first INTERPRETED_RUNS runs in the process, compiled at the next."""
        name = f"_label{len(table)}" if label else self.names[scope.name if scope else None, rule.id]
        if label:
            self.label_names[rule.id] = name

        def second(*args: Any) -> Any:
            if table[rule.id] is second:  # else compiled already, at a call through the same stub
                lines = self.label(rule, name) if label else self.rule(rule, scope)
                exec(compile("\n".join(lines), f"<rules of {self.rulebook.root}>", "exec"), self.namespace)
                table[rule.id] = self.namespace[name]
            return table[rule.id](*args)

        interpreted = self.namespace["_interpreted"](rule, scope is not None, label)
        runs = itertools.count(1)

        def first(*args: Any) -> Any:
            if next(runs) >= INTERPRETED_RUNS:
                table[rule.id] = self.namespace[name] = second
            return interpreted(*args)

        table[rule.id] = self.namespace[name] = first

    def rule(self, rule: Rule, scope: ScopeRules | None) -> list[str]:
        """The function running one rule once: its trace node, its value, its errors located."""
        body = _Body(self, scope, recorded=True)
        extra: list[str] = []
        if rule.expression is not None:
            result = body.emit(rule.expression.node)
            if rule.rounding is not None:
                body.line(f"if isinstance({result}, _D): {result} = _round({self.constant(rule)}, n, {result})")
        elif rule.lookup is not None:
            situation = body.out.temp()
            body.line(f"{situation} = {{}}")
            for name, expression in rule.lookup.inputs.items():
                body.line(f"{situation}[{name!r}] = {body.emit(expression.node)}")
            result = f"_lookup({self.constant(rule)}, n, {situation})"
        elif rule.each is not None:
            items = body.emit(rule.each.items.node)
            loop = f"{self.names[scope.name if scope else None, rule.id]}_items"
            extra = self.items(rule, loop)
            result = f"{loop}(ev, _scope_item(ev, {'x' if scope else 'None'}, {self.constant(rule)}, n, {items}), n, {items})"
        else:
            spec = rule.select
            assert spec is not None
            records = body.out.temp()
            body.read(spec.source, records, _BODY, normal=False)
            body.line(f"{records} = _records({records} or (), {spec.source!r})")
            limit = body.emit(spec.limit.node) if spec.limit is not None else "None"
            result = f"_select({self.constant(rule)}, n, {records}, {limit})"
        item, known, describe = ("x, ", "x.results", "x.describe") if scope else ("", "ev._results", "ev._describe")
        ident, constant = repr(rule.id), self.constant(rule)
        late = f"    if ev.deadline is not None and _monotonic() > ev.deadline: raise _late({constant})"
        return [
            *extra,
            f"def {self.names[scope.name if scope else None, rule.id]}(ev, {item}p):",
            f"    rs = {known}",
            f"    if {ident} in rs: return rs[{ident}]",
            *([] if scope else [late]),  # a scope's rules: at each item (engine/evaluate.py _each)
            f"    n = _Node({constant}, {describe})",
            "    if p is not None: p.children.append(n)" if scope else
            "    if p is None: ev.roots.append(n)\n    else: p.children.append(n)",
            "    try:",
            *body.prologue(), *body.lines, f"        t0 = {result}",
            "    except _FAILURES as exc:",
            f"        raise _failed({constant}, exc) from None",
            f"    n.output = rs[{ident}] = t0",
            "    return t0"]

    def items(self, rule: Rule, name: str) -> list[str]:
        """The function running an `each` rule's scope for every item, as engine/evaluate.py `_each` does: each
        item's step (`rule[label]`) with the step of each of the scope's rules as its children, and the item's
        record of its fields, outputs and label."""
        assert rule.each is not None
        scope = self.rulebook.scopes[rule.each.scope]
        step = ", ".join(map(self.constant, (scope.description, scope.origin, rule.source, rule.status)))
        outputs = [(repr(rule_id[len(scope.prefix):]), f"o{i}", self.names[scope.name, rule_id])
                   for i, rule_id in enumerate(scope.rules)]
        record = "".join(f"{key}: {value}, " for key, value, _ in outputs)
        return [
            f"def {name}(ev, x, n, items):",
            "    if x is None: return ()",
            "    dl, ch, d, rs = ev.deadline, n.children, x.describe, []",
            "    for it in items:",
            f"        if dl is not None and _monotonic() > dl: raise _late({self.constant(rule)})",
            "        x.item = it",
            "        x.results = {}",
            f"        lb = {self.label_names[rule.id]}(ev, x)",
            f"        m = _Node(_tuple_new(_ItemStep, (f'{{{self.constant(rule.id)}}}[{{lb}}]', {step}, None)), d)",
            "        ch.append(m)",
            *(f"        {value} = {function}(ev, x, m)" for _, value, function in outputs),
            f"        rs.append(_R({{**it, {record}'label': lb}}))",
            f"        m.output = _R({{{record}}})",
            "    return tuple(rs)"]

    def label(self, rule: Rule, name: str) -> list[str]:
        """The function of an `each` rule's item label (evaluated in the item's scope, not recorded)."""
        assert rule.each is not None
        body = _Body(self, self.rulebook.scopes[rule.each.scope], recorded=False)
        result = body.emit(rule.each.label.node)
        return [f"def {name}(ev, x):", *body.prologue(), *body.lines, f"        return {result}"]


_BODY = 2
"""The indentation of a rule's statements (inside its function's `try:`)."""


class _Body:
    """The statements of one step function and how it reads names in its scope."""

    def __init__(self, module: _Module, scope: ScopeRules | None, recorded: bool):
        self.module = module
        self.scope = scope
        self.recorded = recorded
        self.lines: list[str] = []
        self.uses: set[str] = set()
        self.out = Emitter(self.lines, module.constant, self.read, self.deep)

    def line(self, text: str) -> None:
        self.out.line(_BODY, text)

    def emit(self, node: Node) -> str:
        return self.out.emit(node, _BODY)

    def prologue(self) -> list[str]:
        """The local names the statements use, bound once."""
        return ["    " * _BODY + use for use in sorted(self.uses)]

    def read(self, name: str, target: str, indent: int, normal: bool = True) -> type | None:
        """Read a name as Evaluation.value does: once per case, recorded by the step in first-read order;
        returns the type of a parameter's value."""
        scope, parent, kind = self.scope, "n" if self.recorded else "None", None
        if scope is not None and name.startswith(scope.prefix):
            rule = scope.rules.get(name)
            if rule is not None:
                self.uses.add("ir = x.results")
                known, key, miss = "ir", name, f"{self.module.names[scope.name, name]}(ev, x, {parent})"
            else:
                self.uses.add("it = x.item")
                known, key = "it", name[len(scope.prefix):]
                miss = f"x.no_field({key!r})"
        elif name in self.module.parameters:
            value = self.module.parameters[name]
            known, key, miss = "", name, self.module.constant(value)
            normal = normal and not _settled(value, name)
            kind = None if normal else type(value)
        elif scope is None or name.startswith(("facts.", "params.")) or name in self.module.case_names:
            self.uses.add("k = ev._values")
            known, key = "k", name
            miss = f"x.up({name!r})" if scope is not None else self.output(name, parent)
        else:
            known, key, miss = "", name, f"x.up({name!r})"
        if known:
            self.out.line(indent, f"if {key!r} in {known}: {target} = {known}[{key!r}]")
            self.out.line(indent, f"else: {target} = {miss}")
        else:
            self.out.line(indent, f"{target} = {miss}")
        if self.recorded:
            self.uses.add("r = n.values")
            self.out.line(indent, f"r[{name!r}] = {target}")
        if kind is None:
            kind = self.module.kind(name, scope)
        if normal and not self.module.normal(name, scope):
            self.out.line(indent, f"if not (type({target}) is _D and {target}.is_finite() or type({target}) is bool "
                                  f"or {target} is None or type({target}) is str or type({target}) is _R "
                                  f"or type({target}) is tuple and _NT.issuperset(map(type, {target}))): "
                                  f"{target} = _normal({target}, {name!r})")
        return kind

    def output(self, name: str, parent: str) -> str:
        """A rule output the case has not read yet: its rule run (once), the value kept as _resolve keeps it."""
        if name not in self.module.rulebook.outputs:
            return f"ev._resolve({name!r}, {parent})"
        rule, column = self.module.rulebook.outputs[name]
        run = f"{self.module.names[None, rule.id]}(ev, {parent})"
        return f"k[{name!r}] = {run}{'' if column is None else f'[{column!r}]'}"

    def deep(self, node: Node, target: str, indent: int) -> None:
        """A subtree too deep for statements runs as the evaluator's closures, reading through the runtime."""
        self.out.line(indent, f"{target} = {self.module.constant(compile_node(node))}"
                              f"(_reader(ev, {'x' if self.scope else 'None'}, {'n' if self.recorded else 'None'}))")



_NORMAL_CALLS = frozenset(("abs", "all", "any", "clamp", "concat", "count", "decile", "len", "missing", "present",
                           "remove_suffix", "round"))
"""Functions whose result is always a finite number, a boolean or a string."""


def _settled(value: Any, name: str) -> bool:
    """Whether the language reads `value` unchanged (a parameter's, checked once per rulebook)."""
    try:
        return normal_value(value, name) is value
    except ExpressionEvalError:
        return False


def _normal_rule(rule: Rule, column: str | None) -> bool:
    """Whether a rule's output (or column) is always read unchanged: it needs no check when read."""
    if rule.expression is not None:
        return _normal(rule.expression.node)
    if rule.lookup is not None:
        columns = [column] if column is not None else list(rule.lookup.outputs)
        return column is not None and all(_settled(row.then[c], c) for row in rule.lookup.table.rows for c in columns)
    return True  # `each` and `select` give lists of records


def _normal(node: Node) -> bool:
    """Whether an expression's value is always read unchanged: names read are checked already, arithmetic
    under the language's traps stays finite, and some functions give only numbers, booleans or strings."""
    if isinstance(node, (Literal, Name, Unary, BoolOp, Compare, Arith)):
        return True
    if isinstance(node, ListExpr):
        return all(map(_normal, node.items))
    if isinstance(node, Conditional):
        return _normal(node.body) and _normal(node.orelse)
    if isinstance(node, Call):
        if node.name in ("coalesce", "min", "max"):
            return (node.name == "coalesce" or len(node.args) > 1) and all(map(_normal, node.args))
        return node.name in _NORMAL_CALLS
    return False
