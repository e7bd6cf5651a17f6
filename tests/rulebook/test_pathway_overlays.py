"""Pathway overlays (engine/rulebook/overlays.py, loader.check_pathway): a year's reporting options and
the rulebook each one composes, and the problems of broken declarations or overlays, with their location.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.api import pathway_rulebook, rulebook_for
from engine.rulebook.loader import check_pathway, check_rulebook

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_a_composed_rulebook_is_an_ordinary_rulebook_with_provenance():
    base = rulebook_for("2025")
    app = pathway_rulebook(base, "app")
    assert (app.year, app.pathway, base.pathway) == (2025, "app", None)
    assert app.sha256 != base.sha256
    assert str(app.rules["quality.counted"].origin).startswith("rulebooks/2022/pathways/app/rules/quality.yaml:")
    assert str(app.rules["quality.set_measures"].origin).startswith("rulebooks/2024/pathways/app/rules/quality.yaml:")
    assert str(app.parameters["params.app_quality.measure_set"].origin).startswith(
        "rulebooks/2025/pathways/app/parameters/app_quality.yaml:")
    assert app.tables["reweighting"].file == "rulebooks/2022/pathways/app/tables/reweighting.yaml"
    assert app.rules["final_score"] is base.rules["final_score"]


def test_app_plus_applies_over_the_app():
    plus = pathway_rulebook(rulebook_for("2026"), "app_plus")
    assert plus.parameters["params.app_quality.measure_set"].value == (
        "001", "112", "113", "134", "236", "321", "479", "484")
    assert str(plus.parameters["params.app_quality.measure_set"].origin).startswith("rulebooks/2026/pathways/app_plus/")
    assert plus.tables["reweighting"].file == "rulebooks/2022/pathways/app/tables/reweighting.yaml"


def test_a_year_inherits_its_options_and_adds_its_own():
    assert list(rulebook_for("2024").pathways) == ["traditional", "app", "mvp"]
    assert list(rulebook_for("2025").pathways) == ["traditional", "app", "mvp", "app_plus"]
    assert str(rulebook_for("2025").pathways["app"].origin).startswith("rulebooks/2022/pathways.yaml:")
    assert str(rulebook_for("2025").pathways["mvp"].origin).startswith("rulebooks/2023/pathways.yaml:")


@pytest.fixture
def books(tmp_path, monkeypatch) -> Path:
    """A copy of rulebooks/2022 and 2023 (whose overlays extend 2022's) that a test may break."""
    root = tmp_path / "rulebooks"
    for year in ("2022", "2023"):
        shutil.copytree(PROJECT_ROOT / "rulebooks" / year, root / year)
    shutil.copytree(PROJECT_ROOT / "rulebooks" / "common", root / "common")
    monkeypatch.setenv("MIPS_RULEBOOKS", str(root))
    monkeypatch.chdir(tmp_path)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"'{old}' must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def lines(problems) -> list[str]:
    return [str(p) for p in problems]


def test_the_copy_composes_every_pathway(books):
    base, problems = check_rulebook(books / "2023")
    assert problems == []
    for name in base.pathways:
        assert check_pathway(base, name)[1] == []


def test_a_declared_overlay_without_folder_is_reported_where_it_is_declared(books):
    shutil.rmtree(books / "2023" / "pathways" / "mvp")
    _, problems = check_rulebook(books / "2023")
    assert lines(problems) == [
        "rulebooks/2023/pathways.yaml:7: pathways.mvp.overlays: no overlay folder pathways/mvp/ (with a "
        "rulebook.yaml) in rulebooks/2023 or the years it extends"]


def test_an_overlay_that_extends_a_year_without_that_overlay(books):
    # 2022 declares the APP without an overlay; 2023 declares it again with its own overlay, which extends 2022's
    declarations = (books / "2022" / "pathways.yaml").read_text(encoding="utf-8")
    app = "  app:\n" + declarations.split("\n  app:\n", 1)[1].split("\ndefaults:\n", 1)[0] + "\n"
    shutil.rmtree(books / "2022" / "pathways" / "app")
    edit(books / "2022" / "pathways.yaml", "    overlays: [app]\n", "")
    edit(books / "2023" / "pathways.yaml", "pathways:\n", "pathways:\n" + app)
    _, problems = check_rulebook(books / "2023")
    assert lines(problems) == [
        "rulebooks/2023/pathways.yaml:7: pathways.app.overlays: rulebooks/2023/pathways/app/rulebook.yaml "
        "extends 2022, which has no pathways/app/ overlay"]


def test_an_overlay_names_its_pathway(books):
    edit(books / "2023" / "pathways" / "mvp" / "rulebook.yaml", "pathway: mvp", "pathway: mvps")
    base, problems = check_rulebook(books / "2023")
    assert problems == []
    assert lines(check_pathway(base, "mvp")[1]) == [
        "rulebooks/2023/pathways/mvp/rulebook.yaml:3: rulebook.pathway: a pathway overlay folder names its "
        "pathway: write 'pathway: mvp' (the folder name)"]


def test_an_overlay_rule_reading_an_unknown_parameter_names_the_overlay_file(books):
    edit(books / "2022" / "pathways" / "app" / "rules" / "quality_measure.yaml",
         "value: measure.measure_id in params.app_quality.measure_set",
         "value: measure.measure_id in params.app_quality.measures")
    base, _ = check_rulebook(books / "2023")
    [problem] = lines(check_pathway(base, "app")[1])
    assert problem.startswith("rulebooks/2022/pathways/app/rules/quality_measure.yaml:")
    assert "reads 'params.app_quality.measures', which is no known parameter in the 2023 rulebook; did you mean " \
           "'params.app_quality.measure_set'?" in problem


@pytest.mark.parametrize("old, new, expected", [
    pytest.param("    programs: [app1]\n", "    programs: [mips]\n",
                 "rulebooks/2022/pathways.yaml:19: pathways.app.programs: programName 'mips' already selects "
                 "'traditional'", id="a programName selecting two options"),
    pytest.param("    pathway: app\n", "    pathway: ap\n",
                 "rulebooks/2022/pathways.yaml:51: defaults.apm_entity.pathway: no pathway 'ap' in 2022; pathways: "
                 "traditional, app", id="a default naming no option"),
    pytest.param("    entity_types: [individual, group, apm_entity]\n",
                 "    entity_types: [individual, group, apm_entity, practice]\n",
                 "rulebooks/2022/pathways.yaml:19: pathways.app.entity_types: 'practice' is not an entity type of "
                 "2022; entity types: individual, group, virtual_group, apm_entity",
                 id="an unknown entity type"),
])
def test_bad_declarations_are_reported(books, old, new, expected):
    # the options of 2023 other than MVPs are declared in 2022
    edit(books / "2022" / "pathways.yaml", old, new)
    _, problems = check_rulebook(books / "2022")
    assert expected in lines(problems)


def test_validate_reports_a_broken_overlay(books, run_cli, tmp_path):
    edit(books / "2023" / "pathways" / "mvp" / "rules" / "quality.yaml", "limit: params.mvp_quality.measures_required",
         "limit: params.mvp_quality.measures_requird")
    code, out, _ = run_cli("rulebook", "validate", "2023", cwd=tmp_path, env={"MIPS_RULEBOOKS": str(books)})
    assert code == 1
    assert "rulebooks/2023/pathways/mvp/rules/quality.yaml:" in out
    assert "params.mvp_quality.measures_requird" in out
