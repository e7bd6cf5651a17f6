"""tables/reweighting.yaml under the 2022 rulebook: every row is reachable from a 2022 case, with the
weights policy states for 2022.

Expected weights are written here from the sources, not read from the table: 42 CFR 414.1380 (c)(2)(ii)(F)
Table 7 (the table for the 2024 MIPS payment year, i.e. PY2022), the small-practice redistribution of the
CY 2022 final rule (86 FR 64996), and the automatic EUC rows of CMS's 2022 automatic EUC fact sheet
(Appendix A). Weights are listed in the order quality, cost, IA, PI.
"""

from decimal import Decimal as D

import pytest

CATEGORIES = ("quality", "cost", "ia", "pi")
NOT_SCORED = {"quality": ("reweighted", "euc_application"), "cost": ("reweighted", "no_scorable_measure"),
              "ia": ("reweighted", "euc_application"), "pi": ("reweighted", "pi_hardship")}
EUC_NOT_SCORED = {"quality": "not_submitted", "cost": D("50"), "ia": "not_submitted", "pi": "not_submitted"}
SCORES = {"quality": D("80"), "cost": D("60"), "ia": D("40"), "pi": D("90")}

# Small-practice cells no retrieved source settles.
UNCONFIRMED_ROWS = {"no_quality_small", "no_ia_small", "no_pi_no_quality_small", "no_pi_no_ia_small",
                    "no_quality_no_ia_small"}
EUC_ROWS = {"euc_none", "euc_quality_only", "euc_pi_only", "euc_ia_only", "euc_quality_pi", "euc_quality_ia",
            "euc_quality_ia_small", "euc_ia_pi", "euc_all"}

ROWS = [
    ("all_scored", "quality cost ia pi", False, False, [30, 30, 15, 25]),
    ("all_scored", "quality cost ia pi", True, False, [30, 30, 15, 25]),
    ("no_cost", "quality ia pi", False, False, [55, 0, 15, 30]),
    ("no_cost", "quality ia pi", True, False, [55, 0, 15, 30]),
    ("no_pi", "quality cost ia", False, False, [55, 30, 15, 0]),
    ("no_pi_small", "quality cost ia", True, False, [40, 30, 30, 0]),
    ("no_quality", "cost ia pi", False, False, [0, 30, 15, 55]),
    ("no_quality_small", "cost ia pi", True, False, [0, 30, 15, 55]),
    ("no_ia", "quality cost pi", False, False, [45, 30, 0, 25]),
    ("no_ia_small", "quality cost pi", True, False, [45, 30, 0, 25]),
    ("no_cost_no_pi", "quality ia", False, False, [85, 0, 15, 0]),
    ("no_cost_no_pi_small", "quality ia", True, False, [50, 0, 50, 0]),
    ("no_cost_no_quality", "ia pi", False, False, [0, 0, 15, 85]),
    ("no_cost_no_quality", "ia pi", True, False, [0, 0, 15, 85]),
    ("no_cost_no_ia", "quality pi", False, False, [70, 0, 0, 30]),
    ("no_cost_no_ia", "quality pi", True, False, [70, 0, 0, 30]),
    ("no_pi_no_quality", "cost ia", False, False, [0, 50, 50, 0]),
    ("no_pi_no_quality_small", "cost ia", True, False, [0, 50, 50, 0]),
    ("no_pi_no_ia", "quality cost", False, False, [70, 30, 0, 0]),
    ("no_pi_no_ia_small", "quality cost", True, False, [70, 30, 0, 0]),
    ("no_quality_no_ia", "cost pi", False, False, [0, 30, 0, 70]),
    ("no_quality_no_ia_small", "cost pi", True, False, [0, 30, 0, 70]),
    ("only_quality", "quality", False, False, [100, 0, 0, 0]),
    ("only_cost", "cost", True, False, [0, 100, 0, 0]),
    ("only_ia", "ia", False, False, [0, 0, 100, 0]),
    ("only_pi", "pi", True, False, [0, 0, 0, 100]),
    ("none_scored", "", False, False, [0, 0, 0, 0]),
    ("euc_none", "", False, True, [0, 0, 0, 0]),
    ("euc_quality_only", "quality", False, True, [100, 0, 0, 0]),
    ("euc_pi_only", "pi", False, True, [0, 0, 0, 100]),
    ("euc_ia_only", "ia", False, True, [0, 0, 100, 0]),
    ("euc_quality_pi", "quality pi", False, True, [70, 0, 0, 30]),
    ("euc_quality_ia", "quality ia", False, True, [85, 0, 15, 0]),
    ("euc_ia_pi", "ia pi", False, True, [0, 0, 15, 85]),
    ("euc_all", "quality ia pi", False, True, [55, 0, 15, 30]),
    ("euc_quality_ia_small", "quality ia", True, True, [50, 0, 50, 0]),
]


