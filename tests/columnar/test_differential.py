"""The differential check: every row scored column-wise equals the traced engine's result on that row.

Rows are drawn from edge values (scores at and around the thresholds, missing values, every
participation option, flags on and off, practice sizes either side of small) so that every
reweighting row, band and missing-value path is visited, and every reporting option the year's file
can name (so every pathway of every year: APP 2022-2026, MVP 2023-2026, APP Plus 2025-2026). A file of N rows repeats a pool of
distinct rows (every one appears), so the traced engine, which scores each distinct situation
once, stays within the suite's time. A difference names the row and the rule.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from engine.api import rulebook_for
from engine.columnar.differential import NO_PATHWAY, Difference, compare_population
from engine.columnar.mapping import load_mapping
from engine.columnar.pathways import compile_population, load_reporting

SCORES = ["", "0", "0.01", "18.75", "18.76", "33.333", "50", "74.99", "75", "75.01", "87.5", "99.99", "100"]
IA = ["", "0", "10", "15", "20", "30", "40", "45"]
FLAG = ["False"] * 6 + ["True", ""]
SIZE = ["", "1", "15", "16", "200"]
BONUS = ["", "", "0", "2.5", "10", "12.75"]
PARTICIPATION = ["Individual", "Group", "APM Entity", "Subgroup", "Virtual Group", ""]


def population(year: int, rows: int, distinct: int, seed: int, folder: Path) -> Path:
    """A CSV of the year's public use file columns: `rows` rows drawn from `distinct` edge-value rows."""
    mapping = load_mapping(year)
    reporting = [*load_reporting(year).spec.values, ""]
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
        elif alias == "reporting":
            values = reporting
        elif spec.type == "number":
            values = SCORES
        elif spec.type == "boolean":
            values = ["", "True", "False"] if alias == "small_practice" else FLAG
        else:
            values = None
        pool = [rng.choice(values) if values else f"{1000000000 + i}" for i in range(distinct)]
        data[spec.name] = [pool[i] for i in order]
    path = folder / f"population-{year}-{rows}.csv"
    pl.DataFrame(data).write_csv(path)
    return path


PATHWAYS = {2022: {"traditional", "app"}, 2023: {"traditional", "app", "mvp"}, 2024: {"traditional", "app", "mvp"},
            2025: {"traditional", "app", "mvp", "app_plus"}, 2026: {"traditional", "app", "mvp", "app_plus"}}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("population")


def check(year: int, path: Path) -> tuple[Counter[str], list[Difference]]:
    scorer = compile_population(rulebook_for(str(year)), load_mapping(year))
    return compare_population(scorer, scorer.typed(path))


@pytest.mark.parametrize("year", [2022, 2023, 2025, 2026])
def test_every_row_matches_the_traced_engine_under_its_pathway(year: int, folder: Path) -> None:
    checked, differences = check(year, population(year, 2_000, 250, 11, folder))
    assert sum(checked.values()) == 2_000
    assert set(checked) - {NO_PATHWAY} == PATHWAYS[year]
    assert all(checked[name] >= 100 for name in PATHWAYS[year]), checked
    assert not differences, "\n".join(str(d) for d in differences[:20])


def test_ten_thousand_rows_match_the_traced_engine(folder: Path) -> None:
    checked, differences = check(2024, population(2024, 10_000, 1_000, 11, folder))
    assert sum(checked.values()) == 10_000
    assert set(checked) - {NO_PATHWAY} == PATHWAYS[2024]
    assert not differences, "\n".join(str(d) for d in differences[:20])


def test_a_difference_names_the_row_the_pathway_and_the_rule() -> None:
    difference = Difference(7, "1000000007", "final_score", "final_score", Decimal("80"), Decimal("81"), "app")
    assert str(difference) == ("row 7 (1000000007) under app: final_score (rule final_score): traced engine "
                               "Decimal('80'), columnar Decimal('81')")
