"""Score a population: mapped facts as columns, then the compiled final-score layer of a rulebook.

    scorer = compile_scorer(rulebook_for("2024"), load_mapping(2024))
    frame = scorer.score(typed(path, scorer.mapping))     # lazy: sink it or collect it

Each output row carries the row number, the row's label, the rulebook's outputs (final score,
payment adjustment, each category's score, weight, status and reason, bonuses, the matched row of
each decision table) and `problem`: why the row could not be scored, or null.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from engine.case.facts import fact_names
from engine.rulebook.compiled import Rulebook

from .expressions import ExpressionCompiler
from .inputs import ROW
from .mapping import COLUMN_PREFIX, Mapping, check_fact_names
from .plan import PROBLEM, Plan, compile_plan
from .values import KINDS, Col, Errors, const

LABEL = "label"
WEIGHT = "weight"
BREAKDOWN_PREFIX = "by."
COMPARE_PREFIX = "file."
"""Columns holding the file's own value of an output (mapping `compare`), beside the computed one."""
YEAR_FACT = "facts.performance_year"
"""Every row of a population is of the performance year of the rulebook scoring it (unless the mapping says)."""


@dataclass
class Scorer:
    """A rulebook's final-score layer compiled over the columns a mapping reads."""

    rulebook: Rulebook
    mapping: Mapping
    plan: Plan
    facts: dict[str, pl.Expr]
    extras: dict[str, pl.Expr]

    def score(self, frame: pl.LazyFrame, extras: bool = True, keep: tuple[str, ...] = ()) -> pl.LazyFrame:
        """Outputs (and problems as text) for every row of a typed frame (see inputs.typed).

        The result holds the row number, the `keep` columns of the frame, the label, weight and
        breakdowns (with extras), every output of the compiled layer and the problem."""
        frame = frame.with_columns(**self.facts)
        keep = [ROW, *keep]
        if extras:
            frame = frame.with_columns(**self.extras)
            keep += [name for name in self.extras if name not in keep]
        scored = self.plan.apply(frame, keep)
        texts = [self.plan.message(code) for code in range(len(self.plan.errors.messages))]
        problem = pl.lit(pl.Series(texts, dtype=pl.String)).gather(pl.col(PROBLEM)) if texts \
            else pl.lit(None, pl.String)
        return scored.with_columns(problem.alias(PROBLEM))

    @property
    def not_compiled(self) -> dict[str, str]:
        return self.plan.not_compiled


def compile_scorer(rulebook: Rulebook, mapping: Mapping) -> Scorer:
    """Compile the mapping's facts and the rulebook's final-score layer over them."""
    check_fact_names(mapping, fact_names(rulebook.case_inputs))
    errors = Errors()
    columns = {COLUMN_PREFIX + alias: Col(spec.type, pl.col(COLUMN_PREFIX + alias))
               for alias, spec in mapping.spec.columns.items()}

    def resolve(name: str) -> Col:
        return columns[name]

    facts: dict[str, Col] = {}
    layer: dict[str, pl.Expr] = {}
    for fact, expression in mapping.facts.items():
        where = f"fact {fact} ({mapping.where('facts.' + fact)})"
        col = ExpressionCompiler(resolve, errors, where).compile(expression.source)
        if col.constant and not isinstance(col.error, pl.Expr):
            facts[fact] = col
            continue
        layer[fact] = col.polars() if col.kind != "unknown" else pl.lit(None, KINDS["number"])
        error = col.error
        if isinstance(error, pl.Expr):
            layer[fact + "!error"] = error
            error = pl.col(fact + "!error")
        facts[fact] = Col(col.kind if col.kind != "unknown" else "null", pl.col(fact), None, col.nullable, error)
    facts.setdefault(YEAR_FACT, const(Decimal(rulebook.year)))
    plan = compile_plan(rulebook, facts, errors)
    extras = {LABEL: _extra(mapping.label.source, resolve, errors)}
    if mapping.weight is not None:
        extras[WEIGHT] = _extra(mapping.weight.source, resolve, errors)
    for name, expression in mapping.breakdowns.items():
        extras[BREAKDOWN_PREFIX + name] = _extra(expression.source, resolve, errors).cast(pl.String)
    for name, expression in mapping.compare.items():
        extras[COMPARE_PREFIX + name] = _extra(expression.source, resolve, errors)
    return Scorer(rulebook, mapping, plan, layer, extras)


def _extra(source: str, resolve, errors: Errors) -> pl.Expr:  # noqa: ANN001
    """A descriptive column (label, weight, breakdown): its value, null where it cannot be computed."""
    col = ExpressionCompiler(resolve, errors, "mapping").compile(source)
    if col.kind == "unknown":
        return pl.lit(None, pl.String)
    return col.polars()

