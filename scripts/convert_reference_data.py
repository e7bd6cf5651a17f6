"""Convert CMS reference data (CMSgov/qpp-measures-data) into `rulebooks/YEAR/reference/`.

Usage: python scripts/convert_reference_data.py --shared ../shared [--years 2022 2023 ...] [--out DIR]

Writes, per year, one JSON record per line (sorted, in the field names of engine/reference/models.py,
decimals as exact strings) and SOURCE.yaml (repository, commit, source files, notes). The output
depends only on the source files, so running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # run as a plain script from a checkout, installed or not

import yaml  # noqa: E402
from pydantic import BaseModel, ValidationError  # noqa: E402

from engine.atomic import write_atomically  # noqa: E402
from engine.errors import MipsError, Problem  # noqa: E402
from engine.reference.models import (  # noqa: E402
    Benchmark, CostMeasure, EcqmPopulation, EcqmUuids, ImprovementActivity, Mvp, PIMeasure, QualityMeasure,
    SourceInfo, Stratum,
)
from engine.rulebook.registry import rulebooks_root  # noqa: E402

REPOSITORY = "CMSgov/qpp-measures-data"
CITE_KEY = "cms-qpp-measures-data"  # the repository's key in rulebooks/sources/cms-data.yaml
LICENCE_NOTE = "Source licence: MIT (CMSgov/qpp-measures-data)."
FIRST_YEAR = 2022
CONVERTED_BY = "scripts/convert_reference_data.py"
# Benchmark rows CMS itself published as mock data: year -> (submission method, why).
PLACEHOLDER_ROWS = {
    2026: ("administrativeClaims",
           "The {count} administrativeClaims benchmark rows (cost measures and the administrative-claims "
           "quality measures) are CMS mock data (qpp-measures-data commit 26380bcb, 'adds mock PY26 "
           "AdminClaim and Cost Benchmark data'; values copied from PY2025 where PY2025 has the row): "
           "they carry placeholder: true."),
}
SET_NOTE = ("Only the fields of engine/reference/models.py are kept. Lists that are sets (allowed_programs, "
            "submission_methods, seven_point_cap_removed, exclusions, substitutes) are sorted; strata keep "
            "CMS's order. Decimals are written as exact strings.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=PROJECT_ROOT.parent / "shared",
                        help="the shared folder holding qpp-measures-data/ (default: ../shared)")
    parser.add_argument("--years", type=int, nargs="+",
                        help=f"performance years (default: every year from {FIRST_YEAR} with measures-data)")
    parser.add_argument("--out", type=Path, help="rulebooks folder to write into (default: the project's)")
    args = parser.parse_args(argv)
    try:
        source = args.shared / "qpp-measures-data"
        if not source.is_dir():
            raise MipsError(f"{source}: not found; pass --shared with the folder holding qpp-measures-data/")
        years = args.years or _available_years(source)
        outputs = {year: convert_year(source, year) for year in years}
        out = args.out or rulebooks_root()
        for year, files in outputs.items():
            _write(out / str(year) / "reference", files)
            counts = {name: text.count("\n") for name, text in files.items() if name.endswith(".jsonl")}
            print(f"{year}: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    except MipsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _available_years(source: Path) -> list[int]:
    folder = source / "measures"
    return sorted(int(p.name) for p in folder.iterdir()
                  if p.name.isdigit() and int(p.name) >= FIRST_YEAR and (p / "measures-data.json").is_file())


def convert_year(source: Path, year: int) -> dict[str, str]:
    """Every output file of one year, name -> text, fully built before anything is written."""
    measures_file = f"measures/{year}/measures-data.json"
    benchmarks_file = f"benchmarks/{year}.json"
    by_category: dict[str, list[dict[str, Any]]] = {}
    for record in _read_json(source, measures_file):
        by_category.setdefault(record.get("category", ""), []).append(record)

    def convert(model: type[BaseModel], build: Callable[[dict[str, Any]], dict[str, Any]], category: str) -> list:
        return _convert(model, build, by_category.get(category, []), measures_file)

    quality = convert(QualityMeasure, _quality, "quality")
    cost = convert(CostMeasure, _cost, "cost")
    files = {
        "quality_measures.jsonl": _jsonl(quality, lambda m: m.id),
        "improvement_activities.jsonl": _jsonl(convert(ImprovementActivity, _activity, "ia"), lambda m: m.id),
        "pi_measures.jsonl": _jsonl(convert(PIMeasure, _pi, "pi"), lambda m: m.id),
        "cost_measures.jsonl": _jsonl(cost, lambda m: m.id),
    }
    commit, date = _source_commit(source)
    notes = [LICENCE_NOTE, f"Source commit date: {date or 'not recorded'}.", SET_NOTE,
             *_strata_note(by_category.get("quality", []))]
    used = [measures_file]
    if (source / benchmarks_file).is_file():
        inverse = {m.id: m.is_inverse for m in [*quality, *cost]}
        benchmarks = _convert(Benchmark, lambda row: _benchmark(row, year, inverse),
                              _read_json(source, benchmarks_file), benchmarks_file)
        other_years = sorted({b.measure_id for b in benchmarks if b.performance_year != year})
        if other_years:
            raise MipsError(f"{benchmarks_file}: rows of another performance year: {', '.join(other_years)}")
        files["benchmarks.jsonl"] = _jsonl(benchmarks, lambda b: (b.measure_id, b.submission_method))
        used.append(benchmarks_file)
        notes += _benchmark_notes(year, benchmarks)
    else:
        files["benchmarks.jsonl"] = ""
        notes.append(f"CMS has published no benchmarks for PY{year} at this commit ({benchmarks_file} does "
                     "not exist): only measures are converted and benchmarks.jsonl is empty.")
    mvps_file = f"mvp/{year}/mvp.json"
    if (source / mvps_file).is_file():
        files["mvps.jsonl"] = _jsonl(_convert(Mvp, _mvp, _read_json(source, mvps_file), mvps_file), lambda m: m.id)
        used.append(mvps_file)
    else:
        files["mvps.jsonl"] = ""
        notes.append(f"CMS has published no MVPs for PY{year} at this commit ({mvps_file} does not exist): "
                     "mvps.jsonl is empty.")
    info = SourceInfo(repository=REPOSITORY, commit=commit, files=tuple(used),
                      cite=f"{CITE_KEY} {', '.join(used)} at commit {commit[:12]}",
                      converted_by=CONVERTED_BY, notes=tuple(notes))
    files["SOURCE.yaml"] = ("# Written by scripts/convert_reference_data.py; re-run it rather than editing.\n"
                            + yaml.safe_dump(info.model_dump(mode="json"), sort_keys=False,
                                             allow_unicode=True, width=100))
    return files


def _read_json(source: Path, name: str) -> Any:
    path = source / name
    if not path.is_file():
        raise MipsError(f"{path}: not found; is --shared the right folder?")
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise MipsError([Problem(str(path), exc.lineno, exc.colno, "", f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(data, list):
        raise MipsError(f"{path}: expected a JSON list of records")
    return data


def _source_commit(source: Path) -> tuple[str, str]:
    """The commit hash and date recorded in qpp-measures-data/SOURCE_COMMIT."""
    path = source / "SOURCE_COMMIT"
    words = path.read_text(encoding="utf-8").split() if path.is_file() else []
    if not words:
        raise MipsError(f"{path}: missing or empty; it must name the source commit")
    return words[0], " ".join(words[1:])


def _convert(model: type[BaseModel], build: Callable[[dict[str, Any]], dict[str, Any]],
             records: Iterable[dict[str, Any]], file: str) -> list[Any]:
    """Build and validate one model per source record; any bad record stops the conversion."""
    problems, built = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(Problem(f"{file}: record {index}", None, None, "", "expected a JSON object"))
            continue
        where = f"{file}: record {index} ({record.get('measureId', '?')}"
        where += f", {record['submissionMethod']})" if "submissionMethod" in record else ")"
        try:
            built.append(model.model_validate(build(record)))
        except KeyError as exc:
            problems.append(Problem(where, None, None, "", f"missing source key {exc}"))
        except ValidationError as exc:
            problems += [Problem(where, None, None, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
    if problems:
        raise MipsError(problems)
    return built


def _sorted(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(values or ()))


def _quality(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m["measureId"], "title": m["title"], "measure_type": m["measureType"],
        "is_high_priority": m["isHighPriority"], "is_inverse": m["isInverse"], "metric_type": m["metricType"],
        "overall_algorithm": m.get("overallAlgorithm"),
        "strata": [Stratum(name=s["name"], description=s.get("description"))
                   for s in m.get("strata") or () if s.get("name")],
        "allowed_programs": _sorted(m.get("allowedPrograms")),
        "submission_methods": _sorted(m.get("submissionMethods")),
        "is_registry_measure": m.get("isRegistryMeasure", False),
        "first_performance_year": m.get("firstPerformanceYear"),
        "last_performance_year": m.get("lastPerformanceYear"),
        "seven_point_cap_removed": _sorted(m.get("sevenPointCapRemoved")),
        "e_measure_id": m.get("eMeasureId"), "e_measure_uuid": m.get("eMeasureUuid"),
        "e_measure_populations": _ecqm_populations(m) if m.get("eMeasureUuid") else (),
    }


_UUID_FIELDS = {"initialPopulationUuid": "initial_population", "denominatorUuid": "denominator",
                "denominatorExclusionUuid": "denominator_exclusion",
                "denominatorExceptionUuid": "denominator_exception", "numeratorUuid": "numerator",
                "numeratorExclusionUuid": "numerator_exclusion", "strata": "reporting_strata"}


def _ecqm_populations(m: dict[str, Any]) -> list[EcqmPopulation]:
    """Every stratum of an eCQM with its name and eMeasure UUIDs, in CMS's order (QRDA III matches on them)."""
    populations = []
    for s in m.get("strata") or ():
        uuids = s.get("eMeasureUuids")
        populations.append(EcqmPopulation(stratum=s.get("name"), uuids=EcqmUuids(
            **{_UUID_FIELDS[k]: v for k, v in uuids.items()}) if uuids else None))
    return populations


