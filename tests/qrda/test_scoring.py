"""A converted QRDA III file scores and explains like its QPP JSON twin; the commands read XML by content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.api import score_file
from engine.errors import MipsError
from engine.explain.render import explain
from engine.inputs import detect

HERE = Path(__file__).resolve().parent
PROFILE = """case_id: qrda-twin
practice: {clinician_count: 22, state: OH, county: Franklin}
categories:
  cost: {status: reweighted, reason: no_scorable_measure}
"""


@pytest.fixture
def twin(tmp_path):
    """The individual fixture as XML without its extension, its QPP JSON twin, and a profile."""
    xml = tmp_path / "export"
    shutil.copy(HERE / "good" / "individual-2025.xml", xml)
    twin_json = tmp_path / "twin.json"
    shutil.copy(HERE / "good" / "individual-2025.qpp.json", twin_json)
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    return xml, twin_json, profile


def _without_file(data):
    data = json.loads(json.dumps(data, default=str))
    data.pop("case_file", None)
    return data


def test_a_converted_file_scores_and_explains_like_its_json_twin(twin):
    xml, twin_json, profile = twin
    from_xml, from_json = score_file(xml, profile=profile), score_file(twin_json, profile=profile)
    assert _without_file(from_xml.to_data()) == _without_file(from_json.to_data())
    assert explain(from_xml, "text") == explain(from_json, "text")


def test_the_format_is_detected_from_the_content(twin):
    xml, twin_json, profile = twin
    assert (detect(xml), detect(twin_json), detect(profile)) == ("qrda3", "json", "yaml")


def test_a_submission_without_a_profile_asks_for_one(twin):
    xml, _, _ = twin
    with pytest.raises(MipsError, match="is a QRDA III file; scoring it needs .* --profile"):
        score_file(xml)


def test_a_bad_xml_file_reports_cms_coded_located_problems_when_scored(twin, tmp_path):
    _, _, profile = twin
    with pytest.raises(MipsError) as info:
        score_file(HERE / "bad" / "59-wrong-population-uuid.xml", profile=profile)
    assert "59-wrong-population-uuid.xml:19:209: /ClinicalDocument/" in str(info.value)
    assert "CMS code 59" in str(info.value)


def test_a_file_the_engine_cannot_read_says_what_it_reads(tmp_path):
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02")
    with pytest.raises(MipsError, match="it reads case files \\(YAML or JSON\\), QPP JSON submissions and QRDA "
                                        "Category III XML"):
        score_file(binary)


def test_mips_convert_prints_the_qpp_json_or_the_problems(run_cli):
    code, out, err = run_cli("convert", str(HERE / "good" / "group-2025.xml"))
    assert code == 0 and json.loads(out) == json.loads((HERE / "good" / "group-2025.qpp.json").read_text())
    code, out, err = run_cli("convert", str(HERE / "bad" / "102-restricted-pi.xml"))
    assert code == 1 and json.loads(out)["errors"][0]["details"][0]["errorCode"] == 102
    code, out, err = run_cli("convert", str(HERE / "bad" / "24-no-program.xml"), "--format", "text")
    assert code == 1 and out == "" and "CMS code 24: the file names no program" in err
