"""Rules from rule files: for_each expansion, value/lookup/each/select kinds, scopes, and inheritance."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from engine.rulebook import models
from engine.rulebook.compiled import EachSpec, LookupSpec, Origin, Rule, Rulebook, ScopeRules, SelectSpec
from engine.rulebook.documents import Document, FolderReader, docs_in
from engine.rulebook.overrides import check_name
from engine.rulebook.tables import DecisionTable
from engine.rulebook.validation_messages import dotted

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _expand(spec: models.RuleSpec) -> list[tuple[dict[str, str], models.RuleSpec]]:
    """A rule with for_each becomes one rule per combination of values."""
    if not spec.for_each:
        return [({}, spec)]
    names = list(spec.for_each)
    expanded = []
    for combo in itertools.product(*spec.for_each.values()):
        binding = dict(zip(names, combo))
        expanded.append((binding, spec))
    return expanded


def _fill(text: str, binding: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: binding.get(m.group(1), m.group(0)), text)


def build_rules(loader: FolderReader, folder: Path, tables: dict[str, DecisionTable], parent: Rulebook | None,
                year: int) -> tuple[dict[str, Rule], dict[str, ScopeRules]]:
    """Case-level rules, and the rules of each scope (files with a `scope:` header).

    In a rulebook that extends another year, a rule id or scope the other year lacks must say `new: true`.
    """
    rules: dict[str, Rule] = {}
    scopes: dict[str, ScopeRules] = {}
    for doc in docs_in(loader, folder, "rules"):
        scope_spec: models.Scope | None = doc.model.scope  # type: ignore[attr-defined]
        target = rules
        inherited: Collection[str] = parent.rules if parent else ()
        if scope_spec is not None:
            if scope_spec.name in scopes:
                loader.problem(doc, loader.line(doc, "scope"), "scope.name",
                               f"scope '{scope_spec.name}' is already defined at {scopes[scope_spec.name].origin}")
                continue
            check_name(loader, doc, ("scope", "name"), scope_spec.name, scope_spec.new, parent, year, "scope",
                       parent.scopes if parent else ())
            base_scope = parent.scopes.get(scope_spec.name) if parent else None
            if base_scope is None and not scope_spec.fields:
                loader.at_key(doc, ("scope",), f"scope '{scope_spec.name}' needs `fields:`, what each "
                              f"'{scope_spec.item}' brings (a scope the extended year has may state only its changes)")
            inherited = base_scope.rules if base_scope else ()
            scope = ScopeRules(scope_spec.name, scope_spec.item, dict(scope_spec.fields),
                               doc.model.description, Origin(doc.name, loader.line(doc, "scope")), {})  # type: ignore[attr-defined]
            scopes[scope.name] = scope
            target = scope.rules
        for index, spec in enumerate(doc.model.rules):  # type: ignore[attr-defined]
            path: tuple[str | int, ...] = ("rules", index)
            line = loader.line(doc, *path)
            kinds = [k for k in ("value", "lookup", "each", "select") if getattr(spec, k) is not None]
            if len(kinds) != 1:
                loader.problem(doc, line, dotted(path), f"rule '{spec.id}' needs exactly one of 'value', "
                               f"'lookup', 'each' or 'select' (it has {', '.join(kinds) or 'none'}"
                               + ("; a value that is always missing is written value: \"null\"" if not kinds else "")
                               + ")")
                continue
            if spec.round and not spec.value:
                loader.problem(doc, line, dotted(path), "'round' applies to 'value' rules only")
            if scope_spec is not None and not spec.id.startswith(scope_spec.item + "."):
                loader.problem(doc, line, dotted(path) + ".id", f"rules of scope '{scope_spec.name}' are named "
                               f"'{scope_spec.item}.NAME'; '{spec.id}' is not")
                continue
            # every rule of a scope new this year is new; a name is reported once per written rule
            reported = parent is not None and scope_spec is not None and scope_spec.name not in parent.scopes
            for binding, _ in _expand(spec):
                rule = _rule(loader, doc, spec, binding, path, line, tables)
                if rule is None:
                    continue
                if not reported:
                    reported = not check_name(loader, doc, path + ("id",), rule.id, spec.new, parent, year,
                                              "rule", inherited)
                if rule.id in target:
                    loader.problem(doc, line, dotted(path) + ".id", f"rule id '{rule.id}' is already defined "
                                   f"at {target[rule.id].origin}")
                    continue
                target[rule.id] = rule
    return rules, scopes


def merge_rules(loader: FolderReader, folder: Path, parent: Rulebook | None, own: dict[str, Rule],
                 own_scopes: dict[str, ScopeRules], tables: dict[str, DecisionTable]
                 ) -> tuple[dict[str, Rule], dict[str, ScopeRules]]:
    """Own rules over inherited ones (same id replaces in place), removals (of rules, and of scope fields)
    applied, lookups rebound to the year's tables."""
    rules = dict(parent.rules) if parent else {}
    scopes = dict(parent.scopes) if parent else {}
    for name, scope in own_scopes.items():
        base = scopes.get(name)
        scopes[name] = scope if base is None else replace(
            scope, fields=base.fields | scope.fields, rules=base.rules | scope.rules)
    rules |= own
    for doc in docs_in(loader, folder, "rules"):
        scope_spec: models.Scope | None = doc.model.scope  # type: ignore[attr-defined]
        if scope_spec is not None and scope_spec.remove_fields and scope_spec.name in scopes:
            _remove_fields(loader, doc, scope_spec, parent, scopes)
        target = scopes[doc.model.scope.name].rules if doc.model.scope else rules  # type: ignore[attr-defined]
        for index, rule_id in enumerate(doc.model.remove):  # type: ignore[attr-defined]
            if target.pop(rule_id, None) is None:
                close = difflib.get_close_matches(rule_id, sorted(target), n=1, cutoff=0.75)
                loader.problem(doc, loader.line(doc, "remove", index), f"remove[{index}]",
                               f"no inherited rule '{rule_id}' to remove"
                               + (f"; did you mean '{close[0]}'?" if close else ""))

    def rebind(rule: Rule) -> Rule:
        if rule.lookup and tables.get(rule.lookup.table.name) is not rule.lookup.table:
            return replace(rule, lookup=replace(rule.lookup, table=tables[rule.lookup.table.name]))
        return rule

    rules = {k: rebind(r) for k, r in rules.items()}
    scopes = {n: replace(s, rules={k: rebind(r) for k, r in s.rules.items()}) for n, s in scopes.items()}
    return rules, scopes


