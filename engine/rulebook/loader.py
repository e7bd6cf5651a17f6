"""Load a rulebook folder: read every file strictly, validate, compile expressions, check the whole."""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.calendar.loader import load_calendar_file
from engine.case.facts import fact_names
from engine.errors import MipsError, Problem, RulebookError
from engine.euc.loader import EVENTS, load_euc_folder
from engine.expr import Expression, ExpressionSyntaxError, compile_expression
from engine.rulebook import contract, models
from engine.rulebook.compiled import (EachSpec, LookupSpec, Origin, Parameter, Rule, Rulebook, ScopeRules,
                                      SelectSpec, as_decimal)
from engine.rulebook.registry import display_path, resolve
from engine.rulebook.tables import DecisionTable, build_table
from engine.rulebook.validation_messages import dotted, problems_from
from engine.rulebook.yaml_source import LocatedDict, YamlSyntaxError, locate, parse_yaml

FOLDERS = {"parameters": models.ParameterFile, "tables": models.TableFile, "rules": models.RuleFile}
TOP_FILES = {"rulebook.yaml": models.ManifestFile, "case_inputs.yaml": models.CaseInputsFile}
DATA_FILES = ("calendar.yaml", "euc/*", "reference/**/*")  # checked by their own loaders, hashed here
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass
class _Document:
    path: Path
    name: str
    text: str
    data: Any
    model: BaseModel


@dataclass
class _Loader:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    documents: list[_Document] = field(default_factory=list)

    def problem(self, doc: _Document | str, line: int | None, path: str, message: str,
                column: int | None = None) -> None:
        name = doc.name if isinstance(doc, _Document) else doc
        self.problems.append(Problem(name, line, column, path, message))

    def read(self, extends: bool) -> None:
        """Read every rulebook file; `case_inputs.yaml` is optional in a rulebook that extends another."""
        files = [self.folder / name for name in TOP_FILES
                 if not (extends and name == "case_inputs.yaml" and not (self.folder / name).is_file())]
        for name in FOLDERS:
            files += sorted((self.folder / name).glob("*.yaml")) if (self.folder / name).is_dir() else []
        known = set(files) | {p for pattern in DATA_FILES for p in self.folder.glob(pattern)}
        for stray in sorted(self.folder.rglob("*")):
            if stray.is_file() and stray.suffix in {".yaml", ".yml"} and stray not in known:
                self.problem(display_path(stray), None, "", "unexpected rulebook file; rulebook files are rulebook.yaml, "
                             "case_inputs.yaml, parameters/*.yaml, tables/*.yaml, rules/*.yaml, "
                             "and the data files " + ", ".join(DATA_FILES))
        for path in files:
            name = display_path(path)
            if not path.is_file():
                self.problem(name, None, "", "missing file; every rulebook needs it")
                continue
            model = TOP_FILES.get(path.name) if path.parent == self.folder else FOLDERS[path.parent.name]
            text = path.read_text(encoding="utf-8")
            try:
                data = parse_yaml(text)
            except YamlSyntaxError as exc:
                self.problem(name, exc.line, "", exc.message, exc.column)
                continue
            if not isinstance(data, LocatedDict):
                self.problem(name, 1, "", "the file must hold a YAML mapping")
                continue
            try:
                parsed = model.model_validate(data)
            except ValidationError as exc:
                self.problems += problems_from(exc, model, data, name)
                continue
            self.documents.append(_Document(path, name, text, data, parsed))

    def line(self, doc: _Document, *path: str | int) -> int:
        where = locate(doc.data, path)
        return where.line if where else 1

    def expression(self, doc: _Document, source: str, path: tuple[str | int, ...]) -> Expression | None:
        try:
            return compile_expression(source)
        except ExpressionSyntaxError as exc:
            line, column = self._expression_position(doc, path, exc.line, exc.column)
            self.problem(doc, line, dotted(path), f"expression error: {exc.message}", column)
            return None

    def _expression_position(self, doc: _Document, path: tuple[str | int, ...], line: int,
                             column: int) -> tuple[int, int]:
        where = locate(doc.data, path)
        if where is None:
            return 1, column
        if where.style in ("|", ">"):
            text_line = doc.text.splitlines()[min(where.line + line - 1, len(doc.text.splitlines()) - 1)]
            indent = len(text_line) - len(text_line.lstrip())
            return where.line + line, indent + column
        if line == 1:
            quote = 1 if where.style in ('"', "'") else 0
            return where.line, where.column + quote + column - 1
        return where.line + line - 1, column


