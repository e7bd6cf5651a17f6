"""The effective rulebook as plain data: every value with where it is written and its source."""

from __future__ import annotations

from typing import Any

from engine.rulebook.citations import resolve
from engine.rulebook.compiled import Rulebook
from engine.trace.views import plain


def show_rulebook(rulebook: Rulebook) -> dict[str, Any]:
    """Every parameter, table (and row) and rule with where it is written, its source resolved in the bibliography."""

    def cites(source: str | None) -> list[dict[str, Any]]:
        return [c.as_data() for c in resolve(source, rulebook.bibliography)]

    return {
        "year": rulebook.year,
        "title": rulebook.title,
        "status": rulebook.status,
        "root": rulebook.root,
        "sha256": rulebook.sha256,
        "files": list(rulebook.files),
        "pathway": rulebook.pathway,
        "pathways": {
            name: {"label": p.option.label, "programs": list(p.option.programs), "program_list": p.option.program_list,
                   "entity_types": list(p.option.entity_types), "overlays": list(p.option.overlays),
                   "source": p.option.source, "status": p.option.status, "at": str(p.origin)}
            for name, p in rulebook.pathways.items()
        },
        "pathway_defaults": {
            entity: {"pathway": d.default.pathway, "source": d.default.source, "status": d.default.status,
                     "at": str(d.origin)}
            for entity, d in rulebook.pathway_defaults.items()
        },
        "parameters": {
            p.name: {"value": plain(p.value), "unit": p.unit, "description": p.description,
                     "source": p.source, "citations": cites(p.source), "status": p.status, "note": p.note,
                     "at": str(p.origin)}
            for p in sorted(rulebook.parameters.values(), key=lambda p: p.name)
        },
        "tables": {
            t.name: {
                "description": t.description, "at": f"{t.file}:{t.line}", "source": t.source,
                "citations": cites(t.source), "status": t.status,
                "inputs": list(t.inputs), "outputs": list(t.outputs),
                "rows": [{"id": r.id, "label": r.label, "when": plain(r.when), "then": plain(r.then),
                          "source": r.source, "citations": cites(r.source), "status": r.status,
                          "at": f"{t.file}:{r.line}"} for r in t.rows],
            }
            for t in rulebook.tables.values()
        },
        "rules": {
            r.id: {"description": r.description, "at": str(r.origin), "source": r.source,
                   "citations": cites(r.source), "status": r.status}
            | ({"value": " ".join(r.expression.source.split())} if r.expression else {})
            | ({"lookup": {"table": r.lookup.table.name,
                           "inputs": {k: e.source for k, e in r.lookup.inputs.items()},
                           "outputs": dict(r.lookup.outputs)}} if r.lookup else {})
            | ({"round": {"places": r.rounding.places, "mode": r.rounding.mode}} if r.rounding else {})
            for r in rulebook.rules.values()
        },
    }