def _remove_fields(loader: FolderReader, doc: Document, spec: models.Scope, parent: Rulebook | None,
                   scopes: dict[str, ScopeRules]) -> None:
    """Drop the fields of an inherited scope that a later year's items no longer bring (`remove_fields:`)."""
    base = parent.scopes.get(spec.name) if parent else None
    fields = dict(scopes[spec.name].fields)
    for index, field in enumerate(spec.remove_fields):
        if base is None or field not in base.fields:
            what = (f"scope '{spec.name}' of the {parent.year} rulebook has no field '{field}'" if base and parent
                    else f"scope '{spec.name}' is not inherited, so it has no field '{field}'")
            loader.at_value(doc, ("scope", "remove_fields", index),
                            f"{what} to remove{_did_you_mean(field, sorted(base.fields) if base else [])}")
        elif field in spec.fields:
            loader.at_value(doc, ("scope", "remove_fields", index),
                            f"field '{field}' is stated under `fields:` and removed; keep one of the two")
        else:
            fields.pop(field)
    scopes[spec.name] = replace(scopes[spec.name], fields=fields)


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _rule(loader: FolderReader, doc: Document, spec: models.RuleSpec, binding: dict[str, str],
          path: tuple[str | int, ...], line: int, tables: dict[str, DecisionTable]) -> Rule | None:
    rule_id = _fill(spec.id, binding)
    texts = [rule_id] + ([spec.value] if spec.value else [])
    if spec.lookup:
        texts += list(spec.lookup.inputs.values()) + list(spec.lookup.outputs.values())
    for text in texts:
        for unknown in PLACEHOLDER.findall(_fill(text, binding)):
            loader.problem(doc, line, dotted(path), f"placeholder '{{{unknown}}}' is not a for_each variable")
            return None
    origin = Origin(doc.name, line)
    common = dict(id=rule_id, description=_fill(spec.description, binding).strip(), source=spec.source,
                  status=spec.status, note=spec.note, origin=origin)
    if spec.value is not None:
        expression = loader.expression(doc, _fill(spec.value, binding), path + ("value",))
        return Rule(**common, expression=expression, rounding=spec.round) if expression else None
    if spec.each is not None:
        items = loader.expression(doc, spec.each.items, path + ("each", "items"))
        label = loader.expression(doc, spec.each.label, path + ("each", "label"))
        if items is None or label is None:
            return None
        return Rule(**common, each=EachSpec(items, spec.each.scope, label))
    if spec.select is not None:
        sel = spec.select
        limit = loader.expression(doc, sel.limit, path + ("select", "limit")) if sel.limit else None
        if sel.limit and limit is None:
            return None
        return Rule(**common, select=SelectSpec(sel.from_, sel.where, sel.best_per, tuple(sel.order_by),
                                                sel.required, limit, sel.where_reason))
    lookup = spec.lookup
    assert lookup is not None
    table = tables.get(lookup.table)
    if table is None:
        if not loader.incomplete("tables"):
            loader.problem(doc, line, dotted(path) + ".lookup.table",
                           f"no table '{lookup.table}'; tables: {', '.join(tables) or 'none'}")
        return None
    for kind, given, declared in (("input", lookup.inputs, table.inputs), ("output", lookup.outputs, table.outputs)):
        missing = [n for n in declared if n not in given]
        extra = [n for n in given if n not in declared]
        if missing or extra:
            loader.problem(doc, line, dotted(path) + f".lookup.{kind}s",
                           f"table '{table.name}' has {kind}s {', '.join(declared)}"
                           + (f"; missing {', '.join(missing)}" if missing else "")
                           + (f"; not in the table: {', '.join(extra)}" if extra else ""))
            return None
    inputs = {}
    for name, text in lookup.inputs.items():
        expression = loader.expression(doc, _fill(text, binding), path + ("lookup", "inputs", name))
        if expression is None:
            return None
        inputs[name] = expression
    outputs = {column: _fill(name, binding) for column, name in lookup.outputs.items()}
    return Rule(**common, lookup=LookupSpec(table, inputs, outputs))
