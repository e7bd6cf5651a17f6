"""The explanation as data: every number a reader sees, read from a result's trace, with what it rests on.

This is what `mips explain --format json`, `/api/explain` and the web result page show. Nothing here
computes a score: values are rule outputs and reads recorded in the trace, and the unconfirmed values
flagged next to a number are those its own steps (and the steps they read, transitively) rest on.
"""

from __future__ import annotations

from typing import Any

from engine.combine import Combined
from engine.explain.render import TraceView
from engine.result import Result
from engine.rulebook import contract
from engine.rulebook.citations import resolve
from engine.trace import TraceNode
from engine.trace.dependencies import steps_behind
from engine.trace.views import flat, plain


class Dependencies:
    """The unconfirmed values behind each rule output, through the steps it read."""

    def __init__(self, result: Result):
        self.result = result
        self.steps = {node.rule_id: node for node in flat(result.trace)}
        self.order = {u.name: i for i, u in enumerate(result.unconfirmed)}

    def behind(self, name: str) -> list[str]:
        """Names of the result's unconfirmed values that the output `name` rests on, in the result's order."""
        found: set[str] = set()
        for node in steps_behind(self.steps, self.result.rulebook.outputs, name):
            found |= self._own(node)
        return sorted((n for n in found if n in self.order), key=self.order.__getitem__)

    def _own(self, node: TraceNode) -> set[str]:
        names = {node.rule_id} if node.status == "unconfirmed" else set()
        if node.row and node.row.status == "unconfirmed":
            names.add(f"{node.row.table}.{node.row.id}")
        names |= {r.name for r in node.reads if r.kind == "param" and r.status == "unconfirmed"}
        if node.rule_id.endswith(".reason") and isinstance(node.output, str):
            names.add(node.output)  # a reweighting reason is listed under its code
        return names


def explanation_data(scored: Result | Combined) -> dict[str, Any]:
    """What `mips explain --format json` prints: one explanation, or for several results of one clinician
    which counts and each one's explanation."""
    if isinstance(scored, Combined):
        return scored.summary() | {"explanations": [explanation(c.result) for c in scored.candidates]}
    return explanation(scored)


def explanation(result: Result) -> dict[str, Any]:
    """The explanation's content as plain data (exact decimals; display rounding is the templates' job)."""
    rb = result.rulebook
    summary = result.summary()
    deps = Dependencies(result)
    steps = deps.steps

    def out(name: str) -> Any:
        return result.value(name) if name in rb.outputs and rb.outputs[name][0].id in steps else None

    def read(name: str, read_name: str) -> Any:
        node = steps.get(rb.outputs[name][0].id) if name in rb.outputs else None
        return next((r.value for r in node.reads if r.name == read_name), None) if node else None

    labels = rb.case_inputs.categories
    categories = []
    for c in rb.categories:
        fields = summary["categories"][c]
        reason = rb.case_inputs.reweighting_reasons.get(fields.get("reason")) if fields.get("reason") else None
        categories.append({
            "category": c, "label": labels[c].label, **{k: fields.get(k) for k in contract.PER_CATEGORY},
            "reason_label": reason.label if reason else None,
            "reason_explanation": " ".join(reason.explanation.split()) if reason else None,
            "unconfirmed": sorted(set(deps.behind(f"{c}.score")) | set(deps.behind(f"{c}.weight")),
                                  key=deps.order.__getitem__),
        })
    row = steps[rb.outputs[f"{rb.categories[0]}.weight"][0].id].row
    data: dict[str, Any] = {
        "case_id": result.case_id,
        "case_file": result.case_file,
        "performance_year": rb.year,
        "payment_year": out("payment_adjustment.payment_year"),
        "rulebook": summary["rulebook"],
        "engine_version": summary["engine_version"],
        "final_score": {"value": summary["final_score"], "unconfirmed": deps.behind("final_score")},
        "payment_adjustment_percent": {"value": summary["payment_adjustment_percent"],
                                       "unconfirmed": deps.behind("payment_adjustment_percent")},
        "eligibility": _eligibility(result, steps),
        "additional_adjustment_percent": summary.get("additional_adjustment_percent"),
        "performance_threshold": read("payment_adjustment.band", "params.program.performance_threshold"),
        "band": out("payment_adjustment.band"),
        "distance_to_threshold": out("gap.distance_to_threshold"),
        "categories": categories,
        "weights_from": {"table": row.table, "row": row.id, "label": row.label, "at": f"{row.file}:{row.line}"}
        if row else None,
        "bonuses": {name: {"label": rb.case_inputs.bonuses[name].label if name in rb.case_inputs.bonuses else name,
                           "points": value} for name, value in summary["bonuses"].items()},
        "quality_measures": _quality_measures(result, steps),
        "improvement_activities": [
            {"activity_id": a["measure_id"], "title": a.get("title"), "points": a.get("points"),
             "full_credit": a.get("full_credit")} for a in out("ia.activities") or []],
        "gap": {"points_to_threshold": out("gap.points_to_threshold"),
                "reachable_score": out("gap.reachable_score"),
                "by_category": [{"category": c, "label": labels[c].label,
                                 "score_increase_needed": out(f"gap.{c}.score_increase_needed"),
                                 "can_close_alone": out(f"gap.{c}.can_close_alone"),
                                 "room": out(f"gap.{c}.room")} for c in rb.categories]},
        "raise": {
            "quality_measures": [
                {"measure_id": m["measure_id"], "collection_type": m["collection_type"], "title": m.get("title"),
                 "performance_rate": m.get("rate"), "is_inverse": m.get("is_inverse"),
                 "next_decile": m["decile"] + 1, "next_decile_rate": m["next_decile_rate"],
                 "measure_points_gain": m["next_decile_gain"], "final_score_gain": m["next_decile_final_points"]}
                for m in sorted((m for m in out("gap.quality.next_decile_steps") or [] if m.get("next_decile_gain")),
                                key=lambda m: -m["next_decile_final_points"])],
            "improvement_activities": {"activities_to_full": out("gap.ia.activities_to_full"),
                                       "points_per_activity": out("gap.ia.activity_step"),
                                       "final_score_gain_per_activity": out("gap.ia.final_points_per_activity")},
        },
        "unconfirmed": [u.__dict__ | {"citations": [c.as_data() for c in resolve(u.source, rb.bibliography)]}
                        for u in result.unconfirmed],
        "sources": TraceView(result).sources(),
    }
    return plain(data)