def _sha256(folder: Path, parent_sha256: str) -> str:
    """Content hash of every file of the rulebook folder (names and bytes) and of the rulebook it extends."""
    digest = hashlib.sha256(parent_sha256.encode())
    files = [p for p in folder.rglob("*") if p.is_file() and not any(
        part.startswith(".") or part == "__pycache__" for part in p.relative_to(folder).parts)]
    for path in sorted(files, key=lambda p: p.relative_to(folder).as_posix()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


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


def load_rulebook(year_or_path: str | int) -> Rulebook:
    """Load and fully validate a rulebook; raise RulebookError listing every problem."""
    rulebook, problems = check_rulebook(year_or_path)
    if problems or rulebook is None:
        raise RulebookError(problems)
    return rulebook


def check_rulebook(year_or_path: str | int, _chain: tuple[Path, ...] = ()) -> tuple[Rulebook | None, list[Problem]]:
    """Load a rulebook and return it with every problem found (all at once, not just the first).

    A rulebook whose manifest `extends` a year starts from that year's rulebook: its parameters,
    rules and scope rules replace or add to the other's by name, `remove` lists drop them, a table
    file replaces the table of that name, and case_inputs entries replace or add by key.
    """
    folder = resolve(year_or_path)
    loader = _Loader(folder)
    extends = _manifest_extends(folder)
    loader.read(extends is not None)
    docs = {doc.path: doc for doc in loader.documents}
    manifest_doc = docs.get(folder / "rulebook.yaml")
    if manifest_doc is None:
        return None, _sorted(loader.problems)
    manifest: models.Manifest = manifest_doc.model.rulebook  # type: ignore[attr-defined]
    if folder.name.isdigit() and int(folder.name) != manifest.year:
        loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "year"), "rulebook.year",
                       f"year {manifest.year} does not match the folder name {folder.name}")
    parent = _parent(loader, manifest_doc, manifest, folder, _chain)
    if manifest.extends is not None and parent is None:
        return None, _sorted(loader.problems)
    case_inputs = _case_inputs(loader, docs.get(folder / "case_inputs.yaml"), parent)
    if case_inputs is None:
        return None, _sorted(loader.problems)

    parameters = dict(parent.parameters) if parent else {}
    parameters = _parameters(loader, folder, parameters)
    tables = (dict(parent.tables) if parent else {}) | _tables(loader, folder)
    own_rules, own_scopes = _rules(loader, folder, tables)
    rules, scopes = _merge_rules(loader, folder, parent, own_rules, own_scopes, tables)
    rulebook = Rulebook(
        year=manifest.year, title=manifest.title, status=manifest.status, root=display_path(folder),
        sha256=_sha256(folder, parent.sha256 if parent else ""),
        files=tuple(sorted({d.name for d in loader.documents} | set(parent.files if parent else ()))),
        parameters=parameters, tables=tables, rules=rules, scopes=scopes, case_inputs=case_inputs,
        manifest_origin=Origin(manifest_doc.name, loader.line(manifest_doc, "rulebook")), parent=parent,
        to_confirm=tuple(manifest.to_confirm))
    for index, name in enumerate(manifest.to_confirm):
        if name not in parameters:
            loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "to_confirm", index),
                           f"rulebook.to_confirm[{index}]", f"'{name}' is no parameter of this rulebook")
    _check_outputs(loader, rulebook, manifest_doc)
    _check_references(loader, rulebook, fact_names(case_inputs))
    _check_data_files(loader, folder)
    return rulebook, _sorted(loader.problems)


def _check_data_files(loader: _Loader, folder: Path) -> None:
    """The year's calendar and automatic EUC data, checked by their own loaders."""
    try:
        if (folder / "calendar.yaml").is_file():
            load_calendar_file(folder / "calendar.yaml")
        if (folder / EVENTS).is_file():
            load_euc_folder(folder)
    except MipsError as exc:
        loader.problems += exc.problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))


