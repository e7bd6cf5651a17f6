"""What changed between two rulebooks, and how those changes move one case's score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from engine.errors import MipsError
from engine.reference.loader import load_reference
from engine.reference.models import ReferenceData
from engine.result import Result
from engine.rulebook import contract
from engine.rulebook.citations import resolve
from engine.rulebook.compiled import Rule, Rulebook
from engine.trace.dependencies import steps_behind
from engine.trace.views import flat, plain, show

REFERENCE_KINDS = {"quality_measures": "quality measure", "improvement_activities": "improvement activity",
                   "pi_measures": "PI measure", "cost_measures": "cost measure", "benchmarks": "benchmark",
                   "mvps": "MVP"}


@dataclass(frozen=True)
class Change:
    """One difference: what, how (added, removed, changed), old and new, with where and why each stands."""

    kind: str
    name: str
    change: str
    old: Any = None
    new: Any = None
    fields: tuple[str, ...] = ()
    old_at: str | None = None
    new_at: str | None = None
    old_source: str | None = None
    new_source: str | None = None
    old_status: str | None = None
    new_status: str | None = None

    @property
    def can_move_a_value(self) -> bool:
        """Added, removed, or changed in more than its citation and status (a value, a row, the logic)."""
        return self.change != "changed" or bool(set(self.fields) - CITATION_FIELDS - {"status"})

    @property
    def citation_only(self) -> bool:
        """Only the citation changed (source or description), not the value, status or logic."""
        return self.change == "changed" and set(self.fields) <= CITATION_FIELDS


CITATION_FIELDS = {"source", "description", "note"}


@dataclass
class RulebookDiff:
    old: Rulebook
    new: Rulebook
    changes: list[Change] = field(default_factory=list)
    reference_note: str | None = None
    pathway_changes: list[Change] = field(default_factory=list)
    """Changes of the reporting options and of what each option's overlays state (empty when comparing
    one option's rulebooks)."""

    def to_data(self) -> dict[str, Any]:
        return {"from": {"year": self.old.year, "sha256": self.old.sha256, "pathway": self.old.pathway},
                "to": {"year": self.new.year, "sha256": self.new.sha256, "pathway": self.new.pathway},
                "changes": [self._change_data(c) for c in self.changes],
                "pathway_changes": [self._change_data(c) for c in self.pathway_changes],
                "reference_note": self.reference_note}

    def _citations(self, change: Change) -> dict[str, Any]:
        """The old and new sources of a change resolved in each rulebook's bibliography."""
        cited = {"old_citations": [c.as_data() for c in resolve(change.old_source, self.old.bibliography)],
                 "new_citations": [c.as_data() for c in resolve(change.new_source, self.new.bibliography)]}
        return {k: v for k, v in cited.items() if v}

    def _change_data(self, change: Change) -> dict[str, Any]:
        return plain({k: v for k, v in change.__dict__.items() if v not in (None, ())}
                     | {"citation_only": change.citation_only} | self._citations(change))


