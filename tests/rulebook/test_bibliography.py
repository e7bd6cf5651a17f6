"""The bibliography (rulebooks/sources/*.yaml) and the citations every rulebook file makes with its keys."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from engine.errors import RulebookError
from engine.rulebook import citations
from engine.rulebook.bibliography import FAMILIES, bibliography_for
from engine.rulebook.yaml_source import parse_yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ROOT = PROJECT_ROOT / "rulebooks"
SOURCES = ROOT / "sources"
FACT_SHEET_WORDS = re.compile(r"MIPS-FACTS|WORKED-EXAMPLES|FORMATS-AND-BENCHMARKS|fact sheet|\bseed 00\d|"
                              r"\bSD\d\b|\bR-(?:CFR21|JM|MD|BM|SUB|GIT|CNA|MVP)\b|\bW-[A-Z]{2,}")


def rulebook_yaml_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.yaml") if SOURCES not in p.parents)


def source_values(node, path=()):
    """Every (path, text) of a `source:` or `cite:` text value in a parsed document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in citations.CITING_KEYS and isinstance(value, str):
                yield path + (key,), value
            else:
                yield from source_values(value, path + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from source_values(item, path + (index,))


def test_the_bibliography_has_every_family_file_and_no_problem():
    bibliography = bibliography_for()
    assert bibliography.problems == []
    assert sorted(p.name for p in SOURCES.glob("*.yaml")) == sorted(FAMILIES)
    assert {s.entry.kind for s in bibliography.sources.values()} == set(FAMILIES.values())


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_keys_are_in_alphabetical_order_within_each_family_file(family):
    keys = list(yaml.safe_load((SOURCES / family).read_text(encoding="utf-8"))["sources"])
    assert keys == sorted(keys), f"{family}: keep the keys in alphabetical order"


def test_every_source_a_reader_can_follow_has_a_link_or_a_reference():
    for source in bibliography_for().sources.values():
        if source.entry.kind != "project":
            assert source.entry.url or source.entry.reference, source.key


@pytest.mark.parametrize("path", rulebook_yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_citation_of_every_rulebook_file_resolves(path):
    bibliography = bibliography_for()
    data = parse_yaml(path.read_text(encoding="utf-8"))
    for where, text in source_values(data):
        assert citations.check(text, bibliography) == [], (where, text)
        assert len(citations.resolve(text, bibliography)) == len(citations.parse(text))


@pytest.mark.parametrize("path", rulebook_yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_rulebook_file_cites_a_fact_sheet(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert not FACT_SHEET_WORDS.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


def test_parse_splits_keys_and_pinpoints():
    assert citations.parse("cfr-414.1367 (d)(1); qpp-app-page") == [
        citations.Citation("cfr-414.1367", "(d)(1)"), citations.Citation("qpp-app-page", None)]
    assert citations.parse("cms-2023-trad-mips-submission-guide Appendix A Table 2") == [
        citations.Citation("cms-2023-trad-mips-submission-guide", "Appendix A Table 2")]


def test_check_names_what_is_wrong_and_suggests_a_key():
    bibliography = bibliography_for()
    assert citations.check("cfr-414.1380 (c)", bibliography) == []
    assert citations.check("cfr-414-1380 (c)", bibliography) == [
        "unknown source key 'cfr-414-1380'; did you mean 'cfr-414.1380'?"]
    assert citations.check("cfr-414.1380;", bibliography) == [
        "empty citation (a ';' with nothing before or after it); write 'key pinpoint; key pinpoint'"]
    assert citations.check("R-CFR21 (c)", bibliography) == [
        "'R-CFR21' is not a source key: keys are lower-case letters, digits, '.' and '-', "
        "defined in rulebooks/sources/*.yaml"]
    assert citations.check("nowhere-at-all", bibliography) == [
        "unknown source key 'nowhere-at-all'; define it in rulebooks/sources/*.yaml"]


def test_resolve_joins_each_citation_with_its_entry():
    resolved = citations.resolve("cfr-414.1405 (b)(2); healthmonix-2024-results", bibliography_for())
    assert [(r.key, r.pinpoint, r.kind) for r in resolved] == [
        ("cfr-414.1405", "(b)(2)", "regulation"), ("healthmonix-2024-results", None, "secondary")]
    assert resolved[0].label == "42 CFR 414.1405 - Payment, (b)(2)"
    assert resolved[0].url.startswith("https://www.ecfr.gov/")
    assert resolved[0].as_data()["reference"] == "42 CFR 414.1405"


def _bibliography_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rulebooks"
    shutil.copytree(SOURCES, root / "sources")
    (root / "2023").mkdir()
    return root


def test_a_bad_bibliography_is_reported_with_file_and_line(tmp_path):
    root = _bibliography_copy(tmp_path)
    (root / "sources" / "notes.yaml").write_text("sources: {}\n", encoding="utf-8")
    family = root / "sources" / "secondary.yaml"
    text = family.read_text(encoding="utf-8")
    family.write_text(text.replace("sources:\n", "sources:\n  cfr-414.1380:\n    title: \"A second entry\"\n"
                                   "    publisher: \"Someone\"\n    date: \"2024\"\n"
                                   "    url: \"https://example.org/x\"\n    kind: regulation\n", 1), encoding="utf-8")
    problems = [str(p) for p in bibliography_for(root / "2023").problems]
    assert any(p.endswith("notes.yaml: unexpected bibliography file; the families are " + ", ".join(FAMILIES))
               for p in problems)
    assert any("secondary.yaml:5: sources.cfr-414.1380.kind: 'regulation' does not belong in secondary.yaml; "
               "this file holds kind 'secondary'" in p for p in problems)
    assert any("secondary.yaml:5: sources.cfr-414.1380: source key 'cfr-414.1380' is already defined at " in p
               and "regulations.yaml:" in p for p in problems)


def test_an_entry_without_url_or_reference_is_refused(tmp_path):
    root = _bibliography_copy(tmp_path)
    family = root / "sources" / "cms-pages.yaml"
    text = family.read_text(encoding="utf-8")
    family.write_text(text.replace('    url: "https://qpp.cms.gov/about/deadlines"\n', "", 1), encoding="utf-8")
    problems = [str(p) for p in bibliography_for(root / "2023").problems]
    assert len(problems) == 1
    assert "cms-pages.yaml" in problems[0]
    assert problems[0].endswith("sources.qpp-deadlines: a source needs a 'url' or a 'reference' a reader can follow")


def test_calendar_citations_are_checked_by_the_calendar_loader(tmp_path):
    from engine.calendar.loader import load_calendar_file
    root = _bibliography_copy(tmp_path)
    shutil.copy(ROOT / "2023" / "calendar.yaml", root / "2023" / "calendar.yaml")
    path = root / "2023" / "calendar.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('source: "qpp-2023-submission-open', 'source: "qpp-2023-submision-open', 1),
                    encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_calendar_file(path)
    assert "unknown source key 'qpp-2023-submision-open'; did you mean 'qpp-2023-submission-open'?" \
        in caught.value.render()


def test_qrda_mapping_citations_are_checked_by_the_qrda_loader(tmp_path):
    from engine.qrda.spec import check_qrda_folder
    root = _bibliography_copy(tmp_path)
    (root / "2022").mkdir()
    path = root / "2022" / "qrda.yaml"
    text = (ROOT / "2022" / "qrda.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace('source: "cms-2022-qrda-iii-ec-ig;', 'source: "cms-2022-qrda-iii-ec-guide;', 1),
                    encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        check_qrda_folder(root / "2022")
    assert "unknown source key 'cms-2022-qrda-iii-ec-guide'; did you mean 'cms-2022-qrda-iii-ec-ig'?" \
        in caught.value.render()


def test_population_file_citations_are_checked_where_they_are_read(tmp_path):
    from engine.datafiles import read_model
    from engine.population.published import Published
    root = _bibliography_copy(tmp_path)
    folder = root / "population" / "2023"
    folder.mkdir(parents=True)
    text = (ROOT / "population" / "2023" / "published.yaml").read_text(encoding="utf-8")
    (folder / "published.yaml").write_text(text.replace('"sir-2023-qpp-results"', '"sir-2023-results"', 1),
                                           encoding="utf-8")
    data, _, _ = read_model(folder / "published.yaml", Published)
    found = [str(p) for p in citations.check_file(data, folder / "published.yaml")]
    assert any("unknown source key 'sir-2023-results'; did you mean 'sir-2023-qpp-results'?" in p for p in found)