def _manifest_extends(folder: Path) -> int | None:
    """The year a rulebook extends, read ahead of full validation (None when absent or unreadable)."""
    try:
        data = parse_yaml((folder / "rulebook.yaml").read_text(encoding="utf-8"))
        value = data["rulebook"]["extends"]
    except (OSError, YamlSyntaxError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) else None


def _parent(loader: _Loader, doc: _Document, manifest: models.Manifest, folder: Path,
            chain: tuple[Path, ...]) -> Rulebook | None:
    if manifest.extends is None:
        return None
    line = loader.line(doc, "rulebook", "extends")
    if manifest.extends >= manifest.year:
        loader.problem(doc, line, "rulebook.extends", f"a rulebook extends an earlier year; {manifest.extends} "
                       f"is not before {manifest.year}")
        return None
    try:
        parent_folder = resolve(manifest.extends)
    except MipsError as exc:
        loader.problem(doc, line, "rulebook.extends", str(exc))
        return None
    if parent_folder.resolve() in chain:
        loader.problem(doc, line, "rulebook.extends", "rulebooks extend each other in a cycle")
        return None
    parent, problems = check_rulebook(parent_folder, chain + (folder.resolve(),))
    if problems:
        loader.problem(doc, line, "rulebook.extends", f"the {manifest.extends} rulebook it extends has "
                       f"{len(problems)} problem(s); fix them first")
        loader.problems += problems
    return parent if not problems else None


def _case_inputs(loader: _Loader, doc: _Document | None, parent: Rulebook | None) -> models.CaseInputs | None:
    """The year's case inputs: its own file, merged entry by entry over the extended year's."""
    own: models.CaseInputs | None = doc.model.case_inputs if doc else None  # type: ignore[attr-defined]
    if parent is None:
        if own is None:
            return None
        merged = own
    else:
        base = parent.case_inputs.model_dump()
        extra = own.model_dump(exclude_unset=True) if own else {}
        merged = models.CaseInputs.model_validate({k: base.get(k, {}) | extra.get(k, {}) for k in base | extra})
    if doc is not None:
        _check_case_inputs(loader, doc, merged)
    for key in ("entity_types", "categories"):
        if not getattr(merged, key) and doc is not None:
            loader.problem(doc, loader.line(doc, "case_inputs"), f"case_inputs.{key}",
                           f"'{key}' needs at least one entry")
    return merged


def _check_case_inputs(loader: _Loader, doc: _Document, inputs: models.CaseInputs) -> None:
    for name, reason in inputs.reweighting_reasons.items():
        for category in reason.categories:
            if category not in inputs.categories:
                loader.problem(doc, loader.line(doc, "case_inputs", "reweighting_reasons", name),
                               f"case_inputs.reweighting_reasons.{name}.categories",
                               f"'{category}' is not a category; categories: {', '.join(inputs.categories)}")


def _docs_in(loader: _Loader, folder: Path, sub: str) -> list[_Document]:
    return [d for d in loader.documents if d.path.parent == folder / sub]


def _parameters(loader: _Loader, folder: Path, parameters: dict[str, Parameter]) -> dict[str, Parameter]:
    """The year's parameters over the inherited ones (`remove` drops inherited ones)."""
    for doc in _docs_in(loader, folder, "parameters"):
        for index, key in enumerate(doc.model.remove):  # type: ignore[attr-defined]
            name = f"params.{doc.path.stem}.{key}"
            if parameters.pop(name, None) is None:
                loader.problem(doc, loader.line(doc, "remove", index), f"remove[{index}]",
                               f"no inherited parameter '{name}' to remove")
        for key, spec in doc.model.parameters.items():  # type: ignore[attr-defined]
            name = f"params.{doc.path.stem}.{key}"
            parameters[name] = Parameter(name, as_decimal(spec.value), spec.unit, spec.description,
                                         spec.source, spec.status, spec.note,
                                         Origin(doc.name, loader.line(doc, "parameters", key)))
    return parameters


