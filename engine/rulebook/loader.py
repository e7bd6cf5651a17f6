"""Load a rulebook folder: read every file strictly, validate, compile expressions, check the whole."""

from __future__ import annotations

import difflib
from decimal import Decimal
from pathlib import Path

from engine.case.facts import fact_kinds, fact_names
from engine.errors import MipsError, Problem, RulebookError
from engine.rulebook import citations, contract, datakinds, loading, models
from engine.rulebook.bibliography import Bibliography, bibliography_for
from engine.rulebook.compiled import Origin, Parameter, Pathway, PathwayDefault, Rulebook, as_decimal
from engine.rulebook.documents import Document, FolderReader, docs_in
from engine.rulebook.loading import load_rulebook  # noqa: F401  (where callers have always found it)
from engine.rulebook.overlays import check_pathways, manifest_extends, overlay_chain
from engine.rulebook.references import check_outputs, check_references
from engine.rulebook.registry import display_path, resolve
from engine.rulebook.rule_builder import build_rules, merge_rules
from engine.rulebook.overrides import check_name
from engine.rulebook.tables import DecisionTable, build_table, change_rows
from engine.rulebook.typecheck import check_types, of
from engine.rulebook.units import Range, Unit, load_units, unit_range, unknown_unit


def check_rulebook(year_or_path: str | int, _chain: tuple[Path, ...] = ()) -> tuple[Rulebook | None, list[Problem]]:
    """Load a rulebook and return it with every problem found (all at once, not just the first).

    A rulebook whose manifest `extends` a year starts from that year's rulebook: its parameters,
    rules and scope rules replace or add to the other's by name, `remove` lists drop them, a table
    file replaces the table of that name, and case_inputs and pathways entries replace or add by key.
    """
    folder = resolve(year_or_path)
    loader = FolderReader(folder)
    extends = manifest_extends(folder)
    loader.read(extends is not None)
    docs = {doc.path: doc for doc in loader.documents}
    bibliography = _cited(loader, folder)
    manifest_doc = docs.get(folder / "rulebook.yaml")
    if manifest_doc is None:
        return None, _sorted(loader.problems)
    manifest: models.Manifest = manifest_doc.model.rulebook  # type: ignore[attr-defined]
    if manifest.pathway is not None:
        loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "pathway"), "rulebook.pathway",
                       f"this folder holds the '{manifest.pathway}' pathway overlay, not a year's rulebook; "
                       "validate the year folder that declares the pathway in pathways.yaml")
        return None, _sorted(loader.problems)
    if folder.name.isdigit() and int(folder.name) != manifest.year:
        loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "year"), "rulebook.year",
                       f"year {manifest.year} does not match the folder name {folder.name}")
    parent = _parent(loader, manifest_doc, manifest, folder, _chain)
    if manifest.extends is not None and parent is None:
        return None, _sorted(loader.problems)
    pathways, defaults = _pathways(loader, docs.get(folder / "pathways.yaml"), parent)
    rulebook = compose(loader, folder, manifest_doc, parent, root=display_path(folder), pathways=pathways,
                       defaults=defaults, year_folder=folder, bibliography=bibliography)
    if rulebook is not None:
        check_pathways(loader, rulebook, docs.get(folder / "pathways.yaml"))
    _check_data_files(loader, folder)
    return rulebook, _sorted(loader.problems)


