"""A small synthetic PY2024 population, written once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.population.synth import Synthesis, synthesize, write


@pytest.fixture(scope="session")
def synthetic() -> Synthesis:
    return synthesize(2024, 3_000, 5)


@pytest.fixture(scope="session")
def population_file(synthetic: Synthesis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("population") / "synthetic-2024.parquet"
    write(synthetic.frame, path)
    return path


@pytest.fixture(scope="session")
def draft_threshold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft PY2025 rulebook that only raises the performance threshold to 82."""
    folder = tmp_path_factory.mktemp("draft") / "draft-2025"
    (folder / "parameters").mkdir(parents=True)
    (folder / "rulebook.yaml").write_text(
        "rulebook:\n  year: 2025\n  title: Draft with a performance threshold of 82\n  status: proposed\n"
        "  extends: 2024\n", encoding="utf-8")
    (folder / "parameters" / "program.yaml").write_text(
        "description: Draft threshold.\nparameters:\n  performance_threshold:\n"
        "    description: Final score at which the payment adjustment is neutral (0%).\n    value: 82\n"
        "    unit: points\n    source: \"cfr-414.1405 (draft)\"\n    status: unconfirmed\n", encoding="utf-8")
    return folder
