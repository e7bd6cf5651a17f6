"""Check the columnar run against the traced engine, row by row.

Each row's facts are built by evaluating the mapping's expressions on the row (the traced way) and
scored by the traced engine; every output of the columnar run must equal the traced value exactly
(Decimal equality after the rule's declared rounding), and a row the traced engine refuses must be
a row with a problem naming the same rule. Rows that share their facts are scored once. A population
of several pathways (pathways.PopulationScorer) is checked row by row under each row's pathway: its
pathway is decided the traced way and the row scored by engine.api with that pathway's rulebook.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import polars as pl

from engine.api import score_facts
from engine.case.facts import fact_names
from engine.errors import EvaluationError
from engine.result import Result

from .inputs import ROW
from .mapping import COLUMN_PREFIX
from .pathways import PATHWAY, PopulationScorer, row_pathway
from .plan import PROBLEM, ROW_SUFFIX
from .scorer import LABEL, YEAR_FACT, Scorer


NO_PATHWAY = "(none)"


@dataclass(frozen=True)
class Difference:
    row: int
    label: str | None
    output: str
    rule: str
    traced: Any
    columnar: Any
    pathway: str | None = None

    def __str__(self) -> str:
        under = f" under {self.pathway}" if self.pathway else ""
        return (f"row {self.row} ({self.label}){under}: {self.output} (rule {self.rule}): traced engine "
                f"{self.traced!r}, columnar {self.columnar!r}")


def row_facts(scorer: Scorer, row: dict[str, Any]) -> dict[str, Any]:
    """One row's facts, built by the traced evaluator from the mapping's expressions."""
    facts: dict[str, Any] = {name: None for name in fact_names(scorer.rulebook.case_inputs)}
    facts[YEAR_FACT] = Decimal(scorer.rulebook.year)
    for fact, expression in scorer.mapping.facts.items():
        facts[fact] = expression.evaluate(row.__getitem__)
    return facts


def traced_outputs(scorer: Scorer, facts: dict[str, Any]) -> dict[str, Any] | str:
    """The traced engine's value of every columnar output, or the error it raised."""
    try:
        result = score_facts(facts, scorer.rulebook)
        return {name: _traced_value(result, name) for name in scorer.plan.columns()}
    except EvaluationError as exc:
        return str(exc)


def compare(scorer: Scorer, frame: pl.LazyFrame) -> tuple[int, list[Difference]]:
    """Score a typed frame (inputs.typed) both ways; the number of rows checked and every difference found."""
    inputs = frame.collect()
    scored = scorer.score(inputs.lazy()).collect()
    columns = [c for c in inputs.columns if c.startswith(COLUMN_PREFIX)]
    cache: dict[tuple, dict[str, Any] | str] = {}
    differences: list[Difference] = []
    for values, outputs in zip(inputs.select(columns).iter_rows(), scored.iter_rows(named=True)):
        row = dict(zip(columns, values))
        facts = row_facts(scorer, row)
        key = tuple(sorted(facts.items()))
        if key not in cache:
            cache[key] = traced_outputs(scorer, facts)
        differences += _differences(scorer, cache[key], outputs)
    return inputs.height, differences


def compare_population(population: PopulationScorer, frame: pl.LazyFrame) -> tuple[Counter[str], list[Difference]]:
    """Score a typed frame both ways, each row under its own pathway; rows checked per pathway (a row no
    pathway scores counted as '(none)') and every difference found."""
    inputs = frame.collect()
    scored = population.score(inputs.lazy()).collect()
    columns = [c for c in inputs.columns if c.startswith(COLUMN_PREFIX)]
    cache: dict[tuple, dict[str, Any] | str] = {}
    checked: Counter[str] = Counter()
    differences: list[Difference] = []
    for values, outputs in zip(inputs.select(columns).iter_rows(), scored.iter_rows(named=True)):
        row = dict(zip(columns, values))
        pathway, why = row_pathway(population, row)
        checked[pathway or NO_PATHWAY] += 1
        if outputs[PATHWAY] != pathway:
            differences.append(Difference(outputs[ROW], outputs[LABEL], PATHWAY, "reporting option", pathway,
                                          outputs[PATHWAY], pathway))
            continue
        if pathway is None:
            if outputs[PROBLEM] != why:
                differences.append(Difference(outputs[ROW], outputs[LABEL], PROBLEM, "reporting option", why,
                                              outputs[PROBLEM]))
            continue
        scorer = population.scorers[pathway]
        facts = row_facts(scorer, row)
        key = (pathway, *sorted(facts.items()))
        if key not in cache:
            cache[key] = traced_outputs(scorer, facts)
        differences += [replace(d, pathway=pathway) for d in _differences(scorer, cache[key], outputs)]
    return checked, differences


def _differences(scorer: Scorer, traced: dict[str, Any] | str, outputs: dict[str, Any]) -> list[Difference]:
    row, label = outputs[ROW], outputs[LABEL]
    if isinstance(traced, str):
        problem = outputs[PROBLEM]
        if problem is None or _rule_named(problem) != _rule_named(traced):
            return [Difference(row, label, "problem", _rule_named(traced), traced, problem)]
        return []
    found = []
    if outputs[PROBLEM] is not None:
        found.append(Difference(row, label, "problem", _rule_named(outputs[PROBLEM]), None, outputs[PROBLEM]))
    for name in scorer.plan.columns():
        if not _same(traced[name], outputs[name]):
            found.append(Difference(row, label, name, _rule_of(scorer, name), traced[name], outputs[name]))
    return found


def _traced_value(result: Result, name: str) -> Any:
    if name.endswith(ROW_SUFFIX) and name not in result.rulebook.outputs:
        rule_id = name.removesuffix(ROW_SUFFIX)
        for root in result.trace:
            for node in root.walk():
                if node.rule_id == rule_id and node.row is not None:
                    return node.row.id
        return None
    return result.value(name)


def _same(traced: Any, columnar: Any) -> bool:
    if isinstance(traced, Decimal) and isinstance(columnar, Decimal):
        return traced == columnar
    if isinstance(traced, bool) or isinstance(columnar, bool):
        return type(traced) is type(columnar) and traced == columnar
    return traced == columnar and (traced is None) == (columnar is None)


def _rule_of(scorer: Scorer, name: str) -> str:
    if name.endswith(ROW_SUFFIX):
        return name.removesuffix(ROW_SUFFIX)
    rule, _ = scorer.rulebook.outputs[name]
    return rule.id


def _rule_named(message: str) -> str:
    start = message.find("rule '")
    return message[start + 6:message.index("'", start + 6)] if start >= 0 else message
