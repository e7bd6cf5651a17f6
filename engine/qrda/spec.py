"""A year's QRDA III mapping (`rulebooks/YEAR/qrda.yaml`): templates, paths, program names, CMS codes.

Each entry carries its value, source and status like a rulebook parameter. A year may extend an
earlier one and state only the entries that changed. The reader's vocabulary (template kinds, path
names, problem names) is fixed here; what each means in a given year is data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from engine.datafiles import read_model
from engine.errors import MipsError, Problem, RulebookError
from engine.qrda.paths import ElementPath, PathError, compile_path
from engine.rulebook import citations
from engine.rulebook.registry import display_path, rulebooks_root

FILE = "qrda.yaml"
T = TypeVar("T")

TemplateKind = Literal[
    "measure_section", "ia_section", "pi_section", "reporting_parameters", "measure_reference", "measure_data",
    "aggregate_count", "performance_rate", "reporting_stratum", "sex", "ethnicity", "race", "payer",
    "continuous_variable", "pi_numerator_denominator", "pi_numerator", "pi_denominator", "pi_measure_performed",
    "ia_measure", "measure_performed"]
PathName = Literal[
    "program_name", "npi", "tin", "virtual_group_id", "apm_entity_id", "subgroup_id", "mvp_id", "cehrt_id",
    "performance_start", "performance_end", "category_section_extension", "measure_guid", "measure_id",
    "population_type", "population_id", "aggregate_count", "performance_rate", "performance_rate_null",
    "performance_rate_uuid", "measure_performed", "supplemental_code", "payer_code"]
ProblemName = Literal[
    "unexpected_error", "not_xml", "not_qrda", "unknown_measure", "no_measure_data", "count_not_single",
    "count_not_integer", "pi_attestation_answer", "pi_attestation_id", "denominator_above_population",
    "population_count", "pi_measure_outside_pi_section", "pi_measure_id", "pi_measure_empty",
    "pi_numerator_denominator", "pi_reporting_parameters", "no_section", "program_name_count",
    "program_name_unknown", "duplicate_pi_section", "duplicate_ia_or_measure_section", "performance_start_count",
    "performance_end_count", "performance_year_missing", "quality_reporting_parameters", "performance_rate_value",
    "pi_count_not_single", "pi_count_not_integer", "pi_count_invalid", "ia_section_empty",
    "ia_reporting_parameters", "ia_section_other_child", "ia_answer_count", "attestation_answer",
    "measure_data_count", "measure_data_negative", "population_id_count", "population_type_count",
    "population_uuid", "performance_rate_uuid_count", "performance_period_format", "measure_guid_count",
    "duplicate_measure_guid", "performance_rate_missing", "virtual_group_id", "measure_section_empty",
    "too_many_problems", "category_section", "restricted_pi_combination"]
Population = Literal["initial_population", "denominator", "numerator", "denominator_exclusion",
                     "denominator_exception", "numerator_exclusion"]
EntityType = Literal["individual", "group", "virtualGroup", "apm", "subgroup"]
IdentifierField = Literal["nationalProviderIdentifier", "taxpayerIdentificationNumber", "entityId"]
Status = Literal["confirmed", "secondary", "derived", "unconfirmed"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(Strict, Generic[T]):
    """One concept of the mapping: its value, where it comes from and how sure that is."""

    description: str
    value: T
    source: str
    status: Status
    note: str | None = None


class Guide(Strict):
    title: str
    url: str | None


class Template(Strict):
    root: str
    extension: str | None


class Program(Strict):
    program: str
    entity_type: EntityType


class Identity(Strict):
    fields: list[IdentifierField]
    entity_id: PathName | None = None


class Mvp(Strict):
    programs: list[str]
    entity_types: list[EntityType]


class Cehrt(Strict):
    categories: list[Literal["quality", "pi", "ia"]]
    programs: list[str]


class Restriction(Strict):
    measure: str
    not_with: list[str]


class ProblemCode(Strict):
    code: int
    cms_name: str


class Entries(Strict):
    implementation_guide: Entry[Guide]
    document_template: Entry[Template]
    category_section: Entry[Template]
    templates: Entry[dict[TemplateKind, str]]
    paths: Entry[dict[PathName, str]]
    program_names: Entry[dict[str, Program]]
    accepted_programs: Entry[list[str]]
    identifiers: Entry[dict[EntityType, Identity]]
    mvp: Entry[Mvp]
    cehrt_id: Entry[Cehrt]
    population_codes: Entry[dict[str, Population]]
    summed_measures: Entry[list[str]]
    single_to_multi_measures: Entry[list[str]]
    restricted_pi_combinations: Entry[list[Restriction]]
    ecqm_check_programs: Entry[list[str]]
    attestation_codes: Entry[dict[str, bool]]
    problem_codes: Entry[dict[ProblemName, ProblemCode]]
    problem_limit: Entry[int]


class PartialEntries(Strict):
    """The entries a file states itself (a year that extends another states only what changed)."""

    implementation_guide: Entry[Guide] | None = None
    document_template: Entry[Template] | None = None
    category_section: Entry[Template] | None = None
    templates: Entry[dict[TemplateKind, str]] | None = None
    paths: Entry[dict[PathName, str]] | None = None
    program_names: Entry[dict[str, Program]] | None = None
    accepted_programs: Entry[list[str]] | None = None
    identifiers: Entry[dict[EntityType, Identity]] | None = None
    mvp: Entry[Mvp] | None = None
    cehrt_id: Entry[Cehrt] | None = None
    population_codes: Entry[dict[str, Population]] | None = None
    summed_measures: Entry[list[str]] | None = None
    single_to_multi_measures: Entry[list[str]] | None = None
    restricted_pi_combinations: Entry[list[Restriction]] | None = None
    ecqm_check_programs: Entry[list[str]] | None = None
    attestation_codes: Entry[dict[str, bool]] | None = None
    problem_codes: Entry[dict[ProblemName, ProblemCode]] | None = None
    problem_limit: Entry[int] | None = None


class QrdaFile(Strict):
    description: str
    year: int
    extends: int | None = None
    entries: PartialEntries


class QrdaSpec(Strict):
    """The complete mapping of one performance year, every entry resolved through the years it extends."""

    year: int
    file: str
    entries: Entries
    origin: dict[str, str]          # entry name -> the file that states it

    def code(self, name: ProblemName) -> int:
        return self.entries.problem_codes.value[name].code

    def path(self, name: PathName) -> ElementPath:
        return _compiled(self.entries.paths.value[name])


@lru_cache(maxsize=None)
def _compiled(text: str) -> ElementPath:
    return compile_path(text)


def qrda_years(root: Path | None = None) -> list[int]:
    """Performance years that have a QRDA III mapping file."""
    folder = root if root is not None else rulebooks_root()
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit() and (p / FILE).is_file())


def load_qrda_spec(year: int, root: Path | None = None) -> QrdaSpec:
    """The QRDA III mapping of a performance year; a clear error when the year has none."""
    return _load((root if root is not None else rulebooks_root()).resolve(), year)


def check_qrda_folder(folder: Path) -> object:
    """The data-kind check of a year folder's qrda.yaml (raises RulebookError with every problem)."""
    return _load(folder.parent.resolve(), int(folder.name)) if folder.name.isdigit() else _read(folder / FILE)


