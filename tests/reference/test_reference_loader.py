"""The committed reference data (rulebooks/YEAR/reference/) loads, holds the facts' values, and fails clearly."""

from __future__ import annotations

import shutil
import time
from decimal import Decimal as D
from pathlib import Path

import pytest

from engine.errors import MipsError
from engine.reference.loader import _load, load_reference

ROOT = Path(__file__).resolve().parents[2] / "rulebooks"
YEARS = sorted(int(p.name) for p in ROOT.iterdir() if (p / "reference" / "SOURCE.yaml").is_file())
HINT = ("these files are written by the conversion script: re-run "
        "`python scripts/convert_reference_data.py --shared ../shared --years 2023` rather than editing them by hand")


def ref(year: int):
    return load_reference(year, ROOT)


@pytest.mark.parametrize("year", YEARS)
def test_every_committed_year_loads_with_its_source_recorded(year):
    data = ref(year)
    assert data.year == year
    assert data.source.repository == "CMSgov/qpp-measures-data"
    assert len(data.source.commit) == 40
    assert f"measures/{year}/measures-data.json" in data.source.files
    assert data.quality_measures and data.improvement_activities and data.pi_measures and data.cost_measures


def test_2023_measure_236_ehr_percentiles_are_exact_decimals():
    bench = ref(2023).benchmark("236", "electronicHealthRecord")
    assert bench.format == "percentiles" and bench.deciles is None
    assert bench.percentiles == {k: D(v) for k, v in {
        "1": "2.74", "10": "41.96", "20": "51.36", "30": "56.61", "40": "60.71", "50": "64.235",
        "60": "67.55", "70": "71.1", "80": "75.28", "90": "81.35", "99": "97.46"}.items()}
    assert str(bench.percentiles["50"]) == "64.235"


def test_2023_measure_147_registry_is_topped_out_by_program():
    assert ref(2023).benchmark("147", "registry").is_topped_out_by_program is True


def test_2025_measure_143_has_the_defined_topped_out_ladder_and_no_seven_point_cap_for_registry():
    data = ref(2025)
    values = [data.benchmark("143", "registry").percentiles[k] for k in ("10", "20", "30", "40", "50", "60", "70", "80", "90")]
    assert values == [D(v) for v in (86, 88, 90, 92, 94, 96, 98, 99, 100)]
    assert data.quality_measures["143"].seven_point_cap_removed == ("electronicHealthRecord", "registry")


@pytest.mark.parametrize("year, count", [(2022, 0), (2023, 0), (2024, 0), (2025, 15), (2026, 18)])
def test_measures_exempt_from_the_seven_point_cap_per_year(year, count):
    assert sum(bool(m.seven_point_cap_removed) for m in ref(year).quality_measures.values()) == count


def test_2022_measure_001_claims_uses_descending_deciles_with_inverse_taken_from_measures_data():
    bench = ref(2022).benchmark("001", "claims")
    assert bench.format == "deciles" and bench.percentiles is None and bench.metric_type is None
    assert bench.deciles == tuple(D(v) for v in (100, 80, 70, 60, 50, 40, 30, 20, 10))
    assert bench.is_inverse is True


@pytest.mark.parametrize("year, fmt", [(2022, "deciles"), (2023, "percentiles"), (2024, "percentiles"),
                                       (2025, "percentiles"), (2026, "percentiles")])
def test_benchmark_format_is_deciles_up_to_2022_and_percentiles_from_2023(year, fmt):
    assert {b.format for b in ref(year).benchmarks.values()} == {fmt}


def test_2024_mspb_1_cost_percentiles():
    bench = ref(2024).benchmark("MSPB_1", "administrativeClaims")
    assert bench.is_inverse and bench.metric_type == "costScore" and not bench.placeholder
    assert bench.percentiles == {k: D(v) for k, v in {
        "1": "0", "10": "20861.63", "20": "22060.37", "30": "23259.11", "40": "25656.59", "50": "26855.33",
        "60": "28054.07", "70": "29252.81", "80": "29852.18", "90": "30451.55", "99": "31050.92"}.items()}


def test_2023_pi_exclusions_and_substitutes():
    pi = ref(2023).pi_measures
    assert pi["PI_EP_1"].exclusions == ("PI_LVPP_1",)
    assert pi["PI_HIE_5"].substitutes == ("PI_HIE_1", "PI_HIE_4", "PI_HIE_6")


