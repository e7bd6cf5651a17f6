"""Whole-rulebook checks: required outputs, references that resolve in this year, no dependency cycles."""

from __future__ import annotations

import difflib

from engine.expr import Expression
from engine.expr.parser import parse
from engine.rulebook import contract
from engine.rulebook.compiled import Rule, Rulebook, ScopeRules
from engine.rulebook.documents import Document, FolderReader


def check_outputs(loader: FolderReader, rulebook: Rulebook, manifest_doc: Document) -> None:
    owners: dict[str, Rule] = {}
    for rule in rulebook.rules.values():
        for name in rule.outputs:
            if name.startswith(("facts.", "params.")):
                loader.problem(rule.origin.file, rule.origin.line, rule.id,
                               f"output '{name}' may not start with 'facts.' or 'params.'")
            if name in owners and owners[name] is not rule:
                loader.problem(rule.origin.file, rule.origin.line, rule.id,
                               f"output '{name}' is also produced by rule '{owners[name].id}' at {owners[name].origin}")
            owners[name] = rule
    if loader.incomplete("rules", "tables"):
        return  # a rule of a file that failed to load (or reading a table that did) may produce them
    for name in contract.required_outputs(rulebook.categories):
        if name not in rulebook.outputs:
            loader.problem(manifest_doc, 1, "", f"no rule produces '{name}'; every rulebook must define it "
                           "(results have the same shape in every year)")


MAX_DEPTH = 500
"""Deepest chain of nested evaluation a rulebook may ask for: each rule on the chain counts RULE_DEPTH,
each level of nesting in its deepest expression 1 and each `each` rule EACH_DEPTH more. The bound keeps
evaluation, traces and explanations well inside what the interpreter can nest."""
RULE_DEPTH = 6
EACH_DEPTH = 4


def check_references(loader: FolderReader, rulebook: Rulebook, facts: set[str]) -> None:
    """Every name read resolves; each/select rules point at real scopes and lists; no cycles, and no chain
    of rules deeper than MAX_DEPTH."""
    known = facts | set(rulebook.parameters) | set(rulebook.outputs)
    graph = _reference_graph(loader, rulebook, rulebook.rules, known, None)
    rules: dict[str, Rule] = dict(rulebook.rules)
    for rule in rulebook.rules.values():
        if rule.each and rule.each.scope not in rulebook.scopes:
            loader.problem(rule.origin.file, rule.origin.line, rule.id, f"no scope '{rule.each.scope}'; "
                           f"scopes: {', '.join(rulebook.scopes) or 'none'}")
        elif rule.each:
            scope = rulebook.scopes[rule.each.scope]
            graph[rule.id] |= {_key(scope, rule_id) for rule_id in scope.rules}
            item_names = {scope.prefix + f for f in scope.fields} | set(scope.rules)
            for name in rule.each.label.names:
                if name not in item_names and name not in known:
                    loader.problem(rule.origin.file, rule.origin.line, rule.id, f"each.label reads '{name}', "
                                   f"which is no field or rule of scope '{scope.name}'")
    for scope in rulebook.scopes.values():
        fields = {scope.prefix + f for f in scope.fields}
        clash = fields & set(scope.rules)
        for name in sorted(clash):
            loader.problem(scope.origin.file, scope.origin.line, name, f"'{name}' is both a field and a rule of "
                           f"scope '{scope.name}'")
        scope_known = known | fields | set(scope.rules)
        graph |= _reference_graph(loader, rulebook, scope.rules, scope_known, scope)
        rules |= {_key(scope, rule_id): rule for rule_id, rule in scope.rules.items()}
    cycles = _cycles(graph)
    for cycle in cycles:
        first = rules[cycle[0]]
        loader.problem(first.origin.file, first.origin.line, first.id,
                       f"rules depend on each other in a cycle: {' -> '.join(cycle + [cycle[0]])}")
    if not cycles:
        _check_depth(loader, graph, rules)


def _key(scope: ScopeRules | None, rule_id: str) -> str:
    """A rule's node in the dependency graph: its id, prefixed by its scope's name for a scope rule
    (two scopes may name their rules alike)."""
    return f"{scope.name}:{rule_id}" if scope else rule_id


