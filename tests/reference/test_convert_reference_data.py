"""scripts/convert_reference_data.py: deterministic, exact, and in step with the committed files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.reference.loader import load_reference

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT / "scripts" / "convert_reference_data.py"
SHARED = PROJECT.parent / "shared"
needs_shared = pytest.mark.skipif(
    not (SHARED / "qpp-measures-data").is_dir(),
    reason=f"{SHARED}/qpp-measures-data is absent (CI has it, a user's machine may not): nothing to convert")


def convert(shared: Path, out: Path, *years: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(SCRIPT), "--shared", str(shared), "--out", str(out)]
    return subprocess.run(args + (["--years", *years] if years else []), capture_output=True, text=True, timeout=300)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_shared
def test_two_conversions_are_byte_identical(tmp_path):
    assert convert(SHARED, tmp_path / "a").returncode == 0
    assert convert(SHARED, tmp_path / "b").returncode == 0
    assert tree(tmp_path / "a") and tree(tmp_path / "a") == tree(tmp_path / "b")


@needs_shared
def test_committed_reference_files_equal_a_fresh_conversion(tmp_path):
    assert convert(SHARED, tmp_path).returncode == 0
    fresh = tree(tmp_path)
    committed = {f"{p.parent.name}/reference/{name}": data
                 for p in sorted((PROJECT / "rulebooks").glob("*/reference"))
                 for name, data in tree(p).items()}
    assert committed.keys() == fresh.keys(), "re-run scripts/convert_reference_data.py and commit its output"
    assert [name for name in fresh if fresh[name] != committed[name]] == []


def mini_shared(tmp_path: Path, measures: list[dict], benchmarks: list[dict] | None) -> Path:
    """A tiny qpp-measures-data copy for PY2023 written from JSON text (numbers kept as typed)."""
    source = tmp_path / "shared" / "qpp-measures-data"
    (source / "measures" / "2023").mkdir(parents=True)
    (source / "SOURCE_COMMIT").write_text("0123456789abcdef0123456789abcdef01234567 Mon Jan 1 2026\n")
    (source / "measures" / "2023" / "measures-data.json").write_text(json.dumps(measures))
    if benchmarks is not None:
        (source / "benchmarks").mkdir()
        (source / "benchmarks" / "2023.json").write_text(json.dumps(benchmarks).replace('"EXACT"', EXACT))
    return tmp_path / "shared"


EXACT = "0.1000000000000000055511151231257827"
MEASURE = {"measureId": "999", "category": "quality", "title": "A measure", "measureType": "process",
           "isHighPriority": False, "isInverse": False, "metricType": "singlePerformanceRate",
           "submissionMethods": ["registry", "claims"], "description": "long text that is not kept"}
ROW = {"measureId": "999", "submissionMethod": "registry", "benchmarkYear": 2021, "performanceYear": 2023,
       "isToppedOut": False, "isToppedOutByProgram": False, "isInverse": False, "metricType": "singlePerformanceRate",
       "averagePerformanceRate": "EXACT", "percentiles": {"1": 1, "10": 2}}


def test_decimals_survive_conversion_digit_for_digit_and_unknown_fields_are_dropped(tmp_path):
    done = convert(mini_shared(tmp_path, [MEASURE], [ROW]), tmp_path / "out", "2023")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "out" / "2023" / "reference"
    assert f'"average_performance_rate":"{EXACT}"' in (folder / "benchmarks.jsonl").read_text()
    assert "long text" not in (folder / "quality_measures.jsonl").read_text()
    data = load_reference(2023, tmp_path / "out")
    assert str(data.benchmark("999", "registry").average_performance_rate) == EXACT
    assert data.quality_measures["999"].submission_methods == ("claims", "registry")


def test_a_year_without_benchmarks_gets_an_empty_benchmark_file_and_a_note(tmp_path):
    assert convert(mini_shared(tmp_path, [MEASURE], None), tmp_path / "out", "2023").returncode == 0
    data = load_reference(2023, tmp_path / "out")
    assert data.benchmarks == {}
    assert any("no benchmarks for PY2023" in note for note in data.source.notes)


def test_a_broken_source_record_is_reported_by_file_and_measure_without_a_traceback(tmp_path):
    broken = {k: v for k, v in MEASURE.items() if k != "title"}
    done = convert(mini_shared(tmp_path, [broken], [ROW]), tmp_path / "out", "2023")
    assert done.returncode == 1
    assert done.stderr == "error: measures/2023/measures-data.json: record 0 (999): missing source key 'title'\n"
    assert not (tmp_path / "out").exists()
