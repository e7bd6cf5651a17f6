"""Time the final-score layer over a synthetic population: compiled rulebook vs a hand-written polars query.

    python bench/population.py [--rows 1000000] [--year 2024] [--seed 1] [--file FILE.parquet]

Both runs read the same Parquet file and compute the final score and payment adjustment in exact
decimals. The compiled run scores each row under its reporting option's rulebook (every pathway of
the year compiled); the hand-written query writes the traditional PY2024 formula out by hand (with
the reweighting table joined from the rulebook) for every row, and must give the same numbers on
the rows scored as traditional MIPS. Prints the best of --repeat runs
(reading the file included) as wall-clock and CPU time (CPU time is steadier on a busy machine),
the ratios and the process's peak memory after the compiled runs.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import polars as pl

from engine.api import rulebook_for
from engine.columnar.mapping import load_mapping
from engine.columnar.pathways import PATHWAY, compile_population
from engine.columnar.values import NUMBER
from engine.population.synth import synthesize, write
from engine.rulebook.compiled import Rulebook


def compiled(path: Path, year: int) -> tuple[pl.DataFrame, float, float, float]:
    start = time.perf_counter()
    rulebook = rulebook_for(str(year))
    scorer = compile_population(rulebook, load_mapping(year))
    compile_time = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    frame = scorer.score(scorer.typed(path, check_values=False), extras=False)
    result = frame.select(PATHWAY, "final_score", "payment_adjustment_percent", "problem").collect()
    return result, compile_time, time.perf_counter() - start, time.process_time() - cpu


def _lit(value: str | int) -> pl.Expr:
    return pl.lit(Decimal(value), NUMBER)


def _weights(rulebook: Rulebook) -> pl.DataFrame:
    """The reweighting table as a frame to join (every situation of booleans, the row it matches)."""
    table = rulebook.tables["reweighting"]
    names = list(table.inputs)
    rows = []
    for combo in itertools.product((True, False), repeat=len(names)):
        row = table.match(dict(zip(names, combo)))
        if row is not None:
            rows.append(dict(zip(names, combo)) | {f"w_{k}": v for k, v in row.then.items()})
    return pl.DataFrame(rows).with_columns(pl.col(f"w_{k}").cast(NUMBER) for k in ("quality", "cost", "ia", "pi"))


def handwritten(path: Path, year: int) -> tuple[pl.DataFrame, float, float]:
    """The PY2024 final-score formula written out by hand in polars, exact decimals."""
    weights = _weights(rulebook_for(str(year)))
    start, cpu = time.perf_counter(), time.process_time()
    c = pl.col
    frame = pl.scan_parquet(path).select(
        q=c("quality category score").cast(NUMBER), cst=c("cost category score").cast(NUMBER),
        ia_pts=c("improvement activities (ia) category score").cast(NUMBER),
        pi_s=c("promoting interoperability (pi) category score").cast(NUMBER),
        bonus=c("complex patient bonus").cast(NUMBER), size=c("practice size").cast(NUMBER),
        small_given=c("small practice status"), part=c("participation option"),
        euc=c("extreme uncontrollable circumstance (euc)").fill_null(False),
        q_rw=c("quality reweighting (euc)").fill_null(False), c_rw=c("cost reweighting (euc)").fill_null(False),
        ia_rw=c("ia reweighting (euc)").fill_null(False),
        pi_rw=c("pi reweighting (euc)").fill_null(False) | c("pi reweighting (hardship exception)").fill_null(False)
        | c("pi reweighting (special status or clinician type)").fill_null(False),
        special=c("hospital-based status").fill_null(False) | c("ambulatory surgical center-based status").fill_null(False)
        | c("non-patient facing status").fill_null(False),
    ).with_columns(
        automatic_euc=c("euc") & (c("part") == "Individual"),
        small_practice=pl.coalesce(c("small_given"), c("size") <= _lit(15)),
        q_sub=~c("q_rw") & c("q").is_not_null(), ia_sub=~c("ia_rw") & c("ia_pts").is_not_null(),
        pi_sub=~c("pi_rw") & c("pi_s").is_not_null(), c_rw=c("c_rw") | c("cst").is_null(),
        pi_none=~c("pi_rw") & c("pi_s").is_null(),
    ).with_columns(
        apm_credit=(c("part") == "APM Entity") & (~c("automatic_euc") | c("q_sub") | c("pi_sub")),
    ).with_columns(
        quality=~(c("q_rw") | c("automatic_euc") & ~c("q_sub")),
        cost=~(c("c_rw") | c("automatic_euc") | (c("part") == "APM Entity")),  # 42 CFR 414.1317(b)(2)
        ia=~(c("ia_rw") | c("automatic_euc") & ~(c("ia_sub") | c("apm_credit"))),
        pi=~(c("pi_rw") | c("automatic_euc") & ~c("pi_sub") | c("small_practice") & c("pi_none")
             | c("special") & c("pi_none")),
    ).join(weights.lazy(), left_on=["quality", "cost", "ia", "pi", "small_practice", "automatic_euc"],
           right_on=["quality", "cost", "ia", "pi", "small_practice", "automatic_euc"], how="left", maintain_order="left"
    ).with_columns(
        s_q=pl.when(c("q_sub")).then(c("q")).otherwise(_lit(0)),
        s_c=c("cst"),
        s_pi=pl.when(c("pi_sub")).then(c("pi_s")).otherwise(_lit(0)),
        s_ia=pl.min_horizontal(pl.max_horizontal(pl.when(c("ia_sub")).then(c("ia_pts")).otherwise(_lit(0)),
                                                 pl.when(c("apm_credit")).then(_lit(20)).otherwise(_lit(0))), _lit(40))
        * _lit(100) / _lit(40),
        scored=c("quality").cast(pl.Int8) + c("cost").cast(pl.Int8) + c("ia").cast(pl.Int8) + c("pi").cast(pl.Int8),
        any_data=c("q_sub") | c("ia_sub") | c("pi_sub"),
    ).with_columns(
        total=pl.sum_horizontal(*[pl.when(c(k)).then(c(s) * c(f"w_{k}") / _lit(100)).otherwise(_lit(0))
                                  for k, s in (("quality", "s_q"), ("cost", "s_c"), ("ia", "s_ia"), ("pi", "s_pi"))])
        + pl.when(c("bonus").is_null()).then(_lit(0)).when(c("any_data")).then(pl.min_horizontal(c("bonus"), _lit(10)))
        .otherwise(_lit(0)),
    ).with_columns(
        final_score=pl.when(c("scored") < 2).then(_lit(75)).otherwise(pl.min_horizontal(c("total"), _lit(100))),
    ).with_columns(
        payment_adjustment_percent=pl.when(c("final_score") > _lit(75))
        .then(_lit("1.05") * (c("final_score") - _lit(75)) / _lit(25))
        .when(c("final_score") == _lit(75)).then(_lit(0))
        .when(c("final_score") <= _lit("18.75")).then(_lit(-9))
        .otherwise(_lit(-9) * (_lit(75) - c("final_score")) / _lit(75)).round(4, mode="half_away_from_zero"),
    ).select("final_score", "payment_adjustment_percent")
    result = frame.collect()
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, help="an existing synthetic Parquet file (else one is generated)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        if path is None:
            path = Path(folder) / "population.parquet"
            start = time.perf_counter()
            write(synthesize(args.year, args.rows, args.seed).frame, path)
            print(f"synthetic file: {args.rows:,} rows written in {time.perf_counter() - start:.1f} s")
        runs = [compiled(path, args.year) for _ in range(args.repeat)]
        result, compile_time = runs[0][0], runs[0][1]
        best, best_cpu = min(run[2] for run in runs), min(run[3] for run in runs)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        hand = [handwritten(path, args.year) for _ in range(args.repeat)]
        baseline, hand_best, hand_cpu = hand[0][0], min(h[1] for h in hand), min(h[2] for h in hand)
    traditional = result[PATHWAY] == "traditional"
    same = result.filter(traditional).select("final_score", "payment_adjustment_percent").equals(
        baseline.filter(traditional))
    print(f"rows: {result.height:,}; rows with problems: {result['problem'].is_not_null().sum()}")
    counts = ", ".join(f"{name or '(none)'} {n:,}" for name, n in result.group_by(PATHWAY).len().sort("len", descending=True).iter_rows())
    print(f"rows by pathway: {counts}")
    print(f"compile (rulebook load, mapping, plan): {compile_time:.2f} s")
    print(f"compiled rulebook, read Parquet + final-score layer: {best:.2f} s wall, {best_cpu:.2f} s CPU "
          f"(best of {args.repeat})")
    print(f"hand-written polars, same formula:                    {hand_best:.2f} s wall, {hand_cpu:.2f} s CPU "
          f"(best of {args.repeat})")
    print(f"ratio compiled / hand-written: {best / hand_best:.2f}x wall, {best_cpu / hand_cpu:.2f}x CPU; "
          f"same results on the {int(traditional.sum()):,} traditional rows: {same}")
    print(f"peak memory after the compiled runs: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
