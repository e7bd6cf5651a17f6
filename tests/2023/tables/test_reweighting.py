"""tables/reweighting.yaml: every row is reachable from a case, with the weights policy states.

Expected weights are written here from the sources, not read from the table: 42 CFR 414.1380
(c)(2)(ii)(F) Table 7 (not small), the small-practice redistribution of the CY 2022 final rule, and the
2023 Traditional MIPS submission guide, Appendix A (automatic EUC, individuals, PY2023).
Weights are listed in the order quality, cost, IA, PI.
"""

from decimal import Decimal as D

import pytest

CATEGORIES = ("quality", "cost", "ia", "pi")

# How a case makes a category "not scored" without automatic EUC (each reason a case may state).
NOT_SCORED = {"quality": ("reweighted", "euc_application"), "cost": ("reweighted", "no_scorable_measure"),
              "ia": ("reweighted", "euc_application"), "pi": ("reweighted", "pi_hardship")}
# Under automatic EUC a category without data is reweighted; cost always is (claims-based score ignored).
EUC_NOT_SCORED = {"quality": "not_submitted", "cost": D("50"), "ia": "not_submitted", "pi": "not_submitted"}
SCORES = {"quality": D("80"), "cost": D("60"), "ia": D("40"), "pi": D("90")}

# Small-practice cells no retrieved source settles.
UNCONFIRMED_ROWS = {"no_quality_small", "no_ia_small", "no_pi_no_quality_small", "no_pi_no_ia_small",
                    "no_quality_no_ia_small"}

# (row id, scored categories, small practice, automatic EUC, weights Q/C/IA/PI)
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
    ("only_quality", "quality", True, False, [100, 0, 0, 0]),
    ("only_cost", "cost", False, False, [0, 100, 0, 0]),
    ("only_cost", "cost", True, False, [0, 100, 0, 0]),
    ("only_ia", "ia", False, False, [0, 0, 100, 0]),
    ("only_ia", "ia", True, False, [0, 0, 100, 0]),
    ("only_pi", "pi", False, False, [0, 0, 0, 100]),
    ("only_pi", "pi", True, False, [0, 0, 0, 100]),
    ("none_scored", "", False, False, [0, 0, 0, 0]),
    ("none_scored", "", True, False, [0, 0, 0, 0]),
    # automatic EUC, individuals (SD2 Appendix A): the not-small table, then the small-practice table
    ("euc_none", "", False, True, [0, 0, 0, 0]),
    ("euc_quality_only", "quality", False, True, [100, 0, 0, 0]),
    ("euc_pi_only", "pi", False, True, [0, 0, 0, 100]),
    ("euc_ia_only", "ia", False, True, [0, 0, 100, 0]),
    ("euc_quality_pi", "quality pi", False, True, [70, 0, 0, 30]),
    ("euc_quality_ia", "quality ia", False, True, [85, 0, 15, 0]),
    ("euc_ia_pi", "ia pi", False, True, [0, 0, 15, 85]),
    ("euc_all", "quality ia pi", False, True, [55, 0, 15, 30]),
    ("euc_none", "", True, True, [0, 0, 0, 0]),
    ("euc_quality_only", "quality", True, True, [100, 0, 0, 0]),
    ("euc_pi_only", "pi", True, True, [0, 0, 0, 100]),
    ("euc_ia_only", "ia", True, True, [0, 0, 100, 0]),
    ("euc_quality_pi", "quality pi", True, True, [70, 0, 0, 30]),
    ("euc_quality_ia_small", "quality ia", True, True, [50, 0, 50, 0]),
    ("euc_ia_pi", "ia pi", True, True, [0, 0, 15, 85]),
    ("euc_all", "quality ia pi", True, True, [55, 0, 15, 30]),
]


def matched_row(result):
    """The reweighting-table row the trace records for the `weights` step."""
    (step,) = [node for root in result.trace for node in root.walk() if node.rule_id == "weights"]
    return step.row


def row_param(row_id, scored, small, euc, expected):
    size = "small" if small else "not small"
    label = ("EUC " if euc else "") + (", ".join(scored.split()) or "nothing") + " scored"
    return pytest.param(row_id, scored.split(), small, euc, expected, id=f"{row_id}: {label}, {size}")


def case_for(make_case, scored, small, euc):
    not_scored = EUC_NOT_SCORED if euc else NOT_SCORED
    return make_case(practice={"clinician_count": 10 if small else 40}, automatic_euc=euc,
                     categories={c: SCORES[c] if c in scored else not_scored[c] for c in CATEGORIES})


@pytest.mark.parametrize("row_id, scored, small, euc, expected", [row_param(*row) for row in ROWS])
def test_row_is_reached_with_its_weights(make_case, score, row_id, scored, small, euc, expected):
    result = score(case_for(make_case, scored, small, euc))
    assert matched_row(result).id == row_id
    assert [result.value(f"{c}.weight") for c in CATEGORIES] == expected
    assert [result.value(f"{c}.scored") for c in CATEGORIES] == [c in scored for c in CATEGORIES]
    unconfirmed = {u.name for u in result.unconfirmed if u.kind == "table row"}
    assert unconfirmed == ({f"reweighting.{row_id}"} if row_id in UNCONFIRMED_ROWS else set())


