"""The differential check: every row scored column-wise equals the traced engine's result on that row.

Rows are drawn from edge values (scores at and around the thresholds, missing values, every
participation option, flags on and off, practice sizes either side of small) so that every
reweighting row, band and missing-value path is visited. A file of N rows repeats a pool of
distinct rows (every one appears), so the traced engine, which scores each distinct situation
once, stays within the suite's time. A difference names the row and the rule.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from engine.api import rulebook_for
from engine.columnar.differential import compare
from engine.columnar.inputs import typed
from engine.columnar.mapping import load_mapping
from engine.columnar.scorer import compile_scorer

SCORES = ["", "0", "0.01", "18.75", "18.76", "33.333", "50", "74.99", "75", "75.01", "87.5", "99.99", "100"]
IA = ["", "0", "10", "15", "20", "30", "40", "45"]
FLAG = ["False"] * 6 + ["True", ""]
SIZE = ["", "1", "15", "16", "200"]
BONUS = ["", "", "0", "2.5", "10", "12.75"]
PARTICIPATION = ["Individual", "Group", "APM Entity", "Subgroup", "Virtual Group", ""]


def population(mapping_year: int, rows: int, distinct: int, seed: int, folder: Path) -> Path:
    """A CSV of the year's public use file columns: `rows` rows drawn from `distinct` edge-value rows."""
    mapping = load_mapping(mapping_year)
    rng = random.Random(seed)
    order = list(range(distinct)) + [rng.randrange(distinct) for _ in range(rows - distinct)]
    rng.shuffle(order)
    data: dict[str, list[str]] = {}
    for alias, spec in mapping.spec.columns.items():
        if alias == "participation":
            values = PARTICIPATION
        elif alias == "practice_size":
            values = SIZE
        elif alias == "ia_score":
            values = IA
        elif alias == "complex_patient_bonus":
            values = BONUS
        elif spec.type == "number":
            values = SCORES
        elif spec.type == "boolean":
            values = ["", "True", "False"] if alias == "small_practice" else FLAG
        else:
            values = None
        pool = [rng.choice(values) if values else f"{1000000000 + i}" for i in range(distinct)]
        data[spec.name] = [pool[i] for i in order]
    path = folder / f"population-{mapping_year}-{rows}.csv"
    pl.DataFrame(data).write_csv(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("population")
    return {rows: population(2023, rows, distinct, 11, folder) for rows, distinct in ((2_000, 250), (10_000, 1_000))}


@pytest.mark.parametrize("year", ["2022", "2023", "2025", "2026"])
def test_every_row_matches_the_traced_engine(year: str, files: dict[int, Path]) -> None:
    scorer = compile_scorer(rulebook_for(year), load_mapping(2023))
    checked, differences = compare(scorer, typed(files[2_000], scorer.mapping))
    assert checked == 2_000
    assert not differences, "\n".join(str(d) for d in differences[:20])


def test_ten_thousand_rows_match_the_traced_engine(files: dict[int, Path]) -> None:
    scorer = compile_scorer(rulebook_for("2024"), load_mapping(2024))
    checked, differences = compare(scorer, typed(files[10_000], scorer.mapping))
    assert checked == 10_000
    assert not differences, "\n".join(str(d) for d in differences[:20])