def _activity(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m["measureId"], "title": m["title"], "weight": m.get("weight"), "subcategory": m.get("subcategoryId"),
        "allowed_programs": _sorted(m.get("allowedPrograms")),
        "first_performance_year": m.get("firstPerformanceYear"),
        "last_performance_year": m.get("lastPerformanceYear"),
    }


def _pi(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m["measureId"], "title": m["title"], "objective": m["objective"], "metric_type": m["metricType"],
        "is_required": m["isRequired"], "is_bonus": m["isBonus"], "reporting_category": m.get("reportingCategory"),
        "exclusions": _sorted(m.get("exclusion")), "substitutes": _sorted(m.get("substitutes")),
        "first_performance_year": m.get("firstPerformanceYear"),
        "last_performance_year": m.get("lastPerformanceYear"),
    }


def _cost(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": m["measureId"], "title": m["title"], "is_inverse": m["isInverse"],
        "first_performance_year": m.get("firstPerformanceYear"),
        "last_performance_year": m.get("lastPerformanceYear"),
    }


def _mvp(m: dict[str, Any]) -> dict[str, Any]:
    """One MVP; measure id lists keep CMS's order."""
    return {
        "id": m["mvpId"], "title": m["title"], "clinical_topic": m.get("clinicalTopic"),
        "quality_measure_ids": m.get("qualityMeasureIds") or (), "ia_measure_ids": m.get("iaMeasureIds") or (),
        "cost_measure_ids": m.get("costMeasureIds") or (),
        "foundation_quality_measure_ids": m.get("foundationQualityMeasureIds") or (),
        "foundation_pi_measure_ids": m.get("foundationPiMeasureIds") or (),
        "administrative_claims_measure_ids": m.get("administrativeClaimsMeasureIds") or (),
        "has_cahps": m["hasCahps"], "has_outcome_admin_claims": m["hasOutcomeAdminClaims"],
    }