def test_query_of_pdmp_is_a_bonus_in_2022_and_required_in_2023():
    assert (ref(2022).pi_measures["PI_EP_2"].is_bonus, ref(2022).pi_measures["PI_EP_2"].is_required) == (True, False)
    assert (ref(2023).pi_measures["PI_EP_2"].is_bonus, ref(2023).pi_measures["PI_EP_2"].is_required) == (False, True)


def test_ia_weights_exist_until_2024_and_are_removed_from_2025():
    assert ref(2023).improvement_activities["IA_EPA_1"].weight == "high"
    assert {a.weight for a in ref(2024).improvement_activities.values()} == {"medium", "high", None}
    assert {a.weight for a in ref(2025).improvement_activities.values()} == {None}


@pytest.mark.parametrize("year, activities, cost, quality", [
    (2022, 105, 25, 200), (2023, 103, 25, 198), (2024, 106, 29, 199), (2025, 104, 35, 195), (2026, 95, 35, 190)])
def test_counts_per_year_match_the_facts(year, activities, cost, quality):
    data = ref(year)
    assert len(data.improvement_activities) == activities
    assert len(data.cost_measures) == cost
    # The fact counts non-QCDR measures without the CAHPS summary-survey rows and the SSP (Medicare CQM) rows
    assert sum(1 for m in data.quality_measures.values() if not m.is_registry_measure
               and not m.id.startswith("CAHPS_") and not m.id.endswith("SSP")) == quality


def test_2026_administrative_claims_benchmarks_and_only_those_are_placeholders():
    rows = ref(2026).benchmarks.values()
    assert {b.placeholder for b in rows if b.submission_method == "administrativeClaims"} == {True}
    assert {b.placeholder for b in rows if b.submission_method != "administrativeClaims"} == {False}
    assert sum(b.placeholder for b in rows) == 39
    assert any("placeholder: true" in note for note in ref(2026).source.notes)


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_no_placeholder_benchmarks_before_2026(year):
    assert not any(b.placeholder for b in ref(year).benchmarks.values())


def test_2027_has_measures_but_no_benchmarks_and_says_so():
    data = ref(2027)
    assert data.benchmarks == {} and len(data.quality_measures) == 405
    assert data.source.files == ("measures/2027/measures-data.json", "mvp/2027/mvp.json")
    assert any("no benchmarks for PY2027" in note for note in data.source.notes)


@pytest.mark.parametrize("year, count", [(2022, 0), (2023, 12), (2024, 16), (2025, 21), (2026, 27)])
def test_mvp_counts_per_year_match_the_facts(year, count):
    assert len(ref(year).mvps) == count


def test_2026_mvps_with_cahps_are_the_five_cms_names():
    # CMS's 2026 CAHPS registration notice names Emergency Medicine, Advancing Cancer Care, Urologic
    # Conditions, Value in Primary Care and Vascular Surgery: exactly the entries with hasCahps
    assert sorted(m.id for m in ref(2026).mvps.values() if m.has_cahps) == ["G0057", "M0001", "M0005", "M1423", "M1503"]
    assert ref(2026).mvps["G0055"].administrative_claims_measure_ids == ("492",)
    assert any("no MVPs for PY2022" in note for note in ref(2022).source.notes)


def test_loading_is_cached_per_root_and_year():
    assert ref(2023) is ref("2023")


def test_loading_all_2023_reference_data_uncached_takes_well_under_a_second():
    start = time.perf_counter()
    _load.__wrapped__(ROOT.resolve(), 2023)
    assert time.perf_counter() - start < 1.0


def test_missing_reference_folder_tells_the_user_to_run_the_conversion_script(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MipsError) as info:
        load_reference(2031, tmp_path)
    assert str(info.value) == ("2031/reference: no CMS reference data for performance year 2031; convert it from the "
                               "project root with `python scripts/convert_reference_data.py --shared ../shared "
                               "--years 2031`")


def test_a_year_that_is_not_a_number_is_refused():
    with pytest.raises(MipsError, match=r"performance year must be a number such as 2023 \(got 'PY23'\)"):
        load_reference("PY23", ROOT)


def _copy_2023(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "2023" / "reference", tmp_path / "2023" / "reference")
    return tmp_path / "2023" / "reference"