ELIGIBILITY = "eligibility.verdict"
UNDETERMINED = ("undetermined", "eligibility.todo.state_missing_figures")
"""The verdict given when facts are missing, and the step that names them."""


def _eligibility(result: Result, steps: dict[str, TraceNode]) -> dict[str, Any] | None:
    """The eligibility verdict and the step that decided it (the last condition its rule read), when traced."""
    outputs = result.rulebook.outputs
    node = steps.get(outputs[ELIGIBILITY][0].id) if ELIGIBILITY in outputs else None
    if node is None:
        return None
    read = [steps[outputs[r.name][0].id] for r in node.reads
            if r.kind == "rule" and r.name in outputs and outputs[r.name][0].id in steps]
    if node.output == UNDETERMINED[0] and UNDETERMINED[1] in outputs and outputs[UNDETERMINED[1]][0].id in steps:
        read.append(steps[outputs[UNDETERMINED[1]][0].id])
    decisive = read[-1] if read else node
    return {"verdict": node.output, "adjustment_applies": result.value("payment_adjustment_percent") is not None,
            "decided_by": {"rule": decisive.rule_id, "description": " ".join(decisive.description.split()),
                           "at": f"{decisive.file}:{decisive.line}", "source": decisive.source}}


def _quality_measures(result: Result, steps: dict[str, TraceNode]) -> list[dict[str, Any]]:
    """Each submitted quality measure with its title, rate, decile, points, and whether and why it counted."""
    outputs = result.rulebook.outputs
    if "quality.measures" not in outputs or outputs["quality.measures"][0].id not in steps:
        return []
    counted = steps.get(outputs["quality.counted"][0].id) if "quality.counted" in outputs else None
    choices = {c.label: c for c in (counted.selection or [])} if counted else {}
    measures = []
    for m in result.value("quality.measures") or []:
        choice = choices.get(m["label"])
        measures.append({
            "measure_id": m["measure_id"], "collection_type": m["collection_type"], "title": m.get("title"),
            "scoring": m.get("scoring"), "performance_rate": m.get("rate"), "data_completeness": m.get("data_completeness"),
            "decile": m.get("decile"), "benchmark_year": m.get("benchmark_year"), "points": m.get("points"),
            "counted": choice.selected if choice else None, "why": choice.why if choice else None,
        })
    return measures