def _benchmark(row: dict[str, Any], year: int, inverse: dict[str, bool]) -> dict[str, Any]:
    """One benchmark row in model field names; isInverse from measures-data when the row lacks it (PY2022)."""
    formats = [name for name in ("percentiles", "deciles") if name in row]
    if len(formats) != 1:
        raise KeyError("percentiles or deciles (exactly one)")
    placeholder = PLACEHOLDER_ROWS.get(year)
    return {
        "measure_id": row["measureId"], "submission_method": row["submissionMethod"],
        "benchmark_year": row["benchmarkYear"], "performance_year": row["performanceYear"],
        "is_inverse": row["isInverse"] if "isInverse" in row else inverse.get(row["measureId"]),
        "is_topped_out": row["isToppedOut"], "is_topped_out_by_program": row["isToppedOutByProgram"],
        "metric_type": row.get("metricType"), "format": formats[0],
        "percentiles": row.get("percentiles"), "deciles": row.get("deciles"),
        "average_performance_rate": row.get("averagePerformanceRate"),
        "placeholder": placeholder is not None and row["submissionMethod"] == placeholder[0],
    }


def _strata_note(quality: list[dict[str, Any]]) -> list[str]:
    nameless = sorted({m["measureId"] for m in quality for s in m.get("strata") or () if not s.get("name")})
    if not nameless:
        return []
    return [f"Strata without a name are left out of strata ({len(nameless)} single-performance-rate eCQMs: "
            f"{', '.join(nameless)}); every eCQM stratum, named or not, is kept with its eMeasure UUIDs in "
            "e_measure_populations, which QRDA III conversion matches on."]


def _benchmark_notes(year: int, benchmarks: list[Benchmark]) -> list[str]:
    notes = []
    if any(b.format == "deciles" for b in benchmarks):
        notes.append("Benchmarks use deciles: the lower bounds of deciles 2-10 (10 values for cost measures), "
                     "descending for inverse measures. The source rows have no isInverse and no metricType: "
                     "is_inverse is taken from measures-data and metric_type is null.")
    if any(b.format == "percentiles" for b in benchmarks):
        notes.append("Benchmarks use percentiles 1, 10, ..., 90, 99, ascending for direct and inverse measures.")
    if year in PLACEHOLDER_ROWS:
        notes.append(PLACEHOLDER_ROWS[year][1].format(count=sum(b.placeholder for b in benchmarks)))
    return notes


def _jsonl(records: list[BaseModel], key: Callable[[Any], Any]) -> str:
    """One compact JSON object per line, sorted by key; a duplicate key stops the conversion."""
    ordered = sorted(records, key=key)
    for previous, current in zip(ordered, ordered[1:]):
        if key(previous) == key(current):
            raise MipsError(f"duplicate source record {key(current)}; the source data must be fixed")
    return "".join(json.dumps(r.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
                   for r in ordered)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write_atomically(folder / name, text.encode("utf-8"))


if __name__ == "__main__":
    sys.exit(main())