def matched_row(result):
    (step,) = [node for root in result.trace for node in root.walk() if node.rule_id == "weights"]
    return step.row


def row_param(row_id, scored, small, euc, expected):
    size = "small" if small else "not small"
    label = ("EUC " if euc else "") + (", ".join(scored.split()) or "nothing") + " scored"
    return pytest.param(row_id, scored.split(), small, euc, expected, id=f"{row_id}: {label}, {size}")


def case_for(case, scored, small, euc):
    not_scored = EUC_NOT_SCORED if euc else NOT_SCORED
    return case(practice={"clinician_count": 10 if small else 40}, automatic_euc=euc,
                categories={c: SCORES[c] if c in scored else not_scored[c] for c in CATEGORIES})


@pytest.mark.parametrize("row_id, scored, small, euc, expected", [row_param(*row) for row in ROWS])
def test_row_is_reached_with_its_2022_weights(case, score_2022, row_id, scored, small, euc, expected):
    result = score_2022(case_for(case, scored, small, euc))
    assert matched_row(result).id == row_id
    assert [result.value(f"{c}.weight") for c in CATEGORIES] == expected
    unconfirmed = {u.name for u in result.unconfirmed if u.kind == "table row"}
    assert unconfirmed == ({f"reweighting.{row_id}"} if row_id in UNCONFIRMED_ROWS else set())


def test_every_row_of_the_table_is_covered_here(rulebook_2022):
    table_ids = [row.id for row in rulebook_2022.tables["reweighting"].rows]
    assert sorted(set(table_ids)) == sorted({row[0] for row in ROWS})


def test_unconfirmed_rows_are_the_unconfirmed_small_cells(rulebook_2022):
    rows = rulebook_2022.tables["reweighting"].rows
    assert {row.id for row in rows if row.status == "unconfirmed"} == UNCONFIRMED_ROWS
    for row in rows:
        if row.id in UNCONFIRMED_ROWS:
            assert row.note, row.id


def test_automatic_euc_rows_rest_on_the_2022_fact_sheet(rulebook_2022):
    rows = {row.id: row for row in rulebook_2022.tables["reweighting"].rows}
    for row_id in EUC_ROWS:
        assert rows[row_id].status == "confirmed", row_id
        assert rows[row_id].source.startswith("cms-2022-automatic-euc-fact-sheet Appendix A"), row_id


def test_small_practice_without_pi_and_ia_weighs_as_other_practices_unconfirmed(case, score_2022):
    """Small practices differ only when PI (40/30/30) or PI and cost (50/50) are reweighted, the secondary
    sources say: without PI and IA a small practice weighs 70/30 as others do, shown as unconfirmed with
    the other reading (50/50) in its note."""
    small = score_2022(case_for(case, ["quality", "cost"], True, False))
    large = score_2022(case_for(case, ["quality", "cost"], False, False))
    assert (small.value("quality.weight"), small.value("cost.weight")) == (70, 30)
    assert (large.value("quality.weight"), large.value("cost.weight")) == (70, 30)
    # quality 80, cost 60: 56 + 18 for both
    assert small.value("final_score") == large.value("final_score") == D("74")
    (unconfirmed,) = [u for u in small.unconfirmed if u.name == "reweighting.no_pi_no_ia_small"]
    assert "50/50" in unconfirmed.note
    assert "reweighting.no_pi_no_ia" not in {u.name for u in large.unconfirmed}


def test_table_7_rows_cite_the_payment_year_2024_table(rulebook_2022):
    table = rulebook_2022.tables["reweighting"]
    assert "Table 7" in table.source and "2024 MIPS payment year" in table.source
    assert table.status == "confirmed"