def _replace_line(path: Path, marker: str, edit) -> int:
    """Edit the first line holding `marker`; return its number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if marker in line)
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("".join(lines), encoding="utf-8")
    return number


EHR_236 = '"measure_id":"236","submission_method":"electronicHealthRecord"'


@pytest.mark.parametrize("file, marker, edit, message", [
    ("benchmarks.jsonl", EHR_236, lambda line: line.replace('"is_topped_out":false', '"is_topped_out":"no"'),
     "benchmarks.jsonl:{n}: is_topped_out: input should be a valid boolean (got 'no')"),
    ("benchmarks.jsonl", EHR_236, lambda line: line.replace('"50":"64.235"', '"50":"64,235"'),
     "benchmarks.jsonl:{n}: percentiles.50: input should be a valid decimal (got '64,235')"),
    ("benchmarks.jsonl", EHR_236, lambda line: line.replace('"deciles":null', '"deciles":[]'),
     "benchmarks.jsonl:{n}: format: is 'percentiles': 'percentiles' must be given and 'deciles' must be null"),
    ("benchmarks.jsonl", EHR_236, lambda line: line.replace('"performance_year":2023', '"performance_year":2024'),
     "benchmarks.jsonl:{n}: performance_year: is 2024, but the file is for performance year 2023"),
    ("quality_measures.jsonl", '"id":"236"', lambda line: line.replace('"title":', '"name":'),
     "quality_measures.jsonl:{n}: missing required field 'title'\n"
     "2023/reference/quality_measures.jsonl:{n}: unknown field 'name'; allowed fields: id, title, measure_type, "
     "is_high_priority, is_inverse, metric_type, overall_algorithm, strata, allowed_programs, submission_methods, "
     "is_registry_measure, first_performance_year, last_performance_year, seven_point_cap_removed, e_measure_id, "
     "e_measure_uuid, e_measure_populations"),
    ("quality_measures.jsonl", '"id":"236"', lambda line: line.replace('"strata":[]', '"strata":[{"description":"x"}]'),
     "quality_measures.jsonl:{n}: strata[0]: missing required field 'name'"),
    ("pi_measures.jsonl", '"id":"PI_EP_2"', lambda line: line[:20] + "\n",
     "pi_measures.jsonl:{n}: not valid JSON: EOF while parsing a string at line 1 column 20"),
    ("improvement_activities.jsonl", '"id":"IA_EPA_1"', lambda line: "\n",
     "improvement_activities.jsonl:{n}: blank line; every line must hold one JSON record"),
])
def test_a_malformed_line_is_reported_with_file_line_and_field(tmp_path, monkeypatch, file, marker, edit, message):
    number = _replace_line(_copy_2023(tmp_path) / file, marker, edit)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MipsError) as info:
        load_reference(2023, tmp_path)
    assert str(info.value) == "2023/reference/" + message.format(n=number) + "\n" + HINT


def test_a_duplicate_record_names_both_lines(tmp_path, monkeypatch):
    path = _copy_2023(tmp_path) / "cost_measures.jsonl"
    first = path.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    _replace_line(path, "COST_AKID_1", lambda line: first)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MipsError) as info:
        load_reference(2023, tmp_path)
    assert str(info.value) == f"2023/reference/cost_measures.jsonl:2: duplicate record 'COST_ACOPD_1' (first on line 1)\n{HINT}"


def test_a_missing_file_is_reported(tmp_path, monkeypatch):
    (_copy_2023(tmp_path) / "pi_measures.jsonl").unlink()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MipsError) as info:
        load_reference(2023, tmp_path)
    assert str(info.value) == f"2023/reference/pi_measures.jsonl: missing file\n{HINT}"


def test_a_wrong_key_in_source_yaml_is_reported_with_its_line(tmp_path, monkeypatch):
    path = _copy_2023(tmp_path) / "SOURCE.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("converted_by:", "converted_with:"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MipsError) as info:
        load_reference(2023, tmp_path)
    assert str(info.value).splitlines()[:2] == [
        "2023/reference/SOURCE.yaml:2:1: missing required key 'converted_by'",
        "2023/reference/SOURCE.yaml:10:1: converted_with: unknown key 'converted_with'; allowed keys here: "
        "repository, commit, files, cite, converted_by, notes"]
