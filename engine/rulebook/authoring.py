"""Tools for rulebook editors: a new year's scaffold, what is left to confirm, JSON Schemas of the files."""

from __future__ import annotations

import json
from pathlib import Path

from engine.atomic import write_atomically
from engine.case.models import Case
from engine.errors import MipsError
from engine.rulebook import datakinds, models
from engine.rulebook.compiled import Rule, Rulebook
from engine.rulebook.registry import display_path, rulebooks_root

SCHEMAS = {
    "rulebook.schema.json": (models.ManifestFile, "rulebooks/*/rulebook.yaml"),
    "case_inputs.schema.json": (models.CaseInputsFile, "rulebooks/*/case_inputs.yaml"),
    "parameters.schema.json": (models.ParameterFile, "rulebooks/*/parameters/*.yaml"),
    "tables.schema.json": (models.TableFile, "rulebooks/*/tables/*.yaml"),
    "rules.schema.json": (models.RuleFile, "rulebooks/*/rules/*.yaml"),
    "pathways.schema.json": (models.PathwaysFile, "rulebooks/*/pathways.yaml"),
    "case.schema.json": (Case, "examples/cases/*.yaml"),
}


def write_schemas(folder: Path) -> list[tuple[Path, str]]:
    """Write one JSON Schema per rulebook file kind (and for case files); returns (file, glob) pairs."""
    written = []
    for name, (model, pattern) in SCHEMAS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        write_atomically(folder / name, (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode())
        written.append((folder / name, pattern))
    return written


def scaffold(year: int, base: Rulebook) -> Path:
    """Create `rulebooks/YEAR/` extending `base`, marked proposed, listing every inherited parameter to confirm."""
    folder = rulebooks_root() / str(year)
    if (folder / "rulebook.yaml").exists():
        raise MipsError(f"{display_path(folder / 'rulebook.yaml')} already exists; edit it instead")
    if year <= base.year:
        raise MipsError(f"a new rulebook comes after the one it extends; {year} is not after {base.year}")
    names = sorted(base.parameters)
    lines = [
        "rulebook:",
        f"  year: {year}",
        f"  title: MIPS performance year {year}, traditional MIPS — proposed",
        "  status: proposed",
        f"  extends: {base.year}",
        "  description: >",
        f"    Starts as the {base.year} rulebook. Confirm each value below for {year}: override it in",
        "    parameters/FILE.yaml with its new value, source and status, then delete it from to_confirm.",
        "    A source is one or more citations 'key pinpoint' separated by '; ', each key defined in",
        "    rulebooks/sources/*.yaml (for example: source: \"cfr-414.1380 (b)(1)(iii)\").",
        "  to_confirm:",
        *[f"    - {name}" for name in names],
    ]
    write_atomically(folder / "rulebook.yaml", ("\n".join(lines) + "\n").encode())
    return folder


def to_confirm(rulebook: Rulebook) -> list[str]:
    """Notes for an editor: inherited values still to confirm, and this year's own unconfirmed values."""
    own_root = rulebook.root + "/"
    notes = [f"{name}: inherited from {rulebook.parameters[name].origin} and still to confirm for {rulebook.year}"
             for name in rulebook.pending_confirmation]
    notes += [f"{p.name}: status unconfirmed ({p.origin}){': ' + p.note if p.note else ''}"
              for p in rulebook.parameters.values()
              if p.status == "unconfirmed" and str(p.origin).startswith(own_root)]
    return notes


def unread(rulebook: Rulebook) -> list[str]:
    """Notes on the parameters nothing reads: no rule, no case input limit, no stage of the engine."""
    read = {name for rule in rulebook.rules.values() for name in _names(rule)}
    read |= {name for scope in rulebook.scopes.values() for rule in scope.rules.values() for name in _names(rule)}
    read |= {spec.score_max for spec in rulebook.case_inputs.categories.values() if isinstance(spec.score_max, str)}
    stages = datakinds.parameters_read()
    return [f"{name} ({parameter.origin})" for name, parameter in rulebook.parameters.items()
            if name not in read and not name.startswith(stages)]


def _names(rule: Rule) -> list[str]:
    return rule.reads + (list(rule.each.label.names) if rule.each else [])