def compose(loader: FolderReader, folder: Path, manifest_doc: Document, parent: Rulebook | None, *, root: str,
            pathways: dict[str, Pathway], defaults: dict[str, PathwayDefault], year_folder: Path,
            bibliography: Bibliography, pathway: str | None = None, year: int | None = None) -> Rulebook | None:
    """The rulebook a folder's files make over `parent` (a year's rulebook, or a pathway overlay over it)."""
    manifest: models.Manifest = manifest_doc.model.rulebook  # type: ignore[attr-defined]
    docs = {doc.path: doc for doc in loader.documents}
    case_inputs = _case_inputs(loader, docs.get(folder / "case_inputs.yaml"), parent, manifest.year)
    if case_inputs is None:
        return None
    parameters = _parameters(loader, folder, parent, manifest.year)
    tables = (dict(parent.tables) if parent else {}) | _tables(loader, folder, parent, manifest.year)
    own_rules, own_scopes = build_rules(loader, folder, tables, parent, manifest.year)
    rules, scopes = merge_rules(loader, folder, parent, own_rules, own_scopes, tables)
    rulebook = Rulebook(
        year=year or manifest.year, title=manifest.title, status=manifest.status, root=root,
        sha256=loading.folder_sha256(folder, parent.sha256 if parent else "", bibliography),
        files=tuple(sorted({d.name for d in loader.documents} | set(parent.files if parent else ()))),
        parameters=parameters, tables=tables, rules=rules, scopes=scopes, case_inputs=case_inputs,
        manifest_origin=Origin(manifest_doc.name, loader.line(manifest_doc, "rulebook")), parent=parent,
        to_confirm=tuple(manifest.to_confirm), pathways=pathways, pathway_defaults=defaults, pathway=pathway,
        folder=year_folder, bibliography=bibliography)
    for index, name in enumerate(manifest.to_confirm):
        if name not in parameters:
            loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "to_confirm", index),
                           f"rulebook.to_confirm[{index}]", f"'{name}' is no parameter of this rulebook")
    _check_score_limits(loader, docs.get(folder / "case_inputs.yaml"), case_inputs, parameters)
    check_outputs(loader, rulebook, manifest_doc)
    before = len(loader.problems)
    check_references(loader, rulebook, fact_names(case_inputs) | set(contract.STAGE_FACTS))
    if len(loader.problems) == before:
        check_types(loader, rulebook, {name: of(*kinds) for name, kinds in fact_kinds(case_inputs).items()})
    return rulebook


def _cited(loader: FolderReader, folder: Path) -> Bibliography:
    """The bibliography a folder's citations resolve in; every `source:` of its files checked against it."""
    bibliography = bibliography_for(folder)
    loader.problems += bibliography.problems
    for doc in loader.documents:
        loader.problems += citations.check_document(doc.data, doc.name, bibliography)
    return bibliography


def load_pathway(base: Rulebook, name: str) -> Rulebook:
    """The rulebook of one of the year's reporting options: the year's rules with the option's overlays
    applied; raise RulebookError listing every problem."""
    rulebook, problems = check_pathway(base, name)
    if problems or rulebook is None:
        raise RulebookError(problems)
    return rulebook


def check_pathway(base: Rulebook, name: str) -> tuple[Rulebook | None, list[Problem]]:
    """Compose an option's rulebook: each overlay's chain of folders (oldest first) over the year's rulebook.

    The result is an ordinary rulebook whose `pathway` names the option; an option without overlays is
    the year's rulebook itself.
    """
    pathway = base.pathways.get(name)
    if pathway is None:
        raise MipsError(f"the {base.year} rulebook has no pathway '{name}'; pathways: {', '.join(base.pathways)}")
    if not pathway.option.overlays or base.folder is None:
        return base, []
    book: Rulebook | None = base
    problems: list[Problem] = []
    for overlay in pathway.option.overlays:
        folders, why = overlay_chain(base.folder, overlay)
        if why:
            return None, [Problem(pathway.origin.file, pathway.origin.line, None, f"pathways.{name}.overlays", why)]
        for folder in folders:
            assert book is not None
            book, found = _apply_overlay(folder, book, name)
            problems += found
            if book is None or found:
                return None, _sorted(problems)
    return book, problems


