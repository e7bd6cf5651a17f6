"""Request and response models of the JSON API (pydantic); responses carry the same JSON as the CLI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class File(BaseModel):
    """A file's name (for messages only: never a server path) and its text."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, examples=["2023-individual.json"])
    content: str = Field(description="The file's text: a case (YAML or JSON), a QPP JSON submission, a QRDA III "
                                     "file (XML) or a profile; the kind is told from the content.")


class ScoreRequest(BaseModel):
    """The files of one clinician: a case, or submissions (QPP JSON or QRDA III) and their profile."""

    model_config = ConfigDict(extra="forbid")
    files: list[File] = Field(min_length=1, max_length=20)
    year: int | None = Field(None, description="Score under this performance year's rulebook (a case only); "
                                               "default: the year the files give.")


class DiffRequest(BaseModel):
    """Two rulebook years, and optionally one clinician's files to score under both, or two sets of files to compare."""

    model_config = ConfigDict(extra="forbid")
    old: int | None = Field(None, description="Older performance year (with `new`).")
    new: int | None = Field(None, description="Newer performance year (with `old`).")
    files: list[File] | None = Field(None, max_length=20, description="A case scored under both years.")
    old_files: list[File] | None = Field(None, max_length=20, description="One year's files of a clinician (with new_files).")
    new_files: list[File] | None = Field(None, max_length=20, description="Another year's files of the same clinician.")
    all: bool = Field(False, description="Include every rulebook change, not only those the case read.")


class Problem(BaseModel):
    file: str
    line: int | None
    column: int | None
    path: str
    message: str


class Errors(BaseModel):
    """Every problem found, each located in its file (line, column, key or JSON path) with what to do."""

    errors: list[Problem]


class CategoryResult(BaseModel):
    score: float | None
    weight: float
    contribution: float | None
    status: str
    reason: str | None = None


class ScoreResult(BaseModel):
    """What `mips score --format json` prints: exact decimals as JSON numbers, and the trace."""

    case_id: str | None
    performance_year: int
    final_score: float
    payment_adjustment_percent: float
    categories: dict[str, CategoryResult]
    bonuses: dict[str, Any]
    unconfirmed: list[dict[str, Any]]
    rulebook: dict[str, Any]
    engine_version: str
    trace: list[dict[str, Any]]


class Explanation(BaseModel):
    """What `mips explain --format json` prints: the explanation's content as data."""

    model_config = ConfigDict(extra="allow")
    case_id: str | None
    performance_year: int
    payment_year: int | None
    final_score: dict[str, Any]
    payment_adjustment_percent: dict[str, Any]
    categories: list[dict[str, Any]]
    quality_measures: list[dict[str, Any]]
    unconfirmed: list[dict[str, Any]]


class ResultLine(BaseModel):
    """One of a clinician's results, as the list of them shows it."""

    label: str
    origin: str = Field(description="'submitted', or the name of the other way of scoring it (facility_based)")
    final_score: float
    payment_adjustment_percent: float | None
    counts: bool


class CombinedResult(BaseModel):
    """What `mips score --format json` prints for several results of one clinician: each result (as
    ScoreResult, with its label and origin), the comparison step and the one that counts."""

    model_config = ConfigDict(extra="allow")
    performance_year: int
    clinician: dict[str, Any]
    counted: str = Field(description="The label of the result that counts")
    tied_with: list[str]
    results: list[dict[str, Any]]
    comparison: list[dict[str, Any]]
    rulebook: dict[str, Any]
    engine_version: str


class CombinedExplanation(BaseModel):
    """What `mips explain --format json` prints for several results of one clinician."""

    model_config = ConfigDict(extra="allow")
    performance_year: int
    counted: str
    tied_with: list[str]
    results: list[ResultLine]
    explanations: list[Explanation]


class DiffResult(BaseModel):
    """What `mips diff --format json` prints."""

    model_config = ConfigDict(extra="allow")


class EucResult(BaseModel):
    """What `mips euc --format json` prints."""

    coverage: dict[str, Any]
    applicability: list[dict[str, Any]]


class DeadlinesResult(BaseModel):
    """What `mips deadlines --format json` prints."""

    status: dict[str, Any]
