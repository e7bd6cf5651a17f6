"""rules/quality.yaml under the 2022 rulebook: the category score from the counted measures.

Policy: MIPS-FACTS 1c and 4 (6 measures incl. an outcome or high-priority measure, 60 available points;
small practices +6 bonus points; capped at 100%); WORKED-EXAMPLES B6 (cap). Measures use a flat 2022
benchmark (deciles 2..10 from 10 to 90): 85% is decile 9 + 0.5 = 9.5 points.
"""

from decimal import Decimal as D

FROM_SUBMISSION = {"status": "submitted", "from_submission": True}


def six(quality_measure, **fields):
    return [quality_measure(f"9{i:02d}", **fields) for i in range(6)]


def test_six_benchmarked_measures_over_60_points(case, score_2022, quality_measure):
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=six(quality_measure))
    assert result.value("quality.achievement_points") == D("57")
    assert result.value("quality.score") == D("95")


def test_six_measures_without_benchmark_still_earn_3_each(case, score_2022, quality_measure):
    # 3 x 6 = 18 of 60 = 30%; from 2023 a non-small practice gets 0 for these
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=six(quality_measure, deciles=None))
    assert result.value("quality.score") == D("30")


def test_small_practice_bonus_and_cap(case, score_2022, quality_measure):
    result = score_2022(case(practice={"clinician_count": 6}, categories={"quality": FROM_SUBMISSION}),
                        quality=six(quality_measure, rate="95"))
    assert result.value("quality.small_practice_bonus") == D("6")
    assert result.value("quality.score") == D("100")


def test_only_the_best_six_count(case, score_2022, quality_measure):
    measures = six(quality_measure) + [quality_measure("999", rate="15", high_priority=False, measure_type="process")]
    result = score_2022(case(categories={"quality": FROM_SUBMISSION}), quality=measures)
    assert len(result.value("quality.counted")) == 6
    assert result.value("quality.achievement_points") == D("57")
