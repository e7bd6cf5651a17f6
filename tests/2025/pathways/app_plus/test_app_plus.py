"""rulebooks/2025/pathways/app_plus: the APP Plus quality measure set of 2025 (programName appPlus).

Policy: 42 CFR 414.1367(c)(1)(iii)(B) (APP or APP Plus set from 2025); cms-qpp-measures-data 2025 appPlus
set 001, 112, 134, 236, 321, 479; APP weights and credit.
"""

from __future__ import annotations

from decimal import Decimal as D

from year_fixtures import FROM_SUBMISSION

ACO = {"type": "apm_entity"}


def test_app_plus_set_and_weights(case, score_2025, quality_measure):
    measures = [quality_measure(m, "electronicHealthRecord") for m in ("001", "112", "134", "236")]
    cms = [{"measure_id": "321", "achievement_points": D("8")}, {"measure_id": "479", "achievement_points": D("6")}]
    result = score_2025(case(program="appPlus", entity=ACO,
                             categories={"quality": FROM_SUBMISSION | {"measures": cms}}), quality=measures)
    assert result.summary()["pathway"]["name"] == "app_plus"
    assert [result.value(f"{c}.weight") for c in ("quality", "cost", "ia", "pi")] == [50, 0, 20, 30]
    assert result.value("quality.available_points") == 60
    assert result.value("quality.achievement_points") == 4 * D("9.5") + 14
    assert result.value("quality.unreported") == ()


def test_484_is_not_in_the_2025_app_plus_set(case, score_2025, quality_measure):
    cms = [{"measure_id": "484", "achievement_points": D("9")}]
    result = score_2025(case(program="appPlus", entity=ACO, categories={"quality": FROM_SUBMISSION | {"measures": cms}}),
                        quality=[quality_measure("001", "electronicHealthRecord")])
    assert result.value("quality.calculated") == ()
    assert result.value("quality.unreported") == ("112", "134", "236", "321", "479")