def _compare(kind: str, old: dict[str, Any], new: dict[str, Any], view) -> list[Change]:
    """Changes between two name -> item maps; `view` gives (comparable data, at, source, status) of an item."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a is None:
            data, at, source, status = view(b)
            changes.append(Change(kind, name, "added", new=data, new_at=at, new_source=source, new_status=status))
        elif b is None:
            data, at, source, status = view(a)
            changes.append(Change(kind, name, "removed", old=data, old_at=at, old_source=source, old_status=status))
        else:
            (da, at_a, sa, st_a), (db, at_b, sb, st_b) = view(a), view(b)
            fields = tuple(k for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k))
            if fields:
                changes.append(Change(kind, name, "changed", {k: da.get(k) for k in fields},
                                      {k: db.get(k) for k in fields}, fields, at_a, at_b, sa, sb, st_a, st_b))
    return changes


def _rule_view(rule: Rule) -> tuple[dict[str, Any], str, str, str]:
    data: dict[str, Any] = {"status": rule.status, "source": rule.source}
    if rule.expression:
        data["value"] = " ".join(rule.expression.source.split())
    if rule.lookup:
        data["lookup"] = f"table {rule.lookup.table.name}"
    if rule.each:
        data["each"] = f"{' '.join(rule.each.items.source.split())} by scope {rule.each.scope}"
    if rule.select:
        sel = rule.select
        data["select"] = (f"from {sel.source} where {sel.where} best per {sel.best_per} order {', '.join(sel.order_by)} "
                          f"required {sel.required} limit {sel.limit.source if sel.limit else None}")
    if rule.rounding:
        data["round"] = f"{rule.rounding.places} places {rule.rounding.mode}"
    return data, str(rule.origin), rule.source, rule.status


def diff_rulebooks(old: Rulebook, new: Rulebook, references: bool = True) -> RulebookDiff:
    result = RulebookDiff(old, new)
    result.changes += _compare("parameter", old.parameters, new.parameters, lambda p: (
        {"value": p.value, "unit": p.unit, "status": p.status, "source": p.source}, str(p.origin), p.source, p.status))
    rows_old = {f"{t.name}.{r.id}": (t, r) for t in old.tables.values() for r in t.rows}
    rows_new = {f"{t.name}.{r.id}": (t, r) for t in new.tables.values() for r in t.rows}
    result.changes += _compare("table row", rows_old, rows_new, lambda tr: (
        {"when": tr[1].when, "then": tr[1].then, "status": tr[1].status, "source": tr[1].source},
        f"{tr[0].file}:{tr[1].line}", tr[1].source, tr[1].status))
    result.changes += _compare("rule", old.rules, new.rules, _rule_view)
    scoped_old = {f"{s.name}:{r}": rule for s in old.scopes.values() for r, rule in s.rules.items()}
    scoped_new = {f"{s.name}:{r}": rule for s in new.scopes.values() for r, rule in s.rules.items()}
    result.changes += _compare("scope rule", scoped_old, scoped_new, _rule_view)
    for key in ("entity_types", "categories", "special_statuses", "reweighting_reasons", "bonuses"):
        result.changes += _compare(f"case input {key}", getattr(old.case_inputs, key), getattr(new.case_inputs, key),
                                   lambda item: (item.model_dump(), None, getattr(item, "source", None),
                                                 getattr(item, "status", None)))
    if not references:
        return result
    try:
        ref_old, ref_new = load_reference(old.year), load_reference(new.year)
    except MipsError as exc:
        result.reference_note = f"reference data not compared: {exc}"
        return result
    result.changes += _reference_changes(ref_old, ref_new)
    return result


OVERLAY_FOLDER = "/pathways/"
"""Where a pathway overlay's files lie in a year folder (their origins name it)."""


def diff_pathways(old: Rulebook, new: Rulebook, compose: Callable[[Rulebook, str], Rulebook]) -> list[Change]:
    """Changes of the years' reporting options (pathways.yaml) and, for each option both years have, of
    what its overlays state (parameters, table rows, rules and scope rules written in a pathway folder)."""
    changes = _compare("pathway", old.pathways, new.pathways, lambda p: (
        p.option.model_dump(exclude={"description"}), str(p.origin), p.option.source, p.option.status))
    changes += _compare("pathway default", old.pathway_defaults, new.pathway_defaults, lambda d: (
        d.default.model_dump(exclude={"reason"}), str(d.origin), d.default.source, d.default.status))
    for name in sorted(old.pathways.keys() & new.pathways.keys()):
        if not (old.pathways[name].option.overlays or new.pathways[name].option.overlays):
            continue
        for change in diff_rulebooks(compose(old, name), compose(new, name), references=False).changes:
            if any(OVERLAY_FOLDER in (at or "") for at in (change.old_at, change.new_at)):
                changes.append(replace(change, kind=f"{name} {change.kind}"))
    return changes


def _reference_changes(old: ReferenceData, new: ReferenceData) -> list[Change]:
    changes: list[Change] = []
    for attr, kind in REFERENCE_KINDS.items():
        a, b = getattr(old, attr), getattr(new, attr)
        for name in sorted(a.keys() - b.keys()):
            changes.append(Change(kind, name, "removed", old_source=old.source.cite))
        for name in sorted(b.keys() - a.keys()):
            changes.append(Change(kind, name, "added", new_source=new.source.cite))
        if attr == "mvps":
            changes += _mvp_changes(a, b, old, new)
        if attr == "benchmarks":
            for name in sorted(a.keys() & b.keys()):
                pa, pb = a[name].percentiles or a[name].deciles, b[name].percentiles or b[name].deciles
                if pa != pb or a[name].is_topped_out_by_program != b[name].is_topped_out_by_program:
                    changes.append(Change(kind, name, "changed",
                                          {"benchmark_year": a[name].benchmark_year, "bounds": pa,
                                           "topped_out_by_program": a[name].is_topped_out_by_program},
                                          {"benchmark_year": b[name].benchmark_year, "bounds": pb,
                                           "topped_out_by_program": b[name].is_topped_out_by_program},
                                          ("bounds",)))
    return changes


