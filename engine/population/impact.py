"""What a rule change does to a population: the same rows scored under two rulebooks, compared.

The report holds score and adjustment distributions under each rulebook, the rows that cross the
performance threshold either way, breakdowns (participation option, practice size, state, as the
column mapping defines them) and, for each rulebook, the budget-neutral scaling factor of the
positive side computed from the population, beside the published maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

import engine
from engine.api import rulebook_for
from engine.columnar.expressions import ExpressionCompiler
from engine.columnar.inputs import ROW, reading
from engine.columnar.mapping import Mapping, load_mapping, population_root
from engine.columnar.plan import PROBLEM, PlanCompiler
from engine.columnar.pathways import PATHWAY, Reporting, compile_population, load_reporting
from engine.columnar.scorer import BREAKDOWN_PREFIX, LABEL, WEIGHT
from engine.columnar.values import Errors
from engine.datafiles import read_model
from engine.rulebook import citations
from engine.errors import MipsError, RulebookError
from engine.rulebook import contract
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import display_path

FILE = "impact.yaml"
SCORE = contract.TOP_LEVEL[0]
ADJUSTMENT = contract.TOP_LEVEL[1]
SCORE_BINS = 20
ADJUSTMENT_BINS = 24
SHOWN_PROBLEMS = 5
PLACES = Decimal("0.0001")

Progress = Callable[[str, float], None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    value: str
    description: str
    source: str
    status: str


class BudgetNeutrality(_Strict):
    description: str
    scaled_parameter: str
    unscaled_value: str
    adjustment: str
    max_scaling_factor: Decimal = Field(gt=0)
    source: str
    status: str
    note: str | None = None


class ImpactSpec(_Strict):
    description: str
    threshold: Threshold
    budget_neutrality: BudgetNeutrality


@dataclass
class Side:
    """One rulebook's run over the population."""

    name: str
    rulebook: Rulebook
    threshold: Decimal
    frame: pl.DataFrame          # row, score, adjustment, unscaled adjustment, problem (floats for statistics)


def load_spec() -> tuple[str, ImpactSpec]:
    path = population_root() / FILE
    data, spec, problems = read_model(path, ImpactSpec)
    problems += citations.check_file(data, path)
    if spec is None or problems:
        raise RulebookError(problems)
    return display_path(path), spec


def run_impact(path: Path, from_year: int, to: str, progress: Progress | None = None) -> dict[str, Any]:
    """Score the population file under the `from_year` rulebook and under `to` (a year or a folder)."""
    tick = progress or (lambda step, done: None)
    spec_file, spec = load_spec()
    mapping = load_mapping(from_year)
    reporting = load_reporting(from_year)
    frame = compile_population(rulebook_for(str(from_year)), mapping, reporting).typed(path)
    tick("reading the file", 0.05)
    with reading(path):
        base = _side(str(from_year), rulebook_for(str(from_year)), mapping, reporting, frame, spec, extras=True)
        tick(f"scored under {base.name}", 0.45)
        new = _side(to, rulebook_for(to), mapping, reporting, frame, spec, extras=False)
        tick(f"scored under {new.name}", 0.85)
        report = _report(path, mapping, spec_file, spec, base, new)
    tick("report", 1.0)
    return report


def _side(name: str, rulebook: Rulebook, mapping: Mapping, reporting: Reporting, frame: pl.LazyFrame,
          spec: ImpactSpec, extras: bool) -> Side:
    """The population scored under `rulebook`, each row under its reporting option's rulebook of that year."""
    scorer = compile_population(rulebook, mapping, reporting)
    threshold = _constant(rulebook, spec.threshold.value, "impact.yaml threshold")
    bn = spec.budget_neutrality
    key = "params." + bn.scaled_parameter
    if key not in rulebook.parameters:
        raise MipsError(f"{rulebook.root}: impact.yaml budget_neutrality.scaled_parameter names '{bn.scaled_parameter}', "
                        "which this rulebook does not define")
    unscaled = _constant(rulebook, bn.unscaled_value, "impact.yaml budget_neutrality.unscaled_value")
    def variant(book: Rulebook) -> Rulebook:
        return replace(book, parameters=book.parameters | {key: book.parameters[key]._replace(value=unscaled)})

    unscaled_scorer = compile_population(rulebook, mapping, reporting, variant)
    keep = [ROW, SCORE, ADJUSTMENT, PROBLEM]
    if extras:
        keep += [c for c in scorer.extras] + [pl.col(PATHWAY).fill_null("(none)").alias(BREAKDOWN_PREFIX + PATHWAY)]
    scored = scorer.score(frame, extras=extras).select(keep)
    unit = unscaled_scorer.score(frame, extras=False).select(pl.col(bn.adjustment).alias("unscaled"))
    data = pl.concat([scored, unit], how="horizontal").with_columns(
        pl.col(SCORE).cast(pl.Float64), pl.col(ADJUSTMENT).cast(pl.Float64), pl.col("unscaled").cast(pl.Float64))
    if WEIGHT in data.collect_schema().names():
        data = data.with_columns(pl.col(WEIGHT).cast(pl.Float64))
    return Side(name if name.isdigit() else rulebook.root, rulebook, threshold, data.collect())


