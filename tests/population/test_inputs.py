"""Strict at the edges: a missing, mistyped or unreadable column is refused with what to do."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from engine.columnar.inputs import typed
from engine.columnar.mapping import load_mapping, load_mapping_file
from engine.columnar.pathways import compile_population
from engine.columnar.scorer import compile_scorer
from engine.errors import MipsError
from engine.api import rulebook_for


def _csv(path: Path, frame: pl.DataFrame) -> Path:
    frame.with_columns(pl.all().cast(pl.String)).write_csv(path)
    return path


def test_a_missing_column_is_named_with_a_suggestion(population_file: Path, tmp_path: Path) -> None:
    frame = pl.read_parquet(population_file).rename({"quality category score": "quality categry score"})
    path = tmp_path / "missing.parquet"
    frame.write_parquet(path)
    with pytest.raises(MipsError) as error:
        typed(path, load_mapping(2024))
    assert (f"{path}: missing column 'quality category score' (number, read as col.quality_score by "
            "rulebooks/population/2023/columns.yaml:") in str(error.value)
    assert "did you mean 'quality categry score'?" in str(error.value)


def test_a_column_of_the_wrong_type_is_refused(population_file: Path, tmp_path: Path) -> None:
    frame = pl.read_parquet(population_file).with_columns(pl.col("rural status").cast(pl.Float64))
    path = tmp_path / "mistyped.parquet"
    frame.write_parquet(path)
    with pytest.raises(MipsError) as error:
        typed(path, load_mapping(2024))
    assert "column 'rural status' holds Float64 values;" in str(error.value)
    assert "reads it as a boolean (a boolean: one of True, true, TRUE, Y, Yes, 1, False" in str(error.value)


def test_text_that_is_not_a_number_is_refused_with_its_rows(population_file: Path, tmp_path: Path) -> None:
    frame = pl.read_parquet(population_file).head(20).with_columns(pl.all().cast(pl.String))
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()).is_in([2, 7])).then(pl.lit("n/a"))
                               .otherwise(pl.col("cost category score")).alias("cost category score"))
    path = _csv(tmp_path / "bad.csv", frame)
    with pytest.raises(MipsError) as error:
        typed(path, load_mapping(2024))
    assert str(error.value) == (f"{path}: column 'cost category score': 2 value(s) are not a number (or empty): "
                                "row 3 'n/a', row 8 'n/a'")


def test_csv_and_parquet_score_the_same(population_file: Path, tmp_path: Path) -> None:
    mapping = load_mapping(2024)
    scorer = compile_scorer(rulebook_for("2024"), mapping)
    path = _csv(tmp_path / "same.csv", pl.read_parquet(population_file))
    outputs = ["final_score", "payment_adjustment_percent", "weights.row"]
    from_csv = scorer.score(typed(path, mapping)).select(outputs).collect()
    from_parquet = scorer.score(typed(population_file, mapping)).select(outputs).collect()
    assert from_csv.equals(from_parquet)


def test_unknown_file_types_and_missing_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_text("", encoding="utf-8")
    with pytest.raises(MipsError, match=r"x.xlsx: unknown file type '.xlsx'; give a .csv or .parquet file"):
        typed(tmp_path / "x.xlsx", load_mapping(2024))
    with pytest.raises(MipsError, match=r"nothere.csv: no such file"):
        typed(tmp_path / "nothere.csv", load_mapping(2024))


def test_a_mapping_naming_an_undeclared_column_or_an_unknown_fact_is_refused(tmp_path: Path) -> None:
    text = (Path("rulebooks/population/2023/columns.yaml").read_text(encoding="utf-8")
            .replace("facts.practice.clinician_count: {value: col.practice_size}",
                     "facts.practice.clinician_count: {value: col.practice_sise}")
            .replace("facts.apm_participant:", "facts.apm_participants:"))
    path = tmp_path / "2023" / "columns.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MipsError) as error:
        load_mapping_file(path)
    assert "'col.practice_sise' is no declared column (write col.ALIAS with an alias under 'columns'); " \
           "did you mean col.practice_size?" in str(error.value)
    text = text.replace("col.practice_sise", "col.practice_size")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MipsError) as error:
        compile_scorer(rulebook_for("2024"), load_mapping_file(path))
    assert "'facts.apm_participants' is no fact of the rulebook; did you mean facts.apm_participant?" in str(error.value)


def test_an_unknown_reporting_option_is_refused_with_its_row_and_column(population_file: Path, tmp_path: Path) -> None:
    frame = pl.read_parquet(population_file).head(20).with_columns(
        pl.when(pl.int_range(pl.len()) == 6).then(pl.lit("Old Pathway")).otherwise(pl.col("reporting option"))
        .alias("reporting option"))
    path = tmp_path / "unknown-reporting.parquet"
    frame.write_parquet(path)
    scorer = compile_population(rulebook_for("2024"), load_mapping(2024))
    with pytest.raises(MipsError) as error:
        scorer.typed(path)
    assert "column 'reporting option': 1 value(s) name no reporting option" in str(error.value)
    assert "row 7 'Old Pathway'" in str(error.value)