MVP_LISTS = {"quality_measure_ids": "quality measure", "ia_measure_ids": "improvement activity",
             "cost_measure_ids": "cost measure", "foundation_quality_measure_ids": "population health measure",
             "foundation_pi_measure_ids": "PI measure",
             "administrative_claims_measure_ids": "administrative-claims measure"}
"""The measure lists of an MVP, compared as sets: what an MVP adds or drops, not CMS's reordering."""


def _mvp_changes(old_mvps: dict[str, Any], new_mvps: dict[str, Any], old: ReferenceData,
                 new: ReferenceData) -> list[Change]:
    """For each MVP of both years: the measures it adds or drops, and its other fields that changed."""
    changes: list[Change] = []
    sources = {"old_source": old.source.cite,
               "new_source": new.source.cite}
    for name in sorted(old_mvps.keys() & new_mvps.keys()):
        a, b = old_mvps[name].model_dump(), new_mvps[name].model_dump()
        for field, label in MVP_LISTS.items():
            for item in sorted(set(a[field]) - set(b[field])):
                changes.append(Change("MVP measure", f"{name} {label} {item}", "removed", old_source=sources["old_source"]))
            for item in sorted(set(b[field]) - set(a[field])):
                changes.append(Change("MVP measure", f"{name} {label} {item}", "added", new_source=sources["new_source"]))
        fields = tuple(k for k in a if k not in MVP_LISTS and a[k] != b[k])
        if fields:
            changes.append(Change("MVP", name, "changed", {k: a[k] for k in fields}, {k: b[k] for k in fields},
                                  fields, **sources))
    return changes


@dataclass(frozen=True)
class Moved:
    """A rule whose output differs between the two results, and the rulebook changes it read directly."""

    rule: str
    old: Any
    new: Any
    because: tuple[str, ...]


