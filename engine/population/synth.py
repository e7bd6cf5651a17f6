"""A synthetic public use file calibrated to CMS's published results.

Rows are drawn from the assumptions in `synthetic.yaml` (participation options, and the reporting
options within one, from the published counts where a year has them); each row is scored under its
reporting option's rulebook, and the output states how many rows each pathway got. Every category score depends on one shared performance level per
row; a shift and a spread of that level are then solved for so that the population's mean and
median final score, scored by the year's rulebook through the columnar engine, match the published
figures. The same seed gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import numpy as np
import polars as pl

from engine.api import rulebook_for
from engine.columnar.mapping import Mapping, load_mapping
from engine.columnar.pathways import PATHWAY, PopulationScorer, compile_population
from engine.errors import MipsError

from .published import Published, Synthetic, YearFile, load_published, load_synthetic

CALIBRATION_ROWS = 20_000
ITERATIONS = 12
TOLERANCE = 0.005
STEP = 0.02
NEEDED = ("provider_key", "npi", "state", "practice_size", "participation", "reporting", "small_practice", "euc",
          "allowed_charges", "complex_patient_bonus", "quality_euc", "quality_score", "pi_score", "pi_euc",
          "pi_hardship", "pi_special", "ia_score", "ia_euc", "cost_score", "cost_euc")
"""Column aliases (of the year's columns.yaml) the generator fills."""

Progress = Callable[[str, float], None]


@dataclass
class Synthesis:
    year: int
    rows: int
    seed: int
    frame: pl.DataFrame
    published: YearFile[Published]
    assumptions: YearFile[Synthetic]
    mapping: Mapping
    shift: float
    spread: float
    achieved: dict[str, Decimal] = field(default_factory=dict)
    participation: dict[str, int] = field(default_factory=dict)
    participation_source: str = ""
    reporting: dict[str, int] = field(default_factory=dict)
    reporting_source: str = ""
    pathways: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        target = self.published.data.final_score
        shares = self.published.data.participation_option
        reporting = self.published.data.reporting_option
        return {
            "year": self.year, "rows": self.rows, "seed": self.seed,
            "columns": f"{self.mapping.file} (public use file column names)",
            "targets": {
                "file": self.published.file, "year": self.published.year,
                "mean_final_score": target.mean if target else None,
                "median_final_score": target.median if target else None,
                "source": target.source if target else None, "status": target.status if target else None,
                "participation_option": dict(shares.counts) if shares else None,
                "participation_source": self.participation_source,
                "reporting_option": ({"within": reporting.within, "counts": dict(reporting.counts)}
                                     if reporting else None),
                "reporting_source": self.reporting_source,
            },
            "achieved": {"mean_final_score": self.achieved.get("mean"), "median_final_score": self.achieved.get("median"),
                         "rows_with_problems": self.achieved.get("problems"),
                         "participation_option": self.participation,
                         "reporting_option": self.reporting,
                         "pathways": {name: {"rows": n, "share": _share(n, self.rows)} for name, n in self.pathways.items()}},
            "calibration": {"shift": round(self.shift, 6), "spread": round(self.spread, 6)},
            "assumptions": self.assumptions.file,
        }


def synthesize(year: int, rows: int, seed: int, progress: Progress | None = None) -> Synthesis:
    """Draw `rows` synthetic rows for `year`, calibrated to the published figures."""
    if rows < 1:
        raise MipsError("--rows must be at least 1")
    tick = progress or (lambda step, done: None)
    mapping = load_mapping(year)
    missing = [alias for alias in NEEDED if alias not in mapping.spec.columns]
    if missing:
        raise MipsError(f"{mapping.file}: the synthetic generator fills the column aliases {', '.join(missing)}, "
                        "which this mapping does not declare")
    scorer = compile_population(rulebook_for(str(year)), mapping)
    published, assumptions = load_published(year), load_synthetic(year)
    if published.data.final_score is None:
        raise MipsError(f"{published.file}: no published final score figures to calibrate to")
    shares, share_source = _participation(published, assumptions)
    split, split_source = _reporting_split(published, assumptions)
    draws = _draws(np.random.default_rng(seed), rows, assumptions.data, shares)
    tick("drawing rows", 0.2)
    sample = {key: value[:CALIBRATION_ROWS] for key, value in draws.items()}
    target = (float(published.data.final_score.mean), float(published.data.final_score.median))
    shift, spread = _calibrate(lambda s, k: _moments(scorer, sample, assumptions.data, split, s, k), target, tick)
    frame = _frame(draws, assumptions.data, split, shift, spread, mapping)
    tick("scoring the population", 0.9)
    scored = scorer.score(scorer.typed(Path("synthetic"), frame.lazy(), check_values=False), extras=False).collect()
    stats = scored.select(mean=pl.col("final_score").cast(pl.Float64).mean(),
                          median=pl.col("final_score").cast(pl.Float64).median(),
                          problems=pl.col("problem").is_not_null().sum())
    counts = _counts(frame, mapping.spec.columns["participation"].name)
    reporting = _counts(frame, mapping.spec.columns["reporting"].name)
    pathways = {name or "(none)": n for name, n in _counts(scored, PATHWAY).items()}
    tick("done", 1.0)
    return Synthesis(year, rows, seed, frame, published, assumptions, mapping, shift, spread,
                     {"mean": _dec(stats["mean"][0]), "median": _dec(stats["median"][0]),
                      "problems": int(stats["problems"][0])}, counts, share_source, reporting, split_source, pathways)


def _counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    return dict(frame.group_by(column).len().sort(["len", column], descending=[True, False]).iter_rows())


def _share(count: int, total: int) -> Decimal:
    return (Decimal(count) / Decimal(total) * 100).quantize(Decimal("0.01")) if total else Decimal(0)


def write(frame: pl.DataFrame, path: Path) -> None:
    """Write the file as Parquet or CSV (by extension), only once it is complete."""
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise MipsError(f"{path}: give a .parquet or .csv file name")
    temporary = path.with_name(path.name + ".part")
    try:
        if suffix == ".parquet":
            frame.write_parquet(temporary)
        else:
            frame.write_csv(temporary)
        temporary.replace(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        temporary.unlink(missing_ok=True)
        raise MipsError(f"{path}: cannot write the file: {str(exc).splitlines()[0]}; nothing was written") from None


def _participation(published: YearFile[Published], assumptions: YearFile[Synthetic]) -> tuple[dict[str, float], str]:
    counts = published.data.participation_option
    if counts is not None:
        total = sum(counts.counts.values())
        return ({k: v / total for k, v in counts.counts.items()},
                f"{published.file} (published counts, {counts.source}, {counts.status})")
    return ({k: float(v) for k, v in assumptions.data.participation_option.items()},
            f"{assumptions.file} (assumed shares; no published counts for this year)")


def _reporting_split(published: YearFile[Published],
                     assumptions: YearFile[Synthetic]) -> tuple[dict[str, dict[str, Decimal]], str]:
    """Reporting option shares per participation option: the published counts where a year has them (for
    the participation option they split), the assumptions elsewhere and where they are of a later year
    (the reporting options a year offers change: APP Plus from 2025)."""
    split = dict(assumptions.data.reporting_option)
    counts = published.data.reporting_option
    source = f"{assumptions.file} (assumed shares)"
    if counts is not None and counts.within is not None and published.year >= assumptions.year:
        total = sum(counts.counts.values())
        split[counts.within] = {k: Decimal(v) / Decimal(total) for k, v in counts.counts.items()}
        source = (f"{published.file} (published counts within {counts.within}, {counts.source}, {counts.status}); "
                  f"other participation options: {source}")
    return split, source


def _draws(rng: np.random.Generator, rows: int, spec: Synthetic, shares: dict[str, float]) -> dict[str, np.ndarray]:
    """Every random draw of the population, independent of the calibration parameters."""
    options = list(shares)
    participation = rng.choice(len(options), size=rows, p=_normalised(shares.values()))
    draws: dict[str, np.ndarray] = {"participation": participation, "level": rng.standard_normal(rows)}
    for category in spec.categories:
        draws[f"noise_{category}"] = rng.standard_normal(rows)
    draws["reporting_u"] = rng.random(rows)
    bands = spec.practice_size
    draws["band"] = rng.choice(len(bands), size=rows, p=_normalised(b.share for b in bands))
    draws["size_u"] = rng.random(rows)
    for name in list(spec.special_status) + list(spec.reweighting) + ["euc", "bonus_u", "bonus_v"]:
        draws[name] = rng.random(rows)
    for category in spec.not_submitted:
        draws[f"absent_{category}"] = rng.random(rows)
    states = list(spec.states)
    draws["state"] = rng.choice(len(states), size=rows, p=_normalised(spec.states.values()))
    draws["charges"] = rng.standard_normal(rows)
    draws["index"] = np.arange(1, rows + 1)
    draws["options"] = np.array(options, dtype=object)
    return draws


def _frame(draws: dict[str, np.ndarray], spec: Synthetic, split: dict[str, dict[str, Decimal]], shift: float,
           spread: float, mapping: Mapping) -> pl.DataFrame:
    """The rows, named as the public use file names its columns."""
    rows = len(draws["level"])
    options = draws["options"]
    participation = options[draws["participation"]]
    columns: dict[str, Any] = {
        "provider_key": (draws["index"]).astype(str),
        "npi": np.char.add("1", np.char.zfill(draws["index"].astype(str), 9)),
        "state": np.array(list(spec.states), dtype=object)[draws["state"]],
        "participation": participation,
    }
    columns["reporting"] = _reporting(participation, draws["reporting_u"], split)
    bands = spec.practice_size
    low = np.array([b.low for b in bands])[draws["band"]]
    high = np.array([b.high for b in bands])[draws["band"]]
    columns["practice_size"] = (low + np.floor(draws["size_u"] ** 2 * (high - low + 1))).astype(np.int64)
    columns["small_practice"] = np.array([b.small_practice for b in bands])[draws["band"]]
    for status, rate in spec.special_status.items():
        if status in mapping.spec.columns:
            columns[status] = draws[status] < float(rate)
    columns["euc"] = draws["euc"] < float(spec.automatic_euc)
    for flag, rate in spec.reweighting.items():
        columns[flag] = draws[flag] < float(rate)
    scores = {category: _scores(draws, spec, category, shift, spread) for category in spec.categories}
    scores["ia"] = _ia_points(scores["ia"], spec)
    absent = {category: draws[f"absent_{category}"] < float(rate) for category, rate in spec.not_submitted.items()}
    absent["cost"] = columns.pop("cost_not_scorable")
    for category, values in scores.items():
        columns[f"{category}_score"] = _decimal(values, 2, absent.get(category))
    bonus = spec.complex_patient_bonus
    columns["complex_patient_bonus"] = _decimal(np.round(draws["bonus_v"] * float(bonus.max), 2), 2,
                                                draws["bonus_u"] >= float(bonus.share))
    charges = float(spec.allowed_charges.median) * np.exp(float(spec.allowed_charges.spread) * draws["charges"])
    columns["allowed_charges"] = _decimal(np.round(charges, 2), 2)
    return pl.DataFrame({mapping.spec.columns[alias].name: values for alias, values in columns.items()
                         if alias in mapping.spec.columns}).head(rows)


def _decimal(values: np.ndarray, places: int, absent: np.ndarray | None = None) -> pl.Series:
    """Numbers as exact decimals with `places` places (their shortest text form), empty where absent."""
    series = pl.Series(values).cast(pl.Decimal(38, places))
    if absent is None:
        return series
    return pl.select(pl.when(pl.Series(absent)).then(None).otherwise(series)).to_series()


def _reporting(participation: np.ndarray, u: np.ndarray, shares: dict[str, dict[str, Decimal]]) -> np.ndarray:
    result = np.empty(len(participation), dtype=object)
    for option in set(participation.tolist()):
        split = shares.get(option, shares.get("default", {}))
        names = list(split)
        edges = np.cumsum(_normalised(split.values()))
        chosen = np.minimum(np.searchsorted(edges, u), len(names) - 1)
        mask = participation == option
        result[mask] = np.array(names, dtype=object)[chosen[mask]]
    return result


def _scores(draws: dict[str, np.ndarray], spec: Synthetic, category: str, shift: float, spread: float) -> np.ndarray:
    c = spec.categories[category]
    logit = (float(c.center) + shift + spread * float(c.loading) * draws["level"]
             + float(c.noise) * draws[f"noise_{category}"])
    return np.round(100.0 / (1.0 + np.exp(-logit)), 2)


def _ia_points(percent: np.ndarray, spec: Synthetic) -> np.ndarray:
    points = np.array([float(p) for p in spec.ia_points])
    wanted = percent / 100.0 * points.max()
    return points[np.abs(wanted[:, None] - points[None, :]).argmin(axis=1)]


def _moments(scorer: PopulationScorer, sample: dict[str, np.ndarray], spec: Synthetic,
             split: dict[str, dict[str, Decimal]], shift: float, spread: float) -> tuple[float, float]:
    frame = _frame(sample, spec, split, shift, spread, scorer.mapping)
    scored = scorer.score(scorer.typed(Path("synthetic"), frame.lazy(), check_values=False), extras=False)
    stats = scored.select(mean=pl.col("final_score").cast(pl.Float64).mean(),
                          median=pl.col("final_score").cast(pl.Float64).median()).collect()
    return float(stats["mean"][0]), float(stats["median"][0])


def _calibrate(moments: Callable[[float, float], tuple[float, float]], target: tuple[float, float],
               tick: Progress) -> tuple[float, float]:
    """Newton steps on (shift, spread) with a finite-difference Jacobian, halved while they do not help."""
    x = np.array([0.0, 1.0])
    goal = np.array(target)
    error = np.array(moments(*x)) - goal
    for iteration in range(ITERATIONS):
        tick("calibrating", 0.2 + 0.6 * iteration / ITERATIONS)
        if np.all(np.abs(error) < TOLERANCE):
            break
        jacobian = np.empty((2, 2))
        for j in range(2):
            moved = x.copy()
            moved[j] += STEP
            jacobian[:, j] = (np.array(moments(*moved)) - goal - error) / STEP
        try:
            delta = np.linalg.solve(jacobian, error)
        except np.linalg.LinAlgError:
            break
        size = 1.0
        while size > 1 / 64:
            trial = x - size * delta
            trial[1] = max(trial[1], 0.0)
            trial_error = np.array(moments(*trial)) - goal
            if np.abs(trial_error).max() < np.abs(error).max():
                x, error = trial, trial_error
                break
            size /= 2
        else:
            break
    return float(x[0]), float(x[1])


def _normalised(values: Any) -> np.ndarray:
    array = np.array([float(v) for v in values])
    return array / array.sum()


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))