@lru_cache(maxsize=None)
def _load(root: Path, year: int, chain: tuple[int, ...] = ()) -> QrdaSpec:
    path = root / str(year) / FILE
    if not path.is_file():
        years = ", ".join(str(y) for y in qrda_years(root)) or "none"
        raise MipsError(f"no QRDA III mapping for performance year {year} ({display_path(path)} does not exist); "
                        f"years with one: {years}")
    spec = _read(path)
    name = display_path(path)
    if spec.year != year:
        raise RulebookError([Problem(name, None, None, "year", f"year {spec.year} does not match the folder {year}")])
    stated = {k: getattr(spec.entries, k) for k in spec.entries.model_fields_set if getattr(spec.entries, k)}
    origin = {k: name for k in stated}
    if spec.extends is not None:
        if spec.extends >= year or spec.extends in chain:
            raise RulebookError([Problem(name, None, None, "extends", f"a year extends an earlier year "
                                         f"(got {spec.extends} in {year})")])
        base = _load(root, spec.extends, chain + (year,))
        merged = {k: getattr(base.entries, k) for k in Entries.model_fields} | stated
        origin = base.origin | origin
    else:
        merged = stated
    missing = [k for k in Entries.model_fields if k not in merged]
    if missing:
        raise RulebookError([Problem(name, None, None, "entries", f"missing entries: {', '.join(missing)} "
                                     f"(state them here or extend a year that does)")])
    bad = []
    for key, text in merged["paths"].value.items():
        try:
            compile_path(text)
        except PathError as exc:
            bad.append(Problem(origin["paths"], None, None, f"entries.paths.value.{key}", str(exc)))
    if bad:
        raise RulebookError(bad)
    return QrdaSpec(year=year, file=name, entries=Entries(**merged), origin=origin)


def _read(path: Path) -> QrdaFile:
    data, spec, problems = read_model(path, QrdaFile)
    problems += citations.check_file(data, path)
    if spec is None or problems:
        raise RulebookError(problems)
    return spec
