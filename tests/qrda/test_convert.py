"""QRDA III conversion: good files give the QPP JSON CMS's converter gives, bad files CMS's error codes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from engine.qrda.convert import convert_bytes, convert_file
from engine.qrda.xml_source import MAX_BYTES

HERE = Path(__file__).resolve().parent
GOOD = sorted((HERE / "good").glob("*.xml"))
BAD = sorted((HERE / "bad").glob("*.xml"))


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_a_good_file_converts_to_its_expected_qpp_json(path):
    conversion = convert_file(path)
    assert conversion.problems == []
    expected = json.loads(path.with_suffix(".qpp.json").read_text(encoding="utf-8"))
    assert conversion.submission == expected
    assert all(s["source"] == "qrda3" for s in conversion.submission["measurementSets"])


@pytest.mark.parametrize("path", [p for p in BAD if p.stem[0].isdigit()], ids=lambda p: p.stem)
def test_a_bad_file_gets_the_cms_code_its_name_gives(path):
    conversion = convert_file(path)
    assert conversion.submission is None
    assert conversion.problems and {p.code for p in conversion.problems} == {int(path.stem.split("-")[0])}


def test_every_problem_is_located_with_line_column_and_xpath():
    problem = convert_file(HERE / "bad" / "59-wrong-population-uuid.xml").problems[0]
    assert (problem.line, problem.column) == (19, 209)   # where CMS's converter locates it too
    assert problem.xpath == "/ClinicalDocument/component/structuredBody/component/section/entry[2]/organizer"
    assert problem.context == "Quality Measure 2c928083-8907-ce68-0189-2bc5fa0d0739 (CMS122v13)"
    assert "NUMER population with UUID 10C65EBE-685C-48F8-8B24-351C6F3481E9" in problem.message
    assert str(problem.located("f.xml")).startswith("f.xml:19:209: /ClinicalDocument/component/structuredBody/"
                                                    "component/section/entry[2]/organizer: CMS code 59: measure 001")


def test_apm_entity_carries_entity_id_and_no_tin_or_npi():
    submission = convert_file(HERE / "good" / "apm-app-2025.xml").submission
    assert submission["entityType"] == "apm" and submission["entityId"] == "A1234"
    assert "taxpayerIdentificationNumber" not in submission
    assert {s["programName"] for s in submission["measurementSets"]} == {"app1"}


def test_the_mvp_id_is_the_program_of_every_set_of_a_subgroup():
    submission = convert_file(HERE / "good" / "subgroup-mvp-2025.xml").submission
    assert submission["entityId"] == "SG-00000042"
    assert {s["programName"] for s in submission["measurementSets"]} == {"G0053"}


def test_strata_summed_and_single_to_multi_measures_follow_the_converter():
    measures = {m["measureId"]: m["value"] for m in
                convert_file(HERE / "good" / "multi-stratum-2025.xml").submission["measurementSets"][0]["measurements"]}
    assert [s["stratum"] for s in measures["239"]["strata"]] == ["percentiles", "nutrition", "physicalActivity"]
    assert [s["stratum"] for s in measures["370"]["strata"]] == ["adolescents", "adults"]
    assert measures["370"]["strata"][1] == {"performanceMet": 0, "eligiblePopulationExclusion": 0,
                                            "performanceNotMet": 0, "eligiblePopulation": 0, "stratum": "adults"}
    assert measures["005"]["performanceNotMet"] == 700 - 500 - 20 - 30


def test_a_2026_file_is_answered_with_the_unconfirmed_guide():
    problem = convert_file(HERE / "bad" / "5-year-2026.xml").problems[0]
    assert "performance year 2026 cannot be converted yet" in problem.message
    assert "has not published the 2026 QRDA III implementation guide" in problem.message


def test_a_file_of_another_template_version_names_the_years_of_that_version():
    message = convert_file(HERE / "bad" / "5-wrong-version.xml").problems[0].message
    assert "version 2022-12-01 (the version of performance year 2023 and 2024)" in message
    assert "follow version 2024-12-01" in message


def test_more_than_the_limit_of_problems_lists_the_first_ones_and_the_total():
    text = (HERE / "bad" / "9-count-not-whole.xml").read_text(encoding="utf-8")
    section_start = text.index("<component><section>")
    section_end = text.index("</section></component>") + len("</section></component>")
    many = text[:section_start] + text[section_start:section_end] * 60 + text[section_end:]
    problems = convert_bytes(many.encode(), "many.xml").problems
    assert len(problems) == 101 and problems[-1].code == 82
    assert "problems; the first 100 are listed" in problems[-1].message


def test_an_xml_bomb_is_refused_at_once():
    started = time.monotonic()
    problem = convert_file(HERE / "bad" / "bomb.xml").problems[0]
    assert problem.code == 2 and "DOCTYPE" in problem.message
    assert time.monotonic() - started < 5


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    problem = convert_file(huge).problems[0]
    assert problem.code == 2 and "200 MB" in problem.message and f"{MAX_BYTES // 1_048_576} MB" in problem.message


def test_deep_nesting_is_refused():
    problem = convert_bytes(b"<a>" * 400 + b"</a>" * 400, "deep.xml").problems[0]
    assert problem.code == 2 and "nested more than 256 levels" in problem.message


def test_junk_inside_a_measure_is_ignored_as_cms_ignores_it():
    good = convert_file(HERE / "good" / "individual-2025.xml").submission
    assert convert_file(HERE / "good" / "junk-ignored-2025.xml").submission == good
