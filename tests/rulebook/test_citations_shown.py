"""Resolved citations where people read sources: `mips rulebook show`, `mips diff` and explanations."""

from __future__ import annotations

from engine.api import rulebook_for, score
from engine.diff import diff_rulebooks
from engine.explain.render import citation_markdown, citation_text, explain, source_citations
from engine.rulebook.show import show_rulebook

CFR_1405 = "https://www.ecfr.gov/current/title-42/chapter-IV/subchapter-B/part-414/subpart-O/section-414.1405"


def test_show_resolves_every_parameter_row_and_rule_citation():
    data = show_rulebook(rulebook_for("2024"))
    negative = data["parameters"]["params.payment_adjustment.max_negative_percent"]
    assert negative["citations"][0] == {
        "key": "cfr-414.1405", "pinpoint": "(c): 9% for payment year 2022 onward", "title": "42 CFR 414.1405 - Payment",
        "publisher": "Office of the Federal Register, eCFR", "date": "2026-08-05", "url": CFR_1405,
        "reference": "42 CFR 414.1405", "kind": "regulation"}
    everything = list(data["parameters"].values()) + list(data["rules"].values()) + [
        row for table in data["tables"].values() for row in table["rows"]]
    assert all(item["citations"] for item in everything)


def test_show_text_prints_title_pinpoint_and_link_under_each_source(run_cli):
    code, out, err = run_cli("rulebook", "show", "2023")
    assert (code, err) == (0, "")
    block = out.split("  params.payment_adjustment.max_negative_percent", 1)[1].split("\n  params.", 1)[0]
    assert f"        - 42 CFR 414.1405 - Payment, (c): 9% for payment year 2022 onward <{CFR_1405}>" in block
    assert "\n        source: cfr-414.1380-2021 (c)(2)(ii)(F) Table 7" in out.split("\nTABLES\n", 1)[1]


def test_diff_gives_old_and_new_citations_resolved():
    changes = diff_rulebooks(rulebook_for("2023"), rulebook_for("2024")).to_data()["changes"]
    [maximum] = [c for c in changes if c["name"] == "params.payment_adjustment.max_positive_percent"]
    assert [c["key"] for c in maximum["old_citations"]] == ["cms-2023-qpp-results-at-a-glance", "sir-2023-qpp-results"]
    assert [c["key"] for c in maximum["new_citations"]][0] == "healthmonix-2024-results"


def test_citation_text_and_markdown():
    citation = {"key": "cfr-414.1405", "pinpoint": "(b)(2)", "title": "42 CFR 414.1405 - Payment", "url": CFR_1405,
                "reference": "42 CFR 414.1405"}
    assert citation_text(citation) == f"42 CFR 414.1405 - Payment, (b)(2) <{CFR_1405}>"
    assert citation_markdown(citation) == f"[42 CFR 414.1405 - Payment]({CFR_1405}), (b)(2)"
    assert citation_text({"title": "Federal rule", "reference": "86 FR 64996"}) == "Federal rule (86 FR 64996)"


def test_explanations_list_their_sources_with_links(make_case):
    result = score(make_case(performance_year=2024), rulebook_for("2024"))
    text = explain(result, "text")
    markdown = explain(result, "markdown")
    html = explain(result, "html")
    assert "\nSOURCES\n" in text and f"  * 42 CFR 414.1405 - Payment <{CFR_1405}>: " in text
    assert "\n## Sources\n" in markdown and f"- [42 CFR 414.1405 - Payment]({CFR_1405}): " in markdown
    assert f'<li><a href="{CFR_1405}">42 CFR 414.1405 - Payment</a>' in html
    assert "What the case states" not in text  # the project's own entries are not policy sources


def test_notes_next_to_numbers_resolve_their_sources(make_case):
    """A NOTE beside an unconfirmed number names the value and its source resolved, never a raw key."""
    case = make_case(performance_year=2022, categories={
        "quality": {"status": "submitted", "score": 100}, "cost": {"status": "submitted", "score": 100},
        "ia": {"status": "submitted", "score": 40}, "pi": {"status": "submitted", "score": 100}})
    result = score(case, rulebook_for("2022"))
    [text_note] = [line for line in explain(result, "text").splitlines() if line.startswith("  NOTE: the adjustment")]
    assert ("parameter params.payment_adjustment.max_positive_percent = 2.15 (42 CFR 414.1405 - Payment, (b)(3) "
            f"scaling factor at most 3 <{CFR_1405}>)") in text_note
    assert "cfr-414.1405" not in text_note
    [md_note] = [line for line in explain(result, "markdown").splitlines() if line.startswith("> Note: the adjustment")]
    assert f"= 2.15 ([42 CFR 414.1405 - Payment]({CFR_1405}), (b)(3) scaling factor at most 3)" in md_note
    html = explain(result, "html")
    assert f'= 2.15 (<a href="{CFR_1405}">42 CFR 414.1405 - Payment</a>, (b)(3) scaling factor at most 3)' in html


def test_partials_resolve_sources_in_the_style_of_their_output():
    assert source_citations("cfr-414.1405 (b)(2)") == f"42 CFR 414.1405 - Payment, (b)(2) <{CFR_1405}>"
    assert source_citations("cfr-414.1405 (b)(2)", "markdown") == f"[42 CFR 414.1405 - Payment]({CFR_1405}), (b)(2)"
    assert source_citations("cfr-414.1405 (b)(2)", "html") == (
        f'<a href="{CFR_1405}">42 CFR 414.1405 - Payment</a>, (b)(2)')