def test_every_row_of_the_table_is_covered_here(rulebook_2023):
    table_ids = [row.id for row in rulebook_2023.tables["reweighting"].rows]
    assert sorted(set(table_ids)) == sorted({row[0] for row in ROWS})


def test_unconfirmed_rows_are_exactly_the_unconfirmed_small_practice_cells(rulebook_2023):
    marked = {row.id for row in rulebook_2023.tables["reweighting"].rows if row.status == "unconfirmed"}
    assert marked == UNCONFIRMED_ROWS


@pytest.mark.parametrize("row_id", sorted(UNCONFIRMED_ROWS))
def test_unconfirmed_row_surfaces_with_its_location_and_source(make_case, score, rulebook_2023, row_id):
    row_id, scored, small, euc, _ = next(r for r in ROWS if r[0] == row_id)
    result = score(case_for(make_case, scored.split(), small, euc))
    (found,) = [u for u in result.unconfirmed if u.name == f"reweighting.{row_id}"]
    row = next(r for r in rulebook_2023.tables["reweighting"].rows if r.id == row_id)
    assert found.kind == "table row"
    assert found.at == f"rulebooks/2023/tables/reweighting.yaml:{row.line}"
    assert found.source == row.source
    if row_id == "no_pi_no_ia_small":
        assert found.source.startswith("aao-2022-small-practices ('there are two scenarios")
        assert "50/50" in found.note  # the other reading is shown beside the number it touches
    else:
        assert found.source == "cfr-414.1380-2021 (c)(2)(ii)(F) Table 7 (the non-small cell, assumed for small practices)"


# Rows the CFR table gives for payment year 2024 only: secondary for performance year 2023.
CFR_ONLY_ROWS = {"no_pi", "no_quality", "no_ia", "no_pi_no_quality", "no_pi_no_ia", "no_quality_no_ia"}


def test_rows_resting_on_the_payment_year_2024_table_are_secondary(rulebook_2023):
    rows = {row.id: row for row in rulebook_2023.tables["reweighting"].rows}
    assert {r for r, row in rows.items() if row.status == "secondary"} == CFR_ONLY_ROWS
    assert rulebook_2023.tables["reweighting"].status == "secondary"
    for row_id in CFR_ONLY_ROWS:
        assert rows[row_id].note and "payment year 2024" in rows[row_id].source


# --- small versus not small, as cases actually arise ---------------------------------------------------

@pytest.mark.parametrize("clinicians, pi, row_id, expected", [
    pytest.param(40, ("reweighted", "pi_hardship"), "no_pi", [55, 30, 15, 0],
                 id="no PI, not small: 55/30/15/0"),
    pytest.param(10, "not_submitted", "no_pi_small", [40, 30, 30, 0],
                 id="no PI, small (automatic): 40/30/30/0"),
])
def test_no_pi_small_versus_not_small(make_case, score, clinicians, pi, row_id, expected):
    result = score(make_case(practice={"clinician_count": clinicians}, categories={"pi": pi}))
    assert matched_row(result).id == row_id
    assert [result.value(f"{c}.weight") for c in CATEGORIES] == expected


@pytest.mark.parametrize("clinicians, pi, row_id, expected", [
    pytest.param(40, ("reweighted", "pi_hardship"), "no_cost_no_pi", [85, 0, 15, 0],
                 id="no cost and no PI, not small: 85/0/15/0"),
    pytest.param(10, "not_submitted", "no_cost_no_pi_small", [50, 0, 50, 0],
                 id="no cost and no PI, small (automatic): 50/0/50/0"),
])
def test_no_cost_no_pi_small_versus_not_small(make_case, score, clinicians, pi, row_id, expected):
    result = score(make_case(practice={"clinician_count": clinicians},
                             categories={"cost": ("reweighted", "no_scorable_measure"), "pi": pi}))
    assert matched_row(result).id == row_id
    assert [result.value(f"{c}.weight") for c in CATEGORIES] == expected


@pytest.mark.parametrize("scored, small, final", [
    pytest.param("", False, D("75"), id="EUC nothing submitted: neutral"),
    pytest.param("quality", False, D("75"), id="EUC quality only: neutral"),
    pytest.param("pi", True, D("75"), id="EUC PI only: neutral"),
    pytest.param("ia", True, D("75"), id="EUC IA only: neutral"),
    pytest.param("quality pi", False, D("83"), id="EUC quality+PI: 0.8x70 + 0.9x30 = 83"),
    pytest.param("quality ia", False, D("83"), id="EUC quality+IA not small: 0.8x85 + 15 = 83"),
    pytest.param("quality ia", True, D("90"), id="EUC quality+IA small: 0.8x50 + 50 = 90"),
    pytest.param("ia pi", False, D("91.5"), id="EUC IA+PI: 15 + 0.9x85 = 91.5"),
    pytest.param("quality ia pi", True, D("86"), id="EUC all three: 0.8x55 + 15 + 0.9x30 = 86"),
])
def test_automatic_euc_final_scores(make_case, score, scored, small, final):
    result = score(case_for(make_case, scored.split(), small, True))
    assert result.value("final_score") == final