def compare_results(old: Result, new: Result, changes: RulebookDiff | None) -> dict[str, Any]:
    """One case (or one clinician's files of two years) under two rulebooks, case first: the answers, what
    moved each category and why, then the rulebook changes the case's steps read.

    `changes` is the diff between the two rulebooks (None when both results use the same one).
    """
    moving = [c for c in changes.changes if c.can_move_a_value] if changes else []
    changed_names = {c.name for c in moving if c.kind in ("parameter", "rule")}
    changed_rows = {c.name for c in moving if c.kind == "table row"}
    old_steps = {n.rule_id: n for n in flat(old.trace)}
    new_steps = {n.rule_id: n for n in flat(new.trace)}
    moved: dict[str, Moved] = {}
    for node in new_steps.values():
        before = old_steps.get(node.rule_id)
        if before is not None and plain(before.output) == plain(node.output):
            continue
        because = [f"rule {node.rule_id} changed"] if node.rule_id in changed_names else []
        because += [f"{r.name} {show(_read(before, r.name))} -> {show(r.value)}" for r in node.reads
                    if r.kind == "param" and r.name in changed_names
                    and (before is None or plain(_read(before, r.name)) != plain(r.value))]
        if node.row and f"{node.row.table}.{node.row.id}" in changed_rows:
            because.append(f"table row {node.row.table}.{node.row.id} changed")
        if before is not None:
            because += [_fact_change(r.name, _read(before, r.name), r.value) for r in node.reads
                        if r.kind == "fact" and plain(_read(before, r.name)) != plain(r.value)]
        if before is None:
            because.append(NEW_STEP)
        moved[node.rule_id] = Moved(node.rule_id, before.output if before else None, node.output, tuple(because))
    summary_old, summary_new = old.summary(), new.summary()
    labels = new.rulebook.case_inputs.categories
    categories = []
    for c in new.rulebook.categories:
        a, b = summary_old["categories"].get(c, {}), summary_new["categories"][c]
        behind = {n.rule_id for n in steps_behind(new_steps, new.rulebook.outputs, f"{c}.contribution")}
        categories.append({
            "category": c, "label": labels[c].label,
            "old": {k: a.get(k) for k in ("status", "score", "weight", "contribution")},
            "new": {k: b.get(k) for k in ("status", "score", "weight", "contribution")},
            "contribution_change": _difference(a.get("contribution"), b.get("contribution")),
            "because": _reasons(behind, moved),
        })
    bonus_labels = new.rulebook.case_inputs.bonuses
    bonuses = []
    for name in sorted(summary_old["bonuses"].keys() | summary_new["bonuses"].keys()):
        a, b = summary_old["bonuses"].get(name), summary_new["bonuses"].get(name)
        if plain(a) != plain(b):
            behind = {n.rule_id for n in steps_behind(new_steps, new.rulebook.outputs, contract.BONUS_PREFIX + name)}
            bonuses.append({"bonus": name, "label": bonus_labels[name].label if name in bonus_labels else name,
                            "old": a, "new": b, "change": _difference(a, b), "because": _reasons(behind, moved)})
    adjustment_behind = ({n.rule_id for n in steps_behind(new_steps, new.rulebook.outputs, "payment_adjustment_percent")}
                         - {n.rule_id for n in steps_behind(new_steps, new.rulebook.outputs, "final_score")})
    return {
        "case_id": new.case_id,
        "from": _answer(old, summary_old),
        "to": _answer(new, summary_new),
        "final_score_change": summary_new["final_score"] - summary_old["final_score"],
        "payment_adjustment_change": _difference(summary_old["payment_adjustment_percent"],
                                                 summary_new["payment_adjustment_percent"]),
        "categories": plain(categories),
        "bonuses": plain(bonuses),
        "adjustment_because": _reasons(adjustment_behind, moved),
        "moved": [plain(m.__dict__) for m in moved.values() if m.because],
        "rulebook_changes_read": [c for c in changes.to_data()["changes"]
                                  if c["name"] in _read_names(old, new) and not c["citation_only"]]
        if changes else [],
    }


NEW_STEP = "rule is new or was not needed before"
ELIGIBILITY = "eligibility.verdict"


def _reasons(rules: set[str], moved: dict[str, Moved]) -> list[str]:
    """The distinct reasons behind the moved steps among `rules`; 'new step' only when nothing else explains them."""
    reasons = sorted({reason for rule in rules if rule in moved for reason in moved[rule].because})
    return [r for r in reasons if r != NEW_STEP] or reasons


def _fact_change(name: str, old: Any, new: Any) -> str:
    if isinstance(old, (list, tuple, dict)) or isinstance(new, (list, tuple, dict)):
        return f"{name} differ (the files of the two years)"
    return f"{name} {show(old)} -> {show(new)}"


def _answer(result: Result, summary: dict[str, Any]) -> dict[str, Any]:
    """A result's answer; the payment adjustment is None (and `eligibility` says why) when none applies."""
    return {"year": result.rulebook.year, "rulebook_status": result.rulebook.status, "case_file": result.case_file,
            "final_score": summary["final_score"], "payment_adjustment_percent": summary["payment_adjustment_percent"],
            "eligibility": result.value(ELIGIBILITY) if ELIGIBILITY in result.rulebook.outputs else None}


def _difference(old: Any, new: Any) -> Any:
    return new - old if old is not None and new is not None else None


def _read_names(*results: Result) -> set[str]:
    """Names of the rules, parameters, table rows, scope rules and benchmarks the results' steps used."""
    names: set[str] = set()
    for result in results:
        for node in flat(result.trace):
            names.add(node.rule_id)
            names |= {r.name for r in node.reads}
            if node.row:
                names.add(f"{node.row.table}.{node.row.id}")
        names |= {f"{scope.name}:{rule}" for scope in result.rulebook.scopes.values() for rule in scope.rules
                  if rule in names}
        if "quality.measures" in result.rulebook.outputs and "quality.measures" in names:
            measures = result.value("quality.measures") or []
            names |= {f"{m['measure_id']}|{m['collection_type']}" for m in measures}
            names |= {m["measure_id"] for m in measures}
    return names


def _read(node: Any, name: str) -> Any:
    if node is None:
        return None
    return next((r.value for r in node.reads if r.name == name), None)
