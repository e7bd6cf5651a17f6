"""A scored case: the summary users read, stamped with rulebook and engine, plus its trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import engine
from engine.evaluate import Evaluation
from engine.rulebook import contract
from engine.rulebook.compiled import Rulebook
from engine.trace import TraceNode
from engine.trace.views import plain, tree_data


@dataclass(frozen=True)
class Unconfirmed:
    """A value the result rests on whose source is not confirmed."""

    kind: str
    name: str
    at: str
    source: str
    note: str | None


@dataclass
class Result:
    case_id: str | None
    case_file: str
    rulebook: Rulebook
    evaluation: Evaluation
    trace: list[TraceNode]
    unconfirmed: list[Unconfirmed]

    def value(self, name: str) -> Any:
        """A rule output already computed for this case (reading it adds nothing to the trace)."""
        rule, column = self.rulebook.outputs[name]
        output = self.evaluation.run(rule)
        return output[column] if column is not None else output

    def summary(self) -> dict[str, Any]:
        rb = self.rulebook
        categories = {}
        for c in rb.categories:
            fields = {field: self.value(f"{c}.{field}") for field in contract.PER_CATEGORY}
            if fields["reason"] is None:
                del fields["reason"]
            categories[c] = fields
        bonuses = {name.removeprefix(contract.BONUS_PREFIX): self.value(name)
                   for name in rb.outputs if name.startswith(contract.BONUS_PREFIX)}
        return {
            "case_id": self.case_id,
            "performance_year": rb.year,
            "final_score": self.value("final_score"),
            "payment_adjustment_percent": self.value("payment_adjustment_percent"),
            **{name: self.value(name) for name in contract.OPTIONAL_TOP_LEVEL if name in rb.outputs},
            "categories": categories,
            "bonuses": bonuses,
            "unconfirmed": [u.__dict__ for u in self.unconfirmed],
            "rulebook": {"year": rb.year, "title": rb.title, "status": rb.status, "sha256": rb.sha256},
            "engine_version": engine.__version__,
        }

    def to_data(self) -> dict[str, Any]:
        return plain(self.summary()) | {"trace": tree_data(self.trace)}


def collect_unconfirmed(roots: list[TraceNode], rulebook: Rulebook) -> list[Unconfirmed]:
    """Every unconfirmed rule, parameter, table row or reweighting reason the trace used, once each."""
    found: dict[str, Unconfirmed] = {}
    reasons = rulebook.case_inputs.reweighting_reasons
    pending = rulebook.pending_confirmation
    for root in roots:
        for node in root.walk():
            if node.status == "unconfirmed":
                found.setdefault(node.rule_id, Unconfirmed("rule", node.rule_id, f"{node.file}:{node.line}",
                                                           node.source, node.note))
            if node.row and node.row.status == "unconfirmed":
                key = f"{node.row.table}.{node.row.id}"
                found.setdefault(key, Unconfirmed("table row", key, f"{node.row.file}:{node.row.line}",
                                                  node.row.source, node.row.note))
            for read in node.reads:
                if read.kind == "param" and read.name in pending:
                    param = rulebook.parameters[read.name]
                    note = f"inherited from {param.origin} and not yet confirmed for {rulebook.year}"
                    found.setdefault(read.name, Unconfirmed("parameter", read.name, str(param.origin),
                                                            param.source, note + (f"; {param.note}" if param.note else "")))
                elif read.kind == "param" and read.status == "unconfirmed":
                    param = rulebook.parameters[read.name]
                    found.setdefault(read.name, Unconfirmed("parameter", read.name, str(param.origin),
                                                            param.source, param.note))
            if node.rule_id.endswith(".reason") and isinstance(node.output, str):
                spec = reasons.get(node.output)
                if spec is not None and spec.status == "unconfirmed":
                    found.setdefault(f"reason {node.output}", Unconfirmed(
                        "reweighting reason", node.output, "case_inputs.yaml", spec.source, spec.note))
    return list(found.values())

