"""`mips population score`: every row of a public use file scored by a rulebook, written as Parquet.

The file streams through (scan, compiled layer, sink): rows are never all in memory. The result
has the file's own columns, then the rulebook's outputs (final score, payment adjustment, each
category's score, weight, status and reason, bonuses, the matched reweighting row) and `problem`.
It is stamped (Parquet metadata) with the year, the rulebook's sha256, the column mapping and the
engine version, and is written to its final name only once complete.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import polars as pl

import engine
from engine.api import rulebook_for
from engine.columnar.differential import compare_population
from engine.columnar.inputs import ROW, reading, scan
from engine.columnar.mapping import Mapping, load_mapping
from engine.columnar.pathways import PATHWAY, compile_population, load_reporting
from engine.columnar.plan import PROBLEM
from engine.columnar.scorer import COMPARE_PREFIX, LABEL
from engine.errors import MipsError

SHOWN_PROBLEMS = 5
Progress = Callable[[int, int], None]


def score_population(path: Path, year: int, out: Path, rulebook: str | None = None,
                     progress: Progress | None = None, check: int = 0) -> dict[str, Any]:
    """Score every row of `path` (performance year `year`'s columns) under its reporting option's rulebook
    and write `out` (Parquet).

    With `check`, the first `check` rows are also scored by the traced engine and every output compared."""
    if out.suffix.lower() != ".parquet":
        raise MipsError(f"{out}: the results are written as Parquet; give a .parquet file name")
    if out.resolve() == path.resolve():
        raise MipsError(f"{out}: choose another name than the input file")
    mapping = load_mapping(year)
    book = rulebook_for(rulebook or str(year))
    scorer = compile_population(book, mapping, load_reporting(year))
    raw = scan(path)
    originals = tuple(raw.collect_schema().names())
    with reading(path):
        total = raw.select(pl.len()).collect().item()
    clash = [name for name in scorer.columns() + [PROBLEM, LABEL, PATHWAY] if name in originals]
    if clash:
        raise MipsError(f"{path}: the file already has column(s) {', '.join(clash)}, which the results add; rename them")
    scored = scorer.score(scorer.typed(path, raw), keep=originals)
    done = [0]

    def count(batch: pl.DataFrame) -> pl.DataFrame:
        done[0] += batch.height
        if progress:
            progress(done[0], total)
        return batch

    stamp = {"mips.performance_year": str(book.year), "mips.rulebook": book.root, "mips.rulebook_sha256": book.sha256,
             "mips.columns": mapping.file, "mips.engine_version": engine.__version__, "mips.input": str(path)}
    temporary = out.with_name(out.name + ".part")
    try:
        with reading(path):
            scored.map_batches(count, streamable=True, schema=scored.collect_schema()).sink_parquet(
                temporary, metadata=stamp)
    except MipsError:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(out)
    summary = _summary(path, out, book, mapping, scorer.not_compiled, total)
    summary["reporting_options"] = scorer.reporting.file
    if check:
        with reading(path):
            checked, differences = compare_population(scorer, scorer.typed(path, raw.head(check)))
        summary["checked_against_traced_engine"] = {"rows": sum(checked.values()), "by_pathway": dict(checked),
                                                    "differences": len(differences),
                                                    "first": [str(d) for d in differences[:SHOWN_PROBLEMS]]}
    return summary


def _summary(path: Path, out: Path, book: Any, mapping: Mapping, not_compiled: dict[str, dict[str, str]],
             total: int) -> dict[str, Any]:
    result = pl.scan_parquet(out)
    score = pl.col("final_score").cast(pl.Float64)
    stats = result.select(
        rows=pl.len(), problems=pl.col(PROBLEM).is_not_null().sum(),
        mean=score.mean(), median=score.median(),
        negative=(pl.col("payment_adjustment_percent") < 0).sum(),
        positive=(pl.col("payment_adjustment_percent") > 0).sum()).collect().row(0, named=True)
    first = result.filter(pl.col(PROBLEM).is_not_null()).select(ROW, LABEL, PROBLEM).head(SHOWN_PROBLEMS).collect()
    by_pathway = result.group_by(PATHWAY).agg(rows=pl.len(), mean=score.mean(),
                                              problems=pl.col(PROBLEM).is_not_null().sum()).collect()
    pathways = [{"pathway": name or "(none)", "rows": rows, "mean_final_score": _round(mean), "rows_with_problems": bad}
                for name, rows, mean, bad in sorted(by_pathway.iter_rows(), key=lambda r: (-r[1], r[0] or ""))]
    agreement = {output: _agreement(result, output, spec.tolerance) for output, spec in mapping.spec.compare.items()}
    return {
        "file": str(path), "out": str(out), "rows": stats["rows"], "rows_in_file": total,
        "rulebook": {"year": book.year, "root": book.root, "status": book.status, "sha256": book.sha256},
        "columns": mapping.file, "engine_version": engine.__version__,
        "rows_with_problems": stats["problems"],
        "first_problems": [{"row": r, "label": label, "problem": p} for r, label, p in first.iter_rows()],
        "mean_final_score": _round(stats["mean"]), "median_final_score": _round(stats["median"]),
        "negative_adjustments": stats["negative"], "positive_adjustments": stats["positive"],
        "pathways": pathways,
        "agreement_with_file": agreement,
        "not_compiled": not_compiled,
    }


def _agreement(result: pl.LazyFrame, output: str, tolerance: Decimal) -> dict[str, Any]:
    """How often the computed output matches the file's own value (within the file's rounding)."""
    mine, theirs = pl.col(output).cast(pl.Float64), pl.col(COMPARE_PREFIX + output).cast(pl.Float64)
    both = result.filter(mine.is_not_null() & theirs.is_not_null())
    differ = both.filter((mine - theirs).abs() > float(tolerance))
    counts = pl.concat([both.select(pl.len().alias("both")), differ.select(pl.len().alias("differ"))],
                       how="horizontal").collect().row(0)
    first = differ.select(ROW, output, COMPARE_PREFIX + output).head(SHOWN_PROBLEMS).collect()
    return {"rows_with_both": counts[0], "rows_differing": counts[1], "tolerance": tolerance,
            "first_differing": [{"row": r, "computed": c, "file": f} for r, c, f in first.iter_rows()]}


def _round(value: float | None) -> str | None:
    return None if value is None else f"{value:.4f}"