def _apply_overlay(folder: Path, parent: Rulebook, pathway: str) -> tuple[Rulebook | None, list[Problem]]:
    """One overlay folder over a rulebook: parameters, tables, rules and case inputs replace or add by name."""
    loader = FolderReader(folder, overlay=True)
    loader.read(True)
    docs = {doc.path: doc for doc in loader.documents}
    bibliography = _cited(loader, folder)
    manifest_doc = docs.get(folder / "rulebook.yaml")
    if manifest_doc is None:
        return None, _sorted(loader.problems)
    manifest: models.Manifest = manifest_doc.model.rulebook  # type: ignore[attr-defined]
    if manifest.pathway != folder.name:
        where = ("rulebook", "pathway") if manifest.pathway is not None else ("rulebook",)
        loader.problem(manifest_doc, loader.line(manifest_doc, *where), "rulebook.pathway",
                       f"a pathway overlay folder names its pathway: write 'pathway: {folder.name}' (the folder name)")
    year_name = folder.parent.parent.name
    if year_name.isdigit() and manifest.year != int(year_name):
        loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "year"), "rulebook.year",
                       f"year {manifest.year} does not match the year folder {year_name}")
    if manifest.extends is not None and manifest.extends >= manifest.year:
        loader.problem(manifest_doc, loader.line(manifest_doc, "rulebook", "extends"), "rulebook.extends",
                       f"an overlay extends an earlier year's overlay; {manifest.extends} is not before {manifest.year}")
    if folder / "pathways.yaml" in docs:
        loader.problem(docs[folder / "pathways.yaml"], 1, "", "pathways.yaml belongs in the year folder, "
                       "not in a pathway overlay")
    rulebook = compose(loader, folder, manifest_doc, parent, root=parent.root, pathways=parent.pathways,
                       defaults=parent.pathway_defaults, year_folder=parent.folder or folder,
                       bibliography=bibliography, pathway=pathway,
                       year=parent.year)
    return rulebook, _sorted(loader.problems)


def _check_data_files(loader: FolderReader, folder: Path) -> None:
    """The year's data files (calendar, EUC, ...), checked by the loaders of their registered kinds."""
    for kind in datakinds.registered():
        loader.problems += kind.problems(folder)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line or 0, p.column or 0, p.message))


