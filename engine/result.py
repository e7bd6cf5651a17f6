"""A scored case: the summary users read, stamped with rulebook and engine, plus its trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import engine
from engine import jsonout
from engine.case.models import Case
from engine.evaluate import Evaluation
from engine.rulebook import contract
from engine.rulebook.compiled import Parameter, Rule, Rulebook
from engine.trace import TraceNode
from engine.trace.views import kept, plain, tree_data
from engine.trace.writer import trace_json

if TYPE_CHECKING:
    from engine.pathways import Selection


@dataclass(frozen=True)
class Unconfirmed:
    """A value the result rests on whose source is not confirmed."""

    kind: str
    name: str
    at: str
    source: str
    note: str | None


class Result:
    """A case's result: what it was scored with and its trace (a plain class: cheap to define at start)."""

    def __init__(self, case_id: str | None, case_file: str, rulebook: Rulebook, evaluation: Evaluation,
                 trace: list[TraceNode], unconfirmed: list[Unconfirmed], selection: Selection | None = None,
                 case: Case | None = None):
        self.case_id = case_id
        self.case_file = case_file
        self.rulebook = rulebook
        self.evaluation = evaluation
        self.trace = trace
        self.unconfirmed = unconfirmed
        self.selection = selection
        self.case = case

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
        bonuses = {name.removeprefix(contract.BONUS_PREFIX): self.value(name) for name in _bonus_outputs(rb)}
        return {
            "case_id": self.case_id,
            "performance_year": rb.year,
            "pathway": self.selection.to_data() if self.selection else None,
            "final_score": self.value("final_score"),
            "payment_adjustment_percent": self.value("payment_adjustment_percent"),
            **{name: self.value(name) for name in contract.OPTIONAL_TOP_LEVEL if name in rb.outputs},
            "categories": categories,
            "bonuses": bonuses,
            "unconfirmed": [u.__dict__ for u in self.unconfirmed],
            "rulebook": {"year": rb.year, "title": rb.title, "status": rb.status, "sha256": rb.sha256,
                         "pathway": rb.pathway},
            "engine_version": engine.__version__,
        }

    def to_data(self, trace: bool = True) -> dict[str, Any]:
        """The summary and (unless `trace` is false) the trace, as plain JSON-ready data."""
        return plain(self.summary()) | ({"trace": tree_data(self.trace)} if trace else {})

    def json_ready(self, trace: bool = True) -> dict[str, Any]:
        """What `to_data()` holds, with values left as the engine holds them (tuples, records) for engine.jsonout."""
        return self.summary() | ({"trace": tree_data(self.trace, kept)} if trace else {})

    def to_json(self, indent: int | None = None, trace: bool = True, within: tuple[str, str] = ("", "")) -> str:
        """`to_data()` as JSON text, compact unless `indent`; the same result always gives the same bytes.
        `within`: the text before and after it (a record that holds the result), the line ended after them."""
        before, after = within
        if indent is not None or not trace:
            text = jsonout.dumps(self.json_ready(trace), indent)
            return f"{before}{text[:-1]}{after}\n" if before or after else text
        summary = jsonout.dumps(self.summary(), indent=None)  # the summary object, its last brace reopened
        return trace_json(self.trace, f'{before}{summary[:-2]},"trace":', f"}}{after}\n")


def collect_unconfirmed(roots: list[TraceNode], rulebook: Rulebook) -> list[Unconfirmed]:
    """Every unconfirmed rule, parameter, table row or reweighting reason the trace used, once each."""
    found: dict[str, Unconfirmed] = {}
    reasons = rulebook.case_inputs.reweighting_reasons
    parameters = _unconfirmed_parameters(rulebook)
    quiet = _quiet_rules(rulebook)
    calm = _calm_rules(rulebook).get
    pending = list(reversed(roots))
    while pending:  # depth first, each node before its children
        node = pending.pop()
        if node.children:
            pending += reversed(node.children)
        step = node.step
        if calm(step.id) is step:
            continue
        if step.status == "unconfirmed":
            found.setdefault(step.id, Unconfirmed("rule", step.id, f"{node.file}:{node.line}", step.source,
                                                  step.note))
        if step.id in quiet:
            continue
        row = node.row
        if row and row.status == "unconfirmed":
            key = f"{row.table}.{row.id}"
            found.setdefault(key, Unconfirmed("table row", key, f"{row.file}:{row.line}", row.source, row.note))
        if parameters and not parameters.keys().isdisjoint(node.values):
            for name in node.values:
                param = parameters.get(name)
                if param is not None and node.kind_of(name) == "param":
                    found.setdefault(name, Unconfirmed("parameter", name, str(param[0].origin), param[0].source,
                                                       param[1]))
        output = node.output
        if type(output) is str and step.id.endswith(".reason"):
            spec = reasons.get(output)
            if spec is not None and spec.status == "unconfirmed":
                found.setdefault(f"reason {output}", Unconfirmed(
                    "reweighting reason", output, "case_inputs.yaml", spec.source, spec.note))
    return list(found.values())


def _bonus_outputs(rulebook: Rulebook) -> tuple[str, ...]:
    """The rulebook's bonus outputs, in its order (derived once per rulebook)."""
    key = ("result.bonus_outputs",)
    if key not in rulebook.derived:
        rulebook.derived[key] = tuple(name for name in rulebook.outputs if name.startswith(contract.BONUS_PREFIX))
    return rulebook.derived[key]


def _quiet_rules(rulebook: Rulebook) -> frozenset[str]:
    """The rules whose steps can rest on nothing unconfirmed but their own status: no table row, no
    unconfirmed parameter among what they can read, no reweighting reason (derived once per rulebook)."""
    key = ("result.quiet_rules",)
    if key not in rulebook.derived:
        parameters = _unconfirmed_parameters(rulebook)
        rules = [*rulebook.rules.values(), *(r for scope in rulebook.scopes.values() for r in scope.rules.values())]
        rulebook.derived[key] = frozenset(r.id for r in rules if r.lookup is None and not r.id.endswith(".reason")
                                          and parameters.keys().isdisjoint(r.reads))
    return rulebook.derived[key]


def _calm_rules(rulebook: Rulebook) -> dict[str, Rule]:
    """The quiet rules whose own status is not unconfirmed, by id: a step of one of these rules adds
    nothing to what a result rests on (derived once per rulebook)."""
    key = ("result.calm_rules",)
    if key not in rulebook.derived:
        quiet = _quiet_rules(rulebook)
        rules = [*rulebook.rules.values(), *(r for scope in rulebook.scopes.values() for r in scope.rules.values())]
        rulebook.derived[key] = {r.id: r for r in rules if r.id in quiet and r.status != "unconfirmed"}
    return rulebook.derived[key]


def _unconfirmed_parameters(rulebook: Rulebook) -> dict[str, tuple[Parameter, str | None]]:
    """The rulebook's unconfirmed parameters by name, with the note a result shows: its own, and for an
    inherited value still to confirm in a proposed year, what is left to do (derived once per rulebook)."""
    key = ("result.unconfirmed_parameters",)
    if key not in rulebook.derived:
        found = {n: (p, p.note) for n, p in rulebook.parameters.items() if p.status == "unconfirmed"}
        for name in rulebook.pending_confirmation:
            param = rulebook.parameters[name]
            note = f"inherited from {param.origin} and not yet confirmed for {rulebook.year}"
            found[name] = (param, note + (f"; {param.note}" if param.note else ""))
        rulebook.derived[key] = found
    return rulebook.derived[key]
