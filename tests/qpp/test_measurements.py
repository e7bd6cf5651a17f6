"""Per-measure facts: every value shape and every overallAlgorithm, against hand-computed exact Decimals.

Rates and completeness are percentages; a quotient that does not terminate is given to 50 significant
digits (rates.DECIMAL_CONTEXT), so e.g. 100/3 is 33.33...33 with 48 decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.qpp.measurements import PerformancePeriod
from engine.qpp.rates import Counts


def one_quality(facts, doc, measurement, method="electronicHealthRecord"):
    [measured] = facts(doc.individual(doc.quality_set(measurement, method=method))).quality
    return measured


# --- single performance rate ---------------------------------------------------------------


def test_cqm_single_rate_uses_met_over_met_plus_not_met_and_case_count_is_eligible_population(facts, doc):
    measured = one_quality(facts, doc, doc.single("CQM", 45, 15, 80, eligiblePopulationExclusion=5,
                                         eligiblePopulationException=10))
    assert measured.counts == Counts(45, 15, 5, 10, 80)
    assert measured.performance_rate == Decimal("75")             # 45 / (45 + 15)
    assert measured.data_completeness == Decimal("93.75")         # (45 + 5 + 10 + 15) / 80
    assert measured.case_count == 80                              # eligiblePopulation, exclusions kept
    assert measured.submitted_performance_rate is None
    assert (measured.measure_id, measured.collection_type, measured.program, measured.metric_type) == (
        "CQM", "electronicHealthRecord", "mips", "singlePerformanceRate")
    assert measured.path == "measurementSets[0].measurements[0]"


def test_absent_optional_counts_stay_none_in_the_facts_and_add_nothing_to_the_rates(facts, doc):
    measured = one_quality(facts, doc, doc.single("CQM", 7, None, 10), method="registry")
    assert measured.counts == Counts(7, None, None, None, 10)
    assert measured.performance_rate == Decimal("100")            # 7 / (7 + nothing)
    assert measured.data_completeness == Decimal("70")


def test_rate_is_none_not_zero_when_met_plus_not_met_is_zero(facts, doc):
    measured = one_quality(facts, doc, doc.single("CQM", 0, 0, 4, eligiblePopulationException=4))
    assert measured.performance_rate is None
    assert measured.data_completeness == Decimal("100")


def test_rate_and_completeness_are_none_and_case_count_zero_for_an_empty_population(facts, doc):
    measured = one_quality(facts, doc, doc.single("CQM", 0, 0, 0))
    assert (measured.performance_rate, measured.data_completeness, measured.case_count) == (None, None, 0)


def test_a_repeating_rate_is_given_to_fifty_significant_digits_without_rounding_to_places(facts, doc):
    measured = one_quality(facts, doc, doc.single("CQM", 1, 2, 3))
    assert measured.performance_rate == Decimal("33." + "3" * 48)   # 100 / 3
    assert measured.data_completeness == Decimal("100")


def test_qcdr_single_rate_subtracts_exclusions_from_case_count_and_keeps_the_written_rate(facts, doc):
    measurement = doc.single("QCDR", 40, 10, 60, eligiblePopulationExclusion=5, numeratorExclusion=2,
                             performanceRate=80)
    measured = one_quality(facts, doc, measurement, method="registry")
    assert measured.counts == Counts(40, 10, 5, None, 60, numerator_exclusion=2)
    assert measured.performance_rate == Decimal("80")             # 40 / 50
    assert measured.submitted_performance_rate == Decimal("80")
    assert measured.data_completeness == Decimal("91." + "6" * 47 + "7")   # 55 / 60
    assert measured.case_count == 55                              # 60 - 5


def test_a_written_decimal_performance_rate_is_read_exactly(facts):
    text = """{"entityType": "individual", "taxpayerIdentificationNumber": "123456789",
      "nationalProviderIdentifier": "1234567893", "performanceYear": 2023, "measurementSets": [
      {"category": "quality", "submissionMethod": "registry", "performanceStart": "2023-01-01",
       "performanceEnd": "2023-12-31", "measurements": [{"measureId": "QCDR", "value": {
         "isEndToEndReported": false, "performanceMet": 1, "performanceNotMet": 2, "eligiblePopulation": 3,
         "performanceRate": 33.33}}]}]}"""
    [measured] = facts(text).quality
    assert measured.submitted_performance_rate == Decimal("33.33")
    assert measured.performance_rate == Decimal("33." + "3" * 48)


# --- non-proportion ------------------------------------------------------------------------


def test_non_proportion_completeness_uses_observation_instances_and_case_count_is_the_denominator(facts):
    text = """{"entityType": "individual", "taxpayerIdentificationNumber": "123456789",
      "nationalProviderIdentifier": "1234567893", "performanceYear": 2023, "measurementSets": [
      {"category": "quality", "submissionMethod": "registry", "performanceStart": "2023-01-01",
       "performanceEnd": "2023-12-31", "measurements": [{"measureId": "RATIO", "value": {
         "numerator": 12.5, "denominator": 40, "isEndToEndReported": false, "observationInstances": 36,
         "numeratorExclusion": 1.5, "denominatorException": 2, "reportingRate": 98.75, "caseCount": 40}}]}]}"""
    [measured] = facts(text).quality
    assert measured.non_proportion.numerator == Decimal("12.5")
    assert measured.non_proportion.denominator == Decimal("40")
    assert measured.data_completeness == Decimal("98.75")         # (36 + 2 + 1.5) / 40
    assert measured.case_count == Decimal("40")
    assert measured.performance_rate is None
    assert measured.counts is None and measured.strata == ()


# --- multi performance rate: one test per overallAlgorithm ---------------------------------


def test_simple_average_averages_stratum_rates_met_over_met_plus_not_met_minus_exclusions(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "SIMPLE",
        doc.stratum("early", 30, 10, 50, eligiblePopulationExclusion=4),      # 30 / 36 = 83.33..%
        doc.stratum("late", 20, 20, 40),                                      # 20 / 40 = 50%
        doc.stratum("overall", 1, 1, 2)))                                     # left out
    assert measured.performance_rate == Decimal("66." + "6" * 47 + "7")  # (250/3 + 50) / 2 = 200/3
    assert measured.case_count == 46                                      # max(50 - 4, 40)
    assert measured.data_completeness == Decimal("93." + "3" * 48)       # (44 + 40) / 90
    assert [s.name for s in measured.strata] == ["early", "late", "overall"]
    assert measured.strata[0].performance_rate == Decimal("83." + "3" * 48)
    assert (measured.strata[0].case_count, measured.strata[1].data_completeness) == (46, Decimal("100"))


def test_simple_average_leaves_out_a_stratum_without_a_rate(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "SIMPLE", doc.stratum("early", 0, 0, 5, eligiblePopulationException=5), doc.stratum("late", 20, 20, 40),
        doc.stratum("overall", 20, 20, 45)))
    assert measured.strata[0].performance_rate is None
    assert measured.performance_rate == Decimal("50")


def test_weighted_average_divides_summed_met_by_summed_met_plus_not_met_without_the_overall_stratum(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "WEIGHTED",
        doc.stratum("overall", 1, 1, 2),
        doc.stratum("adolescents", 6, 4, 10),
        doc.stratum("adults", 30, 8, 40, eligiblePopulationExclusion=2)))
    assert measured.performance_rate == Decimal("75")             # 36 / 48
    assert measured.case_count == 48                              # 10 + (40 - 2)
    assert measured.data_completeness == Decimal("100")           # (10 + 40) / 50
    assert [s.name for s in measured.strata] == ["adolescents", "adults", "overall"]   # the measure's order
    assert measured.strata[1].performance_rate == Decimal("78." + "947368421052631578" * 2 + "947368421053")


def test_sum_numerators_is_the_sum_of_performance_met_as_the_docs_define_it(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "SUMNUM", doc.stratum("first", 12, 3, 20, eligiblePopulationException=5), doc.stratum("second", 7, 1, 8)))
    assert measured.performance_rate == Decimal("19")             # 12 + 7
    assert measured.case_count == 28                              # 20 + 8
    assert measured.data_completeness == Decimal("100")


def test_overall_stratum_only_scores_the_overall_stratum_alone(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "OVERALLONLY", doc.stratum("screened", 90, 10, 100),
        doc.stratum("overall", 18, 6, 30, eligiblePopulationExclusion=4, eligiblePopulationException=2)))
    assert measured.performance_rate == Decimal("90")             # 18 / (18 + 6 - 4)
    assert measured.data_completeness == Decimal("100")           # (18 + 4 + 2 + 6) / 30
    assert measured.case_count == 26                              # 30 - 4


def test_split_takes_completeness_and_case_count_from_reporting_and_the_rate_from_performance(facts, doc):
    measured = one_quality(facts, doc, doc.multi(
        "SPLIT", doc.stratum("reporting", 80, 15, 100), doc.stratum("performance", 30, 50, 80)), method="registry")
    assert measured.performance_rate == Decimal("37.5")           # 30 / 80
    assert measured.data_completeness == Decimal("95")            # (80 + 15) / 100
    assert measured.case_count == 100


def test_registry_multi_rate_computes_its_algorithm_and_keeps_the_written_rate(facts):
    text = """{"entityType": "individual", "taxpayerIdentificationNumber": "123456789",
      "nationalProviderIdentifier": "1234567893", "performanceYear": 2023, "measurementSets": [
      {"category": "quality", "submissionMethod": "registry", "performanceStart": "2023-01-01",
       "performanceEnd": "2023-12-31", "measurements": [{"measureId": "QCDRMULTI", "value": {
         "isEndToEndReported": false, "performanceRate": 60.5, "strata": [
           {"stratum": "hip", "performanceMet": 20, "performanceNotMet": 5, "eligiblePopulationExclusion": 3,
            "eligiblePopulation": 28},
           {"stratum": "knee", "performanceMet": 10, "performanceNotMet": 15, "eligiblePopulationException": 2,
            "eligiblePopulation": 27}]}}]}]}"""
    [measured] = facts(text).quality
    assert measured.performance_rate == Decimal("60")             # (20 + 10) / (25 + 25)
    assert measured.submitted_performance_rate == Decimal("60.5")
    assert measured.case_count == 52                              # (28 - 3) + 27
    assert measured.data_completeness == Decimal("100")


# --- PI, IA and the submission -------------------------------------------------------------


def test_pi_facts_carry_the_exact_proportion_the_period_and_cehrt_id(facts, doc):
    got = facts(doc.individual(doc.pi_set(doc.proportion("PI_PROP", 3, 8), doc.attest("PI_ATTEST", False)))).pi
    assert [(p.measure_id, p.value, p.numerator, p.denominator, p.proportion) for p in got] == [
        ("PI_PROP", None, 3, 8, Decimal("0.375")), ("PI_ATTEST", False, None, None, None)]
    assert got[0].period == PerformancePeriod(date(2023, 7, 1), date(2023, 9, 28), 90)
    assert got[0].cehrt_id == "0015C01ABCDEF12"


def test_pi_proportion_with_zero_denominator_is_none_not_zero(facts, doc):
    [got] = facts(doc.individual(doc.pi_set(doc.proportion("PI_PROP", 0, 0)))).pi
    assert (got.numerator, got.denominator, got.proportion) == (0, 0, None)


def test_ia_facts_carry_activity_value_and_a_one_day_period_counts_as_one_day(facts, doc):
    [got] = facts(doc.individual(doc.ia_set(doc.attest("IA_ONE"), performanceStart="2023-05-05",
                                    performanceEnd="2023-05-05"))).ia
    assert (got.activity_id, got.value, got.program, got.submission_method) == ("IA_ONE", True, "mips", "registry")
    assert got.period.days == 1


def test_submission_facts_name_the_entity_and_each_categorys_programs_in_file_order(facts, doc):
    got = facts(doc.individual(doc.quality_set(doc.single("CQM", 1, 1, 2),
                                               doc.single("QCDR", 1, 1, 2, performanceRate=50)),
                           doc.quality_set(doc.single("CQM", 1, 1, 2), programName="app1"),
                           doc.ia_set(doc.attest("IA_ONE"))))
    assert (got.entity_type, got.entity_id, got.tin, got.npi, got.performance_year) == (
        "individual", None, "123456789", "1234567893", 2023)
    assert got.programs == {"quality": ("mips", "app1"), "ia": ("mips",)}
    assert [q.program for q in got.quality] == ["mips", "mips", "app1"]
    assert got.pi == ()


def test_a_set_without_program_name_is_recorded_as_mips(facts, doc):
    document = doc.individual(doc.ia_set(doc.attest("IA_ONE")))
    assert "programName" not in document["measurementSets"][0]
    assert facts(document).programs == {"ia": ("mips",)}
