"""The population commands end to end (in process): results file, stamps, summaries, errors."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from cli.main import cli


def test_population_score_adds_the_outputs_and_stamps_the_file(population_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.parquet"
    result = CliRunner().invoke(cli, ["population", "score", str(population_file), "--year", "2024", "--out", str(out),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["rows"] == 3_000 and summary["rows_with_problems"] == 0
    assert all("quality.measure_score" in rules for rules in summary["not_compiled"].values())
    assert set(summary["not_compiled"]) == {"traditional", "app", "mvp"}
    frame = pl.read_parquet(out)
    original = pl.read_parquet(population_file)
    assert frame.columns[:len(original.columns) + 1] == ["row", *original.columns]
    assert {"final_score", "payment_adjustment_percent", "weights.row", "quality.weight", "problem"} <= set(frame.columns)
    stamp = pl.read_parquet_metadata(out)
    assert stamp["mips.performance_year"] == "2024" and len(stamp["mips.rulebook_sha256"]) == 64
    assert not (tmp_path / "results.parquet.part").exists()


def test_population_score_text_summary(population_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["population", "score", str(population_file), "--year", "2024",
                                      "--out", str(tmp_path / "r.parquet")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Scored 3,000 rows of {population_file} with rulebook rulebooks/2024")
    assert "Every row was scored." in result.output


def test_impact_needs_one_rulebook_to_compare(population_file: Path) -> None:
    result = CliRunner().invoke(cli, ["impact", str(population_file), "--from", "2024"])
    assert result.exit_code != 0
    assert "give either --to YEAR or --rulebook PATH" in str(result.exception)


def test_impact_writes_an_html_report(population_file: Path, draft_threshold: Path, tmp_path: Path) -> None:
    out = tmp_path / "impact.html"
    result = CliRunner().invoke(cli, ["impact", str(population_file), "--from", "2024", "--rulebook",
                                      str(draft_threshold), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("\n<!DOCTYPE html>") or "<!DOCTYPE html>" in out.read_text()