def _constant(rulebook: Rulebook, source: str, where: str) -> Decimal:
    """A number the rulebook fixes (a parameter, or an expression of parameters)."""
    compiler = PlanCompiler(rulebook, {}, Errors())
    col = ExpressionCompiler(compiler.resolve, compiler.errors, where).compile(source)
    if not col.constant or not isinstance(col.value, Decimal):
        raise MipsError(f"{where}: '{source}' is not a number fixed by the rulebook {rulebook.root}")
    return col.value


def _report(path: Path, mapping: Mapping, spec_file: str, spec: ImpactSpec, base: Side, new: Side) -> dict[str, Any]:
    both = base.frame.select(ROW, LABEL, *[c for c in base.frame.columns if c.startswith(BREAKDOWN_PREFIX)],
                             *([WEIGHT] if WEIGHT in base.frame.columns else []),
                             pl.col(SCORE).alias("score_a"), pl.col(ADJUSTMENT).alias("adj_a"),
                             pl.col(PROBLEM).alias("problem_a")).with_columns(
        new.frame[SCORE].alias("score_b"), new.frame[ADJUSTMENT].alias("adj_b"), new.frame[PROBLEM].alias("problem_b"))
    ok = both.filter(pl.col("problem_a").is_null() & pl.col("problem_b").is_null())
    ok = ok.with_columns(below_a=pl.col("score_a") < float(base.threshold), below_b=pl.col("score_b") < float(new.threshold))
    low = min(ok["adj_a"].min() or 0.0, ok["adj_b"].min() or 0.0)
    high = max(ok["adj_a"].max() or 0.0, ok["adj_b"].max() or 0.0)
    return {
        "file": str(path),
        "rows": both.height,
        "rows_compared": ok.height,
        "columns": mapping.file,
        "engine_version": engine.__version__,
        "definitions": spec_file,
        "rulebooks": [_stamp(side) for side in (base, new)],
        "threshold": {"definition": spec.threshold.value, "source": spec.threshold.source,
                      "before": base.threshold, "after": new.threshold},
        "problems": [_problems(side) for side in (base, new)],
        "scores": [_distribution(ok[f"score_{s}"]) for s in "ab"],
        "adjustments": [_adjustments(ok[f"adj_{s}"]) for s in "ab"],
        "score_histogram": _histogram(ok, "score", 0.0, 100.0, SCORE_BINS),
        "adjustment_histogram": _histogram(ok, "adj", low, high if high > low else low + 1, ADJUSTMENT_BINS),
        "crossing": {
            "pushed_below": int((~ok["below_a"] & ok["below_b"]).sum()),
            "lifted_to_threshold": int((ok["below_a"] & ~ok["below_b"]).sum()),
            "below_before": int(ok["below_a"].sum()),
            "below_after": int(ok["below_b"].sum()),
            "score_changed": int((ok["score_a"] != ok["score_b"]).sum()),
            "adjustment_changed": int((ok["adj_a"] != ok["adj_b"]).sum()),
        },
        "breakdowns": {name.removeprefix(BREAKDOWN_PREFIX): _breakdown(ok, name)
                       for name in ok.columns if name.startswith(BREAKDOWN_PREFIX)},
        "budget_neutrality": {"definition": spec.budget_neutrality.description,
                              "source": spec.budget_neutrality.source, "status": spec.budget_neutrality.status,
                              "note": spec.budget_neutrality.note,
                              "sides": [_budget(side, spec, base.frame) for side in (base, new)]},
    }


def _stamp(side: Side) -> dict[str, Any]:
    rb = side.rulebook
    return {"name": side.name, "year": rb.year, "title": rb.title, "status": rb.status, "root": rb.root,
            "sha256": rb.sha256}


def _problems(side: Side) -> dict[str, Any]:
    rows = side.frame.filter(pl.col(PROBLEM).is_not_null())
    shown = rows.head(SHOWN_PROBLEMS)
    return {"count": rows.height, "first": [{"row": r, "message": m} for r, m in
                                            zip(shown[ROW].to_list(), shown[PROBLEM].to_list())]}


