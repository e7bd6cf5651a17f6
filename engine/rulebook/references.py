"""Whole-rulebook checks: required outputs, references that resolve in this year, no dependency cycles."""

from __future__ import annotations

import difflib

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
    for name in contract.required_outputs(rulebook.categories):
        if name not in rulebook.outputs:
            loader.problem(manifest_doc, 1, "", f"no rule produces '{name}'; every rulebook must define it "
                           "(results have the same shape in every year)")


def check_references(loader: FolderReader, rulebook: Rulebook, facts: set[str]) -> None:
    """Every name read resolves; each/select rules point at real scopes and lists; no cycles."""
    known = facts | set(rulebook.parameters) | set(rulebook.outputs)
    graph = _reference_graph(loader, rulebook, rulebook.rules, known, rulebook.outputs, None)
    for rule in rulebook.rules.values():
        if rule.each and rule.each.scope not in rulebook.scopes:
            loader.problem(rule.origin.file, rule.origin.line, rule.id, f"no scope '{rule.each.scope}'; "
                           f"scopes: {', '.join(rulebook.scopes) or 'none'}")
    for scope in rulebook.scopes.values():
        fields = {scope.prefix + f for f in scope.fields}
        clash = fields & set(scope.rules)
        for name in sorted(clash):
            loader.problem(scope.origin.file, scope.origin.line, name, f"'{name}' is both a field and a rule of "
                           f"scope '{scope.name}'")
        local = {rule_id: (rule, None) for rule_id, rule in scope.rules.items()}
        scope_known = known | fields | set(scope.rules)
        graph |= _reference_graph(loader, rulebook, scope.rules, scope_known, local, scope)
    for cycle in _cycles(graph):
        first = rulebook.rules.get(cycle[0]) or next(s.rules[cycle[0]] for s in rulebook.scopes.values()
                                                     if cycle[0] in s.rules)
        loader.problem(first.origin.file, first.origin.line, first.id,
                       f"rules depend on each other in a cycle: {' -> '.join(cycle + [cycle[0]])}")


def _reference_graph(loader: FolderReader, rulebook: Rulebook, rules: dict[str, Rule], known: set[str],
                     outputs: dict[str, tuple[Rule, str | None]], scope: ScopeRules | None) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    unreadable = {p.stem for p in loader.failed if p.parent.name == "parameters"}
    rules_unreadable = any(p.parent.name == "rules" for p in loader.failed)
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
            elif name in outputs:
                deps.add(outputs[name][0].id)
            elif name in rulebook.outputs:
                deps.add(rulebook.outputs[name][0].id)
        graph[rule.id] = deps
    return graph


def _defined_in_unreadable(name: str, parameter_files: set[str], rules_unreadable: bool) -> bool:
    """A name that a file which failed to load may define (its problems are reported already)."""
    if name.startswith("params."):
        return name.split(".")[1] in parameter_files
    return rules_unreadable and not name.startswith("facts.")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                found.append(stack[stack.index(dep):])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found
