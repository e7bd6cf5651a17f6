"""Read a year's converted CMS reference data (`rulebooks/YEAR/reference/`), strictly and once."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.datafiles import read_model
from engine.errors import MipsError, Problem
from engine.reference.models import (
    Benchmark, CostMeasure, ImprovementActivity, Mvp, PIMeasure, QualityMeasure, ReferenceData, SourceInfo,
)
from engine.rulebook import citations
from engine.rulebook.bibliography import bibliography_for
from engine.rulebook.registry import display_path, rulebooks_root
from engine.rulebook.validation_messages import dotted

M = TypeVar("M", bound=BaseModel)
CONVERT = "python scripts/convert_reference_data.py --shared ../shared --years {year}"


def load_reference(year: int | str, root: Path | None = None) -> ReferenceData:
    """The reference data of a performance year from `ROOT/YEAR/reference/` (ROOT: the rulebooks folder)."""
    text = str(year)
    if not text.isdigit():
        raise MipsError(f"performance year must be a number such as 2023 (got {text!r})")
    return _load(_resolved(root if root is not None else rulebooks_root(), os.getcwd()), int(text))


@lru_cache(maxsize=16)
def _resolved(root: Path, cwd: str) -> Path:
    """A rulebooks root resolved once per working folder (it names data read once per process)."""
    return Path(root).resolve()


@lru_cache(maxsize=None)
def _load(root: Path, year: int) -> ReferenceData:
    """Read and check every file of the year; report all problems at once."""
    folder = root / str(year) / "reference"
    if not folder.is_dir():
        raise MipsError(f"{display_path(folder)}: no CMS reference data for performance year {year}; "
                        f"convert it from the project root with `{CONVERT.format(year=year)}`")
    data, source, problems = read_model(folder / "SOURCE.yaml", SourceInfo)
    if data is not None:
        problems += citations.check_document(data, display_path(folder / "SOURCE.yaml"),
                                             bibliography_for(root / str(year)))
    read = partial(_read_records, problems=problems)
    quality = read(folder / "quality_measures.jsonl", QualityMeasure, lambda m: m.id)
    benchmarks = read(folder / "benchmarks.jsonl", Benchmark, lambda b: f"{b.measure_id}|{b.submission_method}",
                      check=partial(_benchmark_problem, year=year))
    activities = read(folder / "improvement_activities.jsonl", ImprovementActivity, lambda a: a.id)
    pi = read(folder / "pi_measures.jsonl", PIMeasure, lambda m: m.id)
    cost = read(folder / "cost_measures.jsonl", CostMeasure, lambda m: m.id)
    mvps = read(folder / "mvps.jsonl", Mvp, lambda m: m.id)
    if problems or source is None:
        hint = (f"these files are written by the conversion script: re-run `{CONVERT.format(year=year)}` "
                "rather than editing them by hand")
        raise MipsError([*problems, Problem("", None, None, "", hint)])
    return ReferenceData(year=year, source=source, quality_measures=quality, benchmarks=benchmarks,
                         improvement_activities=activities, pi_measures=pi, cost_measures=cost, mvps=mvps)


def _read_records(path: Path, model: type[M], key: Callable[[M], str], problems: list[Problem],
                  check: Callable[[M], tuple[str, str] | None] = lambda record: None) -> dict[str, M]:
    """One record per line: strict JSON types, exact decimals (strings), unique keys, then `check`."""
    name = display_path(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "", "missing file"))
        return {}
    records: dict[str, M] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            problems.append(Problem(name, number, None, "", "blank line; every line must hold one JSON record"))
            continue
        try:
            record = model.model_validate_json(line, strict=True)
        except ValidationError as exc:
            problems += sorted((_problem(name, number, model, error) for error in exc.errors()),
                               key=lambda p: (p.path, p.message))
            continue
        identifier = key(record)
        if identifier in seen:
            problems.append(Problem(name, number, None, "", f"duplicate record {identifier!r} "
                                                             f"(first on line {seen[identifier]})"))
            continue
        problem = check(record)
        if problem:
            problems.append(Problem(name, number, None, problem[0], problem[1]))
            continue
        seen[identifier] = number
        records[identifier] = record
    return records


def _benchmark_problem(record: Benchmark, year: int) -> tuple[str, str] | None:
    """(field, message) when a benchmark row contradicts its year or its own format."""
    if record.performance_year != year:
        return "performance_year", f"is {record.performance_year}, but the file is for performance year {year}"
    other = "deciles" if record.format == "percentiles" else "percentiles"
    if getattr(record, record.format) is None or getattr(record, other) is not None:
        return "format", f"is {record.format!r}: '{record.format}' must be given and '{other}' must be null"
    return None


def _problem(file: str, line: int, model: type[BaseModel], error: Any) -> Problem:
    """A pydantic error of one JSON line as a located problem naming the field."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "json_invalid":
        return Problem(file, line, None, "", f"not valid JSON: {error['ctx']['error']}")
    if kind == "missing":
        return Problem(file, line, None, dotted(loc[:-1]), f"missing required field '{loc[-1]}'")
    if kind == "extra_forbidden":
        allowed = ", ".join(model.model_fields) if len(loc) == 1 else ""
        return Problem(file, line, None, dotted(loc[:-1]),
                       f"unknown field '{loc[-1]}'" + (f"; allowed fields: {allowed}" if allowed else ""))
    given = error.get("input")
    shown = given if isinstance(given, (str, int, float, bool)) or given is None else type(given).__name__
    return Problem(file, line, None, dotted(loc), f"{error['msg'][0].lower()}{error['msg'][1:]} (got {shown!r})")