def _tables(loader: _Loader, folder: Path) -> dict[str, DecisionTable]:
    tables: dict[str, DecisionTable] = {}
    for doc in _docs_in(loader, folder, "tables"):
        spec: models.Table = doc.model.table  # type: ignore[attr-defined]
        row_lines = [loader.line(doc, "table", "rows", i) for i in range(len(spec.rows))]
        table, problems = build_table(doc.path.stem, spec, doc.name, loader.line(doc, "table"), row_lines)
        for line, path, message in problems:
            loader.problem(doc, line, f"table.{path}", message)
        tables[doc.path.stem] = table
    return tables


def _rules(loader: _Loader, folder: Path, tables: dict[str, DecisionTable]
           ) -> tuple[dict[str, Rule], dict[str, ScopeRules]]:
    """Case-level rules, and the rules of each scope (files with a `scope:` header)."""
    rules: dict[str, Rule] = {}
    scopes: dict[str, ScopeRules] = {}
    for doc in _docs_in(loader, folder, "rules"):
        scope_spec: models.Scope | None = doc.model.scope  # type: ignore[attr-defined]
        target = rules
        if scope_spec is not None:
            if scope_spec.name in scopes:
                loader.problem(doc, loader.line(doc, "scope"), "scope.name",
                               f"scope '{scope_spec.name}' is already defined at {scopes[scope_spec.name].origin}")
                continue
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
            for binding, _ in _expand(spec):
                rule = _rule(loader, doc, spec, binding, path, line, tables)
                if rule is None:
                    continue
                if rule.id in target:
                    loader.problem(doc, line, dotted(path) + ".id", f"rule id '{rule.id}' is already defined "
                                   f"at {target[rule.id].origin}")
                    continue
                target[rule.id] = rule
    return rules, scopes


def _merge_rules(loader: _Loader, folder: Path, parent: Rulebook | None, own: dict[str, Rule],
                 own_scopes: dict[str, ScopeRules], tables: dict[str, DecisionTable]
                 ) -> tuple[dict[str, Rule], dict[str, ScopeRules]]:
    """Own rules over inherited ones (same id replaces in place), removals applied, lookups rebound to
    the year's tables."""
    rules = dict(parent.rules) if parent else {}
    scopes = dict(parent.scopes) if parent else {}
    for name, scope in own_scopes.items():
        base = scopes.get(name)
        scopes[name] = scope if base is None else replace(
            scope, fields=base.fields | scope.fields, rules=base.rules | scope.rules)
    rules |= own
    for doc in _docs_in(loader, folder, "rules"):
        target = scopes[doc.model.scope.name].rules if doc.model.scope else rules  # type: ignore[attr-defined]
        for index, rule_id in enumerate(doc.model.remove):  # type: ignore[attr-defined]
            if target.pop(rule_id, None) is None:
                loader.problem(doc, loader.line(doc, "remove", index), f"remove[{index}]",
                               f"no inherited rule '{rule_id}' to remove")

    def rebind(rule: Rule) -> Rule:
        if rule.lookup and tables.get(rule.lookup.table.name) is not rule.lookup.table:
            return replace(rule, lookup=replace(rule.lookup, table=tables[rule.lookup.table.name]))
        return rule

    rules = {k: rebind(r) for k, r in rules.items()}
    scopes = {n: replace(s, rules={k: rebind(r) for k, r in s.rules.items()}) for n, s in scopes.items()}
    return rules, scopes


def _rule(loader: _Loader, doc: _Document, spec: models.RuleSpec, binding: dict[str, str],
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
    common = dict(id=rule_id, description=_fill(spec.description, binding), source=spec.source,
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
                                                sel.required, limit))
    lookup = spec.lookup
    assert lookup is not None
    table = tables.get(lookup.table)
    if table is None:
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


def _check_outputs(loader: _Loader, rulebook: Rulebook, manifest_doc: _Document) -> None:
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


def _check_references(loader: _Loader, rulebook: Rulebook, facts: set[str]) -> None:
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


def _reference_graph(loader: _Loader, rulebook: Rulebook, rules: dict[str, Rule], known: set[str],
                     outputs: dict[str, tuple[Rule, str | None]], scope: ScopeRules | None) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for rule in rules.values():
        deps: set[str] = set()
        for name in rule.reads:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
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