def _distribution(values: pl.Series) -> dict[str, Any]:
    if values.is_empty():
        return {}
    quantiles = {f"p{q}": _dec(values.quantile(q / 100, "linear")) for q in (10, 25, 75, 90)}
    return {"mean": _dec(values.mean()), "median": _dec(values.median()), **quantiles,
            "min": _dec(values.min()), "max": _dec(values.max())}


def _adjustments(values: pl.Series) -> dict[str, Any]:
    n = values.len() or 1
    lowest = values.min()
    return {"mean": _dec(values.mean()), "median": _dec(values.median()), "min": _dec(lowest),
            "max": _dec(values.max()),
            "negative": int((values < 0).sum()), "neutral": int((values == 0).sum()),
            "positive": int((values > 0).sum()), "at_minimum": int((values == lowest).sum()) if lowest is not None else 0,
            "negative_share": _dec(float((values < 0).sum()) / n * 100), "positive_share": _dec(float((values > 0).sum()) / n * 100)}


def _histogram(frame: pl.DataFrame, prefix: str, low: float, high: float, bins: int) -> dict[str, Any]:
    width = (high - low) / bins
    edges = [low + i * width for i in range(bins + 1)]
    counts = []
    for side in "ab":
        index = ((frame[f"{prefix}_{side}"] - low) / width).floor().clip(0, bins - 1).cast(pl.Int64)
        tally = dict(index.value_counts().iter_rows())
        counts.append([int(tally.get(i, 0)) for i in range(bins)])
    return {"edges": [_dec(e) for e in edges], "before": counts[0], "after": counts[1]}


def _breakdown(frame: pl.DataFrame, column: str) -> list[dict[str, Any]]:
    grouped = frame.group_by(column).agg(
        rows=pl.len(), mean_before=pl.col("score_a").mean(), mean_after=pl.col("score_b").mean(),
        below_before=pl.col("below_a").sum(), below_after=pl.col("below_b").sum(),
        pushed_below=(~pl.col("below_a") & pl.col("below_b")).sum(),
        lifted=(pl.col("below_a") & ~pl.col("below_b")).sum(),
        adjustment_before=pl.col("adj_a").mean(), adjustment_after=pl.col("adj_b").mean(),
    ).sort(["rows", column], descending=[True, False])
    return [{"group": row[column], **{k: (_dec(v) if isinstance(v, float) else v) for k, v in row.items() if k != column}}
            for row in grouped.iter_rows(named=True)]


def _budget(side: Side, spec: ImpactSpec, base: pl.DataFrame) -> dict[str, Any]:
    """The scaling factor that makes the weighted positive total equal the negative one, capped."""
    bn = spec.budget_neutrality
    frame = side.frame
    weighted = WEIGHT in base.columns
    if weighted and WEIGHT not in frame.columns:
        frame = frame.with_columns(base[WEIGHT])
    frame = frame.filter(pl.col(PROBLEM).is_null())
    weight = pl.col(WEIGHT).fill_null(0.0) if weighted else pl.lit(1.0)
    totals = frame.select(
        negative=(pl.when(pl.col(ADJUSTMENT) < 0).then(pl.col(ADJUSTMENT)).otherwise(0.0) * weight).sum(),
        positive=(pl.when(pl.col("unscaled") > 0).then(pl.col("unscaled")).otherwise(0.0) * weight).sum(),
        weighted_rows=(weight > 0).sum() if weighted else pl.len())
    negative, positive = float(totals["negative"][0]), float(totals["positive"][0])
    unscaled = _constant(side.rulebook, bn.unscaled_value, "unscaled")
    cap = float(bn.max_scaling_factor)
    factor = min(cap, -negative / positive) if positive > 0 else None
    parameter = side.rulebook.parameters["params." + bn.scaled_parameter]
    return {
        "rulebook": side.name,
        "weighted_by": "allowed charges (Part B payments)" if weighted else "one per row",
        "total_unit": "dollars" if weighted else "rows x percentage points / 100",
        "rows_with_weight": int(totals["weighted_rows"][0]), "rows": frame.height,
        "negative_total": _dec(negative / 100), "positive_total_unscaled": _dec(positive / 100),
        "scaling_factor": _dec(factor), "cap": bn.max_scaling_factor,
        "cap_binds": factor is not None and factor >= cap,
        "unscaled_maximum": unscaled,
        "budget_neutral_maximum": _dec(float(unscaled) * factor) if factor is not None else None,
        "published_maximum": parameter.value, "published_status": parameter.status,
        "published_source": parameter.source, "published_at": str(parameter.origin),
    }


def _dec(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(PLACES, rounding=ROUND_HALF_UP)
