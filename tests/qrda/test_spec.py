"""The yearly QRDA III mappings (rulebooks/YEAR/qrda.yaml) load, extend each other and are checked strictly."""

from __future__ import annotations

import shutil

import pytest

from engine.errors import MipsError
from engine.qrda.spec import load_qrda_spec, qrda_years
from engine.rulebook.registry import rulebooks_root


def test_every_year_from_2022_has_a_complete_mapping():
    assert qrda_years() == [2022, 2023, 2024, 2025, 2026]
    versions = {y: load_qrda_spec(y).entries.document_template.value.extension for y in qrda_years()}
    assert versions == {2022: "2021-07-01", 2023: "2022-12-01", 2024: "2022-12-01", 2025: "2024-12-01", 2026: None}


def test_a_year_states_only_what_changed_and_keeps_where_each_entry_comes_from():
    spec = load_qrda_spec(2025)
    assert spec.origin["templates"].endswith("2023/qrda.yaml")
    assert spec.origin["program_names"].endswith("2025/qrda.yaml")
    assert "APP_PLUS_GROUP" in spec.entries.program_names.value
    assert "APP_PLUS_GROUP" not in load_qrda_spec(2024).entries.program_names.value
    assert load_qrda_spec(2022).entries.mvp.value.programs == []


def test_2026_is_unconfirmed_data_not_a_special_case():
    entry = load_qrda_spec(2026).entries.document_template
    assert entry.status == "unconfirmed" and entry.value.extension is None
    assert "has not published the 2026 QRDA III implementation guide" in (entry.note or "")


@pytest.fixture
def copy(tmp_path):
    for year in (2022, 2023, 2024):
        (tmp_path / str(year)).mkdir()
        shutil.copy(rulebooks_root() / str(year) / "qrda.yaml", tmp_path / str(year) / "qrda.yaml")
    return tmp_path


def test_an_unknown_template_kind_is_refused_with_its_file_and_line(copy):
    path = copy / "2022" / "qrda.yaml"
    path.write_text(path.read_text().replace("      measure_section:", "      measure_sections:"))
    with pytest.raises(MipsError) as info:
        load_qrda_spec(2022, copy)
    assert "2022/qrda.yaml:" in str(info.value) and "measure_sections" in str(info.value)


def test_a_path_outside_the_path_language_is_refused(copy):
    path = copy / "2022" / "qrda.yaml"
    path.write_text(path.read_text().replace('npi: "documentationOf', 'npi: "//documentationOf'))
    with pytest.raises(MipsError, match="entries.paths.value.npi: '//documentationOf"):
        load_qrda_spec(2022, copy)


def test_a_year_without_a_mapping_names_the_years_that_have_one(copy):
    with pytest.raises(MipsError, match="no QRDA III mapping for performance year 2030.*years with one: 2022, 2023, 2024"):
        load_qrda_spec(2030, copy)