def _parent(loader: FolderReader, doc: Document, manifest: models.Manifest, folder: Path,
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
    parent, problems = loading.load(parent_folder, chain + (folder.resolve(),))
    if problems:
        loader.problem(doc, line, "rulebook.extends", f"the {manifest.extends} rulebook it extends has "
                       f"{len(problems)} problem(s); fix them first")
        loader.problems += problems
    return parent if not problems else None


def _pathways(loader: FolderReader, doc: Document | None, parent: Rulebook | None
              ) -> tuple[dict[str, Pathway], dict[str, PathwayDefault]]:
    """The year's reporting options and defaults: its own pathways.yaml over the extended year's, by name."""
    pathways = dict(parent.pathways) if parent else {}
    defaults = dict(parent.pathway_defaults) if parent else {}
    if doc is None:
        return pathways, defaults
    spec: models.PathwaysFile = doc.model  # type: ignore[assignment]
    for index, name in enumerate(spec.remove):
        if pathways.pop(name, None) is None:
            loader.problem(doc, loader.line(doc, "remove", index), f"remove[{index}]",
                           f"no inherited pathway '{name}' to remove")
    for name, option in spec.pathways.items():
        pathways[name] = Pathway(name, option, Origin(doc.name, loader.line(doc, "pathways", name)))
    for entity_type, default in spec.defaults.items():
        defaults[entity_type] = PathwayDefault(entity_type, default,
                                               Origin(doc.name, loader.line(doc, "defaults", entity_type)))
    return pathways, defaults


def _case_inputs(loader: FolderReader, doc: Document | None, parent: Rulebook | None,
                 year: int) -> models.CaseInputs | None:
    """The year's case inputs: its own file, merged entry by entry over the extended year's."""
    own: models.CaseInputs | None = doc.model.case_inputs if doc else None  # type: ignore[attr-defined]
    if parent is None:
        if own is None:
            return None
        merged = own
    else:
        base = parent.case_inputs.model_dump()
        # `new: true` says how an entry is written, not what it is: the merged entries do not carry it
        extra = own.model_dump(exclude_unset=True, exclude={section: {"__all__": {"new"}} for section in
                                                            models.CaseInputs.model_fields}) if own else {}
        merged = models.CaseInputs.model_validate({k: _merged_section(base.get(k, {}), extra.get(k, {}), loader.overlay)
                                                   for k in base | extra})
    if doc is not None and own is not None:
        for section in models.CaseInputs.model_fields:
            known = {f"{section}.{key}" for key in getattr(parent.case_inputs, section)} if parent else set()
            for key, entry in getattr(own, section).items():
                check_name(loader, doc, ("case_inputs", section, key), f"{section}.{key}", entry.new, parent,
                           year, "case input", known)
    if doc is not None:
        _check_case_inputs(loader, doc, merged)
    for key in ("entity_types", "categories"):
        if not getattr(merged, key) and doc is not None:
            loader.problem(doc, loader.line(doc, "case_inputs"), f"case_inputs.{key}",
                           f"'{key}' needs at least one entry")
    return merged


def _merged_section(base: dict, own: dict, overlay: bool) -> dict:
    """A case inputs section of an extending rulebook: its entries replace the extended year's by key; a
    pathway overlay's entries change only the fields they state (a category keeps its facts)."""
    if not overlay:
        return base | own
    return base | {key: (base[key] | entry if isinstance(base.get(key), dict) and isinstance(entry, dict) else entry)
                   for key, entry in own.items()}


def _check_case_inputs(loader: FolderReader, doc: Document, inputs: models.CaseInputs) -> None:
    for name, reason in inputs.reweighting_reasons.items():
        for category in reason.categories:
            if category not in inputs.categories:
                loader.problem(doc, loader.line(doc, "case_inputs", "reweighting_reasons", name),
                               f"case_inputs.reweighting_reasons.{name}.categories",
                               f"'{category}' is not a category; categories: {', '.join(inputs.categories)}")
        for entity_type in reason.entity_types or ():
            if entity_type not in inputs.entity_types:
                loader.problem(doc, loader.line(doc, "case_inputs", "reweighting_reasons", name),
                               f"case_inputs.reweighting_reasons.{name}.entity_types",
                               f"'{entity_type}' is not an entity type; entity types: {', '.join(inputs.entity_types)}")


def _check_score_limits(loader: FolderReader, doc: Document | None, inputs: models.CaseInputs,
                        parameters: dict[str, Parameter]) -> None:
    """A category's `score_max` naming a parameter must name a numeric parameter of the rulebook."""
    for category, spec in inputs.categories.items():
        name = spec.score_max
        if not isinstance(name, str):
            continue
        where = (doc, loader.line(doc, "case_inputs", "categories", category, "score_max")) if doc else (
            "case_inputs.yaml", None)
        if name not in parameters:
            loader.problem(where[0], where[1], f"case_inputs.categories.{category}.score_max",
                           f"'{name}' is no parameter of this rulebook")
        elif not isinstance(parameters[name].value, Decimal):
            loader.problem(where[0], where[1], f"case_inputs.categories.{category}.score_max",
                           f"'{name}' is not a number")


def _parameters(loader: FolderReader, folder: Path, parent: Rulebook | None, year: int) -> dict[str, Parameter]:
    """The year's parameters over the inherited ones (`remove` drops inherited ones); each own number
    lies within its unit's range and its declared `min`/`max`."""
    parameters = dict(parent.parameters) if parent else {}
    units, problems = load_units()
    loader.problems += problems
    for doc in docs_in(loader, folder, "parameters"):
        for index, key in enumerate(doc.model.remove):  # type: ignore[attr-defined]
            name = f"params.{doc.path.stem}.{key}"
            if parameters.pop(name, None) is None:
                close = difflib.get_close_matches(name, sorted(parameters), n=1, cutoff=0.75)
                loader.problem(doc, loader.line(doc, "remove", index), f"remove[{index}]",
                               f"no inherited parameter '{name}' to remove"
                               + (f"; did you mean '{close[0]}'?" if close else ""))
        for key, spec in doc.model.parameters.items():  # type: ignore[attr-defined]
            name = f"params.{doc.path.stem}.{key}"
            base = parameters.get(name)
            path = ("parameters", key)
            check_name(loader, doc, path, name, spec.new, parent, year, "parameter",
                       parent.parameters if parent else ())
            bounds = (spec.min, spec.max)
            if base is not None and spec.unit == base.unit and bounds == (None, None):
                bounds = base.bounds
            if base is not None and base.unit != spec.unit:
                loader.at_value(doc, path + ("unit",), f"the unit changes from '{base.unit}' ({base.origin}) to "
                                f"'{spec.unit}'; a parameter keeps its unit from year to year (a different "
                                "quantity is a new parameter)")
            elif spec.unit is not None and units:
                _check_range(loader, doc, path, spec, units, bounds)
            parameters[name] = Parameter(name, as_decimal(spec.value), spec.unit, spec.description,
                                         spec.source, spec.status, spec.note,
                                         Origin(doc.name, loader.line(doc, "parameters", key)), bounds)
    return parameters


def _check_range(loader: FolderReader, doc: Document, path: tuple[str, ...], spec: models.Parameter,
                 units: dict[str, Unit], bounds: tuple[Decimal | None, Decimal | None]) -> None:
    """A number (or each number of a list) within its unit's range, narrowed by min/max."""
    assert spec.unit is not None
    unit = units.get(spec.unit)
    if unit is None:
        loader.at_value(doc, path + ("unit",), unknown_unit(spec.unit, units))
        return
    allowed = unit_range(spec.unit, unit, *bounds)
    if not isinstance(allowed, Range):
        loader.at_value(doc, path + (allowed[0],), allowed[1])
        return
    origin = "the range it declares" if bounds != (None, None) else f"the range of its unit '{spec.unit}'"
    values = spec.value if isinstance(spec.value, list) else [spec.value]
    for index, value in enumerate(values):
        problem = allowed.problem(value, origin, spec.unit)  # type: ignore[arg-type]
        if problem:
            where = path + ("value",) + ((index,) if isinstance(spec.value, list) else ())
            loader.at_value(doc, where, f"{problem}; correct the value, or its unit")


def _tables(loader: FolderReader, folder: Path, parent: Rulebook | None, year: int) -> dict[str, DecisionTable]:
    tables: dict[str, DecisionTable] = {}
    for doc in docs_in(loader, folder, "tables"):
        if doc.model.table_rows is not None:  # type: ignore[attr-defined]
            changed = _changed_rows(loader, doc, parent, year)
            if changed is not None:
                tables[doc.path.stem] = changed
            continue
        spec: models.Table = doc.model.table  # type: ignore[attr-defined]
        check_name(loader, doc, ("table",), doc.path.stem, spec.new, parent, year, "table",
                   parent.tables if parent else ())
        row_lines = [loader.line(doc, "table", "rows", i) for i in range(len(spec.rows))]
        table, problems = build_table(doc.path.stem, spec, doc.name, loader.line(doc, "table"), row_lines)
        for line, path, message in problems:
            loader.problem(doc, line, f"table.{path}", message)
        tables[doc.path.stem] = table
    return tables


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _changed_rows(loader: FolderReader, doc: Document, parent: Rulebook | None, year: int) -> DecisionTable | None:
    """A table of the extended year with the rows this year's file changes (`table_rows:`), each row id
    checked against that table: an unknown id is a misspelling unless the row says `new: true`."""
    spec: models.TableRows = doc.model.table_rows  # type: ignore[attr-defined]
    name = doc.path.stem
    base = parent.tables.get(name) if parent else None
    if base is None:
        known = sorted(parent.tables) if parent else []
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f"; did you mean tables/{close[0]}.yaml?" if close else ""
        what = f"the {parent.year} rulebook this one extends has no table '{name}'" if parent else \
            "this rulebook extends no year"
        loader.at_key(doc, ("table_rows",), f"`table_rows:` changes rows of an inherited table, and {what}{hint}")
        return None
    assert parent is not None
    ids = [row.id for row in base.rows]
    for index, change in enumerate(spec.rows):
        if change.new and change.id in ids:
            loader.at_value(doc, ("table_rows", "rows", index, "new"), f"row '{change.id}' already exists in table "
                            f"'{name}' of the {parent.year} rulebook; remove `new: true` to change it")
        elif not change.new and change.id not in ids:
            loader.at_value(doc, ("table_rows", "rows", index, "id"), f"table '{name}' of the {parent.year} "
                            f"rulebook has no row '{change.id}'{_did_you_mean(change.id, ids) or ';'} a row new in "
                            f"{year} says `new: true`")
    for index, row_id in enumerate(spec.remove):
        if row_id not in ids:
            loader.at_value(doc, ("table_rows", "remove", index), f"table '{name}' of the {parent.year} rulebook "
                            f"has no row '{row_id}'{_did_you_mean(row_id, ids)}")
    row_lines = [loader.line(doc, "table_rows", "rows", i) for i in range(len(spec.rows))]
    table, problems = change_rows(base, spec, doc.name, loader.line(doc, "table_rows"), row_lines)
    for line, path, message in problems:
        loader.problem(doc, line, f"table_rows.{path}", message)
    return table


