"""rules/categories.yaml under the 2022 rulebook: which categories are scored and why not.

Policy: MIPS-FACTS 1d and 3.2 (from 2022 a small practice that submits no PI data has PI reweighted
automatically; any PI submission overrides it); 9 (automatic EUC for individuals only; cost always
reweighted under it); 1e and R-CFR21 (b)(3)(i) (APM participants: at least 20 of 40 IA points); 1g/7
(no MVP subgroups before 2023).
"""

from decimal import Decimal as D

import pytest



@pytest.mark.parametrize("clinicians, pi, reason, weights", [
    pytest.param(6, "not_submitted", "small_practice", [40, 30, 30, 0], id="small, no PI data: reweighted automatically"),
    pytest.param(6, D("0"), None, [30, 30, 15, 25], id="small, PI submitted with 0: the submission overrides it"),
    pytest.param(40, "not_submitted", None, [30, 30, 15, 25], id="not small, no PI data: scored 0 with its weight"),
])
def test_small_practice_pi_reweighting_is_automatic_in_2022(case, score_2022, clinicians, pi, reason, weights):
    result = score_2022(case(practice={"clinician_count": clinicians}, categories={"pi": pi}))
    assert result.value("pi.reason") == reason
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == weights


def test_special_status_reweights_pi_when_no_pi_data(case, score_2022):
    result = score_2022(case(special_statuses=["hospital_based"], categories={"pi": "not_submitted"}))
    assert result.value("pi.reason") == "special_status"


def test_apm_credit_without_euc_rests_on_no_unconfirmed_rule(case, score_2022):
    result = score_2022(case(apm_participant=True, categories={"ia": "not_submitted"}))
    assert result.value("ia.points") == D("20")
    assert result.value("ia.status") == "apm_credit"
    assert "ia.apm_credit_under_euc" not in {u.name for u in result.unconfirmed}


def test_apm_credit_under_automatic_euc_uses_the_2023_rule_and_says_so(case, score_2022):
    result = score_2022(case(apm_participant=True, automatic_euc=True,
                             categories={"quality": D("85"), "ia": "not_submitted", "pi": "not_submitted"}))
    assert result.value("ia.points") == D("20")
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [85, 0, 15, 0]
    names = {u.name for u in result.unconfirmed}
    assert "ia.apm_credit_under_euc" in names
    assert "reweighting.euc_quality_ia" not in names  # the 2022 automatic EUC fact sheet gives the row


def test_automatic_euc_is_for_individuals_only(case, score_2022):
    group = score_2022(case(entity={"type": "group", "tin": "123456789", "npi": None}, automatic_euc=True))
    assert group.value("automatic_euc") is False
    assert group.value("cost.reason") is None


def test_no_subgroups_in_2022(run_cli, tmp_path, rulebook_2022):
    assert "subgroup" not in rulebook_2022.case_inputs.entity_types
    path = tmp_path / "subgroup-2022.yaml"
    path.write_text("performance_year: 2022\nentity: {type: subgroup}\npractice: {clinician_count: 40}\n"
                    "categories: {quality: {status: submitted, score: 80}}\n")
    code, out, err = run_cli("score", str(path))
    assert code != 0 and "subgroup" in err