def _reference_graph(loader: FolderReader, rulebook: Rulebook, rules: dict[str, Rule], known: set[str],
                     scope: ScopeRules | None) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    unreadable = {p.stem for p in loader.failed if p.parent.name == "parameters"}
    rules_unreadable = loader.incomplete("rules", "tables")  # a rule reading a failed table is not built
    for rule in rules.values():
        deps: set[str] = set()
        for name in rule.reads:
            if name not in known:
                if _defined_in_unreadable(name, unreadable, rules_unreadable):
                    continue
                kin = [k for k in known if k.split(".")[0] == name.split(".")[0]] or known
                close = difflib.get_close_matches(name, sorted(kin), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                kind = ("fact" if name.startswith("facts.") else "parameter" if name.startswith("params.")
                        else f"field or rule of scope '{scope.name}'" if scope and name.startswith(scope.prefix)
                        else "rule output")
                loader.problem(rule.origin.file, rule.origin.line, rule.id,
                               f"reads '{name}', which is no known {kind} in the {rulebook.year} rulebook{hint}")
            elif scope is not None and name in scope.rules:
                deps.add(_key(scope, name))
            elif name in rulebook.outputs:
                deps.add(rulebook.outputs[name][0].id)
        graph[_key(scope, rule.id)] = deps
    return graph


def _check_depth(loader: FolderReader, graph: dict[str, set[str]], rules: dict[str, Rule]) -> None:
    """Report the deepest chain of rules when its evaluation depth exceeds MAX_DEPTH (graph acyclic)."""
    cost = {key: RULE_DEPTH + max((_height(e) for e in rule.expressions), default=0)
            + (EACH_DEPTH if rule.each else 0) for key, rule in rules.items()}
    depth: dict[str, int] = {}
    below: dict[str, str | None] = {}
    for start in sorted(graph):
        stack = [start]
        while stack:
            key = stack[-1]
            pending = [dep for dep in graph.get(key, ()) if dep not in depth]
            if pending:
                stack.extend(sorted(pending))
                continue
            stack.pop()
            if key in depth:
                continue
            deepest = max(sorted(graph.get(key, ())), key=lambda d: depth[d], default=None)
            depth[key] = cost.get(key, 0) + (depth[deepest] if deepest else 0)
            below[key] = deepest
    top = max(sorted(depth), key=lambda k: depth[k], default=None)
    if top is None or depth[top] <= MAX_DEPTH:
        return
    chain = [top]
    while below[chain[-1]] is not None:
        chain.append(below[chain[-1]])  # type: ignore[arg-type]
    shown = chain if len(chain) <= 8 else chain[:4] + [f"... {len(chain) - 8} more ..."] + chain[-4:]
    rule = rules[top]
    loader.problem(rule.origin.file, rule.origin.line, rule.id,
                   f"rules read each other too deeply to evaluate: {len(chain)} rules in a chain "
                   f"({' -> '.join(shown)}) nest {depth[top]} levels, and at most {MAX_DEPTH} are allowed "
                   f"(a rule counts {RULE_DEPTH}, each level of nesting in its expression 1); "
                   "merge steps of the chain")


def _height(expression: Expression) -> int:
    return parse(expression.source).node.height


def _defined_in_unreadable(name: str, parameter_files: set[str], rules_unreadable: bool) -> bool:
    """A name that a file which failed to load may define (its problems are reported already)."""
    if name.startswith("params."):
        return name.split(".")[1] in parameter_files
    return rules_unreadable and not name.startswith("facts.")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle met by a depth-first walk, each as the list of its nodes (walked without recursion)."""
    state: dict[str, int] = {}
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in state:
            continue
        path: list[str] = [root]
        todo: list[list[str]] = [sorted(graph.get(root, ()), reverse=True)]
        state[root] = 1
        while path:
            if not todo[-1]:
                state[path.pop()] = 2
                todo.pop()
                continue
            dep = todo[-1].pop()
            if state.get(dep) == 1:
                found.append(path[path.index(dep):])
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                todo.append(sorted(graph.get(dep, ()), reverse=True))
    return found
