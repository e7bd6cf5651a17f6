"""rules/categories.yaml under the 2024 rulebook: the list of special statuses with automatic Promoting
Interoperability reweighting is unconfirmed for 2024 (MIPS-FACTS 1d), and a result says so only when
it rests on that list.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest


@pytest.mark.parametrize("status", ["hospital_based", "asc_based", "non_patient_facing"])
def test_special_status_without_pi_data_is_reweighted_and_unconfirmed(case, score_2024, status):
    result = score_2024(case(special_statuses=[status], categories={"pi": "not_submitted"}))
    assert result.value("pi.reason") == "special_status"
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [55, 30, 15, 0]
    assert "pi.automatic_special_status" in [u.name for u in result.unconfirmed]


def test_pi_submitted_does_not_rest_on_the_special_status_list(case, score_2024):
    result = score_2024(case(special_statuses=["hospital_based"], categories={"pi": D("70")}))
    assert result.value("pi.status") == "submitted"
    assert "pi.automatic_special_status" not in [u.name for u in result.unconfirmed]


def test_small_practice_without_pi_data_does_not_rest_on_the_list(case, score_2024):
    result = score_2024(case(practice={"clinician_count": 15}, categories={"pi": "not_submitted"}))
    assert result.value("pi.reason") == "small_practice"
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [40, 30, 30, 0]
    assert result.unconfirmed == []
