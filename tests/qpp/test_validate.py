"""validate_submission: each CMS rule, asserting the exact path and message; all problems come at once.

Unless a test says otherwise, documents are checked against the project's 2023 CMS reference data.
"""

from __future__ import annotations

import pytest

QUALITY = "measurementSets[0].measurements[0]"
COUNT_RULE = "counts must satisfy met + notMet + exclusions + exceptions <= eligiblePopulation"


def test_a_valid_minimal_submission_has_no_problem(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("236", 98, 30, 140)))) == []


# --- counts --------------------------------------------------------------------------------


def test_performance_met_above_eligible_population(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("236", 25, 0, 20)))) == [
        (f"{QUALITY}.value.performanceMet",
         f"performanceMet (25) is above eligiblePopulation (20); {COUNT_RULE}")]


def test_met_not_met_exclusions_and_exceptions_together_above_eligible_population(problems, doc):
    document = doc.individual(doc.quality_set(
        doc.single("236", 10, 8, 20, eligiblePopulationExclusion=2, eligiblePopulationException=3),
        method="electronicHealthRecord"))
    assert problems(document) == [
        (f"{QUALITY}.value.eligiblePopulation",
         "performanceMet + performanceNotMet + eligiblePopulationExclusion + eligiblePopulationException (23) "
         f"is above eligiblePopulation (20); {COUNT_RULE}")]


def test_negative_counts_are_each_reported(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("236", -1, -3, 20)))
    assert problems(document) == [
        (f"{QUALITY}.value.performanceMet",
         "performanceMet (-1) is negative; counts are numbers of patients or episodes, 0 or more"),
        (f"{QUALITY}.value.performanceNotMet",
         "performanceNotMet (-3) is negative; counts are numbers of patients or episodes, 0 or more")]


def test_pi_numerator_above_denominator(problems, doc):
    assert problems(doc.individual(doc.pi_set(doc.proportion("PI_EP_1", 10, 5)))) == [
        (f"{QUALITY}.value.numerator",
         "numerator (10) is above denominator (5); a proportion needs 0 <= numerator <= denominator")]


def test_pi_numerator_without_denominator_is_impossible(problems, doc):
    assert problems(doc.individual(doc.pi_set(doc.proportion("PI_EP_1", 1, 0)))) == [
        (f"{QUALITY}.value.numerator",
         "numerator (1) is above denominator (0); a proportion needs 0 <= numerator <= denominator")]


def test_pi_negative_denominator(problems, doc):
    assert problems(doc.individual(doc.pi_set(doc.proportion("PI_EP_1", 0, -2)))) == [
        (f"{QUALITY}.value.denominator",
         "denominator (-2) is negative; counts are numbers of patients or episodes, 0 or more")]


def test_stratum_counts_are_checked_with_the_stratum_path(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "370", doc.stratum("adolescents", 3, 8, 12), doc.stratum("adults", 90, 0, 85)),
        method="electronicHealthRecord"))
    assert problems(document) == [
        (f"{QUALITY}.value.strata[1].performanceMet",
         f"performanceMet (90) is above eligiblePopulation (85); {COUNT_RULE}")]


def test_negative_qcdr_numerator_exclusion_and_observation_instances(problems, doc, mini_reference):
    document = doc.individual(doc.quality_set(
        doc.single("QCDR", 8, 2, 10, numeratorExclusion=-1, performanceRate=80),
        {"measureId": "RATIO", "value": {"numerator": 3, "denominator": 4, "isEndToEndReported": False,
                                         "observationInstances": -4}}))
    assert problems(document, mini_reference) == [
        (f"{QUALITY}.value.numeratorExclusion",
         "numeratorExclusion (-1) is negative; counts are numbers of patients or episodes, 0 or more"),
        ("measurementSets[0].measurements[1].value.observationInstances",
         "observationInstances (-4) is negative; counts are numbers of patients or episodes, 0 or more")]


# --- strata --------------------------------------------------------------------------------


def test_stratum_name_unknown_to_the_measure(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "370", doc.stratum("teens", 3, 8, 12), doc.stratum("adults", 14, 64, 85)),
        method="electronicHealthRecord"))
    assert problems(document) == [
        (f"{QUALITY}.value.strata[0].stratum",
         "'teens' is not a stratum of measure 370; its strata are: adolescents, adults"),
        (f"{QUALITY}.value.strata",
         "measure 370 has 2 strata (adolescents, adults) and all must be submitted; missing: adolescents")]


def test_stratum_given_twice(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "370", doc.stratum("adults", 3, 8, 12), doc.stratum("adolescents", 3, 8, 12),
        doc.stratum("adults", 14, 64, 85)), method="electronicHealthRecord"))
    assert problems(document) == [
        (f"{QUALITY}.value.strata[2].stratum",
         "stratum 'adults' is already given in strata[0]; give each stratum once")]


def test_strata_count_below_the_measures(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "493", doc.stratum("influenza", 150, 55, 210), doc.stratum("Tdap", 120, 90, 210))))
    assert problems(document) == [
        (f"{QUALITY}.value.strata",
         "measure 493 has 4 strata (influenza, Tdap, herpesZoster, pneumococcal) and all must be submitted; "
         "missing: herpesZoster, pneumococcal")]


def test_qcdr_multi_rate_strata_must_match_the_measure(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "AJRR9", doc.stratum("hip", 10, 2, 12), doc.stratum("shoulder", 4, 4, 8), performanceRate=75)))
    assert problems(document) == [
        (f"{QUALITY}.value.strata[1].stratum", "'shoulder' is not a stratum of measure AJRR9; its strata are: "
                                               "hip, knee"),
        (f"{QUALITY}.value.strata",
         "measure AJRR9 has 2 strata (hip, knee) and all must be submitted; missing: knee")]


# --- measure identity ----------------------------------------------------------------------


def test_unknown_measure_id_for_the_year(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("XYZ999", 1, 1, 2)))) == [
        (f"{QUALITY}.measureId",
         "unknown quality measure 'XYZ999' for performance year 2023; use a measureId from CMS's 2023 "
         "measures data")]


def test_unpadded_quality_measure_number_suggests_the_padded_id(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("1", 1, 1, 2)))) == [
        (f"{QUALITY}.measureId", "unknown quality measure '1' for performance year 2023; did you mean '001'?")]


def test_misspelt_improvement_activity_suggests_the_closest_id(problems, doc):
    assert problems(doc.individual(doc.ia_set(doc.attest("IA_EPA_01")))) == [
        (f"{QUALITY}.measureId",
         "unknown improvement activity 'IA_EPA_01' for performance year 2023; did you mean 'IA_EPA_1'?")]


def test_measure_not_allowed_for_the_sets_program(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("147", 57, 1, 60), programName="app1"))
    assert problems(document) == [
        (f"{QUALITY}.measureId",
         "measure 147 cannot be submitted under programName 'app1'; CMS rejects it: 'SV - measure ID 147 is not "
         "allowed to be submitted to the app1 program'. It is allowed for: mips, pcf; remove it, or submit it in a "
         "submission of one of those programs")]


def test_improvement_activity_not_allowed_for_the_sets_program(problems, doc):
    assert problems(doc.individual(doc.ia_set(doc.attest("IA_AHE_1"), programName="G0053"))) == [
        (f"{QUALITY}.measureId",
         "improvement activity IA_AHE_1 is not in MVP G0053 'Advancing Rheumatology Patient Care' of performance "
         "year 2023; CMS rejects it: 'SV - measure ID IA_AHE_1 is not allowed to be submitted to the G0053 "
         "program'. Report the MVP's activities (IA_AHE_3, IA_BE_1, IA_BE_4, IA_BE_15, IA_BMH_2, IA_EPA_1, IA_EPA_2, "
         "IA_PCMH, IA_PM_16, IA_PSPA_28), or remove IA_AHE_1")]


def test_program_name_unknown_for_the_year(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("236", 98, 30, 140), programName="cpcPlus"))) == [
        ("measurementSets[0].programName",
         "programName 'cpcPlus' is not a program of performance year 2023; use one of: mips, G0053, G0054, "
         "G0055, G0056, G0057, G0058, G0059, M0001, M0002, M0003, M0004, M0005, app1, pcf")]


def test_measure_not_available_for_the_sets_collection_type(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("147", 57, 1, 60), method="electronicHealthRecord"))
    assert problems(document) == [
        (f"{QUALITY}.measureId",
         "measure 147 cannot be submitted via submissionMethod 'electronicHealthRecord': its collection types "
         "are claims, registry; submit it in a measurement set with submissionMethod registry")]


def test_measure_calculated_by_cms_cannot_be_submitted(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("321", 1, 1, 2)))
    assert problems(document) == [
        (f"{QUALITY}.measureId",
         "measure 321 cannot be submitted via submissionMethod 'registry': its collection types are "
         "certifiedSurveyVendor; it cannot be submitted in a QPP submission file"),
        (f"{QUALITY}.measureId",
         "measure 321 (metricType cahps) is calculated by CMS and cannot be submitted; remove it")]


@pytest.mark.parametrize("set_builder, measure_id, message", [
    ("quality_set", "IA_EPA_1", "'IA_EPA_1' is an improvement activity, not a quality measure; move it to a "
                                "measurement set with category 'ia'"),
    ("pi_set", "236", "'236' is a quality measure, not a PI measure; move it to a measurement set with "
                      "category 'quality'"),
    ("ia_set", "PI_PPHI_1", "'PI_PPHI_1' is a PI measure, not an improvement activity; move it to a "
                            "measurement set with category 'pi'"),
    ("quality_set", "COST_ACOPD_1", "'COST_ACOPD_1' is a cost measure; CMS calculates cost from claims, so "
                                    "remove it"),
], ids=["activity in quality set", "quality measure in PI set", "PI measure in IA set", "cost measure"])
def test_measure_of_another_category_in_the_set(problems, doc, set_builder, measure_id, message):
    document = doc.individual(getattr(doc, set_builder)(doc.attest(measure_id)))
    assert problems(document) == [(f"{QUALITY}.measureId", message)]


def test_the_same_measure_twice_in_one_set(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("236", 98, 30, 140), doc.single("001", 18, 92, 120),
                                              doc.single("236", 1, 1, 2)))
    assert problems(document) == [
        ("measurementSets[0].measurements[2].measureId",
         "measure '236' is already in this measurement set (measurements[0]); keep one measurement per measure")]


def test_an_improvement_activities_set_given_twice_is_refused(problems, doc):
    document = doc.individual(doc.ia_set(doc.attest("IA_EPA_1")), doc.quality_set(doc.single("236", 98, 30, 140)),
                              doc.ia_set(doc.attest("IA_EPA_1")))
    assert problems(document) == [
        ("measurementSets[2]", "measurementSets[0] already holds the ia measurement set submitted via registry "
         "for programName 'mips'; CMS keeps one set per category, submission method and program: merge the "
         "two into one")]


def test_the_same_measure_in_a_registry_and_an_ecqm_set_is_allowed(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("236", 98, 30, 140)),
                              doc.quality_set(doc.single("236", 98, 30, 140), method="electronicHealthRecord"))
    assert problems(document) == []


# --- value shapes --------------------------------------------------------------------------


def test_boolean_given_for_a_performance_rate_measure(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.attest("236")))) == [
        (f"{QUALITY}.value", "236 is a singlePerformanceRate measure: its value must be an object with "
                             "performanceMet, eligiblePopulation, isEndToEndReported")]


def test_object_given_for_an_attestation(problems, doc):
    assert problems(doc.individual(doc.pi_set(doc.proportion("PI_PPHI_1", 1, 1)))) == [
        (f"{QUALITY}.value", "PI_PPHI_1 is an attestation (boolean) measure: its value must be true or false")]


def test_key_of_another_value_shape_is_rejected_with_the_allowed_keys(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("236", 98, 30, 140, numeratorExclusion=1)))
    assert problems(document) == [
        (f"{QUALITY}.value.numeratorExclusion",
         "unknown key 'numeratorExclusion'; allowed keys here: performanceMet, performanceNotMet, "
         "eligiblePopulationExclusion, eligiblePopulationException, eligiblePopulation, reportingRate, caseCount, "
         "performanceRateNumerator, performanceRateDenominator, isEndToEndReported, performanceRate")]


def test_qcdr_measure_needs_its_written_performance_rate(problems, doc):
    assert problems(doc.individual(doc.quality_set(doc.single("AAAAI2", 8, 2, 10)))) == [
        (f"{QUALITY}.value", "missing required key 'performanceRate'")]


def test_count_written_with_a_decimal_point_is_rejected(problems):
    text = ('{"entityType": "group", "taxpayerIdentificationNumber": "123456789", "performanceYear": 2023, '
            '"measurementSets": [{"category": "pi", "submissionMethod": "registry", "cehrtId": "0015C01ABCDEF12", '
            '"performanceStart": "2023-01-01", "performanceEnd": "2023-03-31", "measurements": ['
            '{"measureId": "PI_EP_1", "value": {"numerator": 5.0, "denominator": 10}}]}]}')
    assert problems(text) == [
        (f"{QUALITY}.value.numerator", "input should be a whole number written without a decimal point "
                                       "(got 5.0)")]


# --- registry rules ------------------------------------------------------------------------


def test_registry_mips_cqm_must_not_report_eligible_population_exclusion(problems, doc):
    document = doc.individual(doc.quality_set(doc.single("236", 98, 30, 140, eligiblePopulationExclusion=3)))
    assert problems(document) == [
        (f"{QUALITY}.value.eligiblePopulationExclusion",
         "eligiblePopulationExclusion must be 0 or absent for MIPS CQM 236 submitted via registry (got 3); "
         "leave excluded patients out of eligiblePopulation instead")]


def test_registry_mips_cqm_exclusion_rule_applies_to_strata(problems, doc):
    document = doc.individual(doc.quality_set(doc.multi(
        "493", doc.stratum("influenza", 150, 55, 210), doc.stratum("Tdap", 120, 90, 210),
        doc.stratum("herpesZoster", 70, 50, 130, eligiblePopulationExclusion=10),
        doc.stratum("pneumococcal", 80, 15, 95))))
    assert problems(document) == [
        (f"{QUALITY}.value.strata[2].eligiblePopulationExclusion",
         "eligiblePopulationExclusion must be 0 or absent for MIPS CQM 493 submitted via registry (got 10); "
         "leave excluded patients out of eligiblePopulation instead")]


def test_exclusions_are_allowed_for_ecqms_qcdr_measures_and_zero_for_registry_cqms(problems, doc):
    document = doc.individual(
        doc.quality_set(doc.single("236", 98, 30, 140, eligiblePopulationExclusion=0),
                        doc.single("AAAAI2", 8, 2, 12, eligiblePopulationExclusion=2, performanceRate=80)),
        doc.quality_set(doc.single("236", 98, 30, 140, eligiblePopulationExclusion=5),
                        method="electronicHealthRecord"))
    assert problems(document) == []


@pytest.mark.parametrize("rate", [-1, 101])
def test_registry_performance_rate_outside_0_to_100(problems, doc, rate):
    document = doc.individual(doc.quality_set(doc.single("AAAAI2", 8, 2, 10, performanceRate=rate)))
    assert problems(document) == [
        (f"{QUALITY}.value.performanceRate", f"performanceRate ({rate}) must be a percentage from 0 to 100")]


# --- periods and year ----------------------------------------------------------------------


def test_performance_period_outside_the_performance_year(problems, doc):
    document = doc.individual(doc.ia_set(doc.attest("IA_EPA_1"), performanceStart="2022-12-01",
                                         performanceEnd="2024-01-15"))
    assert problems(document) == [
        ("measurementSets[0].performanceStart", "performanceStart 2022-12-01 is outside performance year 2023; "
                                                "the performance period must lie within 2023-01-01 to 2023-12-31"),
        ("measurementSets[0].performanceEnd", "performanceEnd 2024-01-15 is outside performance year 2023; "
                                              "the performance period must lie within 2023-01-01 to 2023-12-31")]


def test_performance_period_ending_before_it_starts(problems, doc):
    document = doc.individual(doc.ia_set(doc.attest("IA_EPA_1"), performanceStart="2023-06-01",
                                         performanceEnd="2023-03-01"))
    assert problems(document) == [
        ("measurementSets[0].performanceEnd", "performanceEnd 2023-03-01 is before performanceStart 2023-06-01; "
                                              "the performance period must end on or after its start")]


def test_performance_year_not_matching_the_reference_year(problems, doc):
    document = doc.individual(performanceYear=2022)
    assert problems(document) == [
        ("performanceYear", "performanceYear 2022 does not match the 2023 rulebook; score this file with the "
                            "2022 rulebook, or correct performanceYear")]


# --- entity --------------------------------------------------------------------------------


@pytest.mark.parametrize("tin", ["12345678", "12-3456789", "1234567890", "12345678a"])
def test_malformed_tin(problems, doc, tin):
    assert problems(doc.individual(taxpayerIdentificationNumber=tin)) == [
        ("taxpayerIdentificationNumber",
         f"taxpayerIdentificationNumber '{tin}' must be exactly 9 digits, without dashes or spaces")]


@pytest.mark.parametrize("npi", ["123456789", "12345678901", "123456789X"])
def test_malformed_npi(problems, doc, npi):
    assert problems(doc.individual(nationalProviderIdentifier=npi)) == [
        ("nationalProviderIdentifier",
         f"nationalProviderIdentifier '{npi}' must be exactly 10 digits, without dashes or spaces")]


def test_npi_given_for_a_group(problems, doc):
    assert problems(doc.individual(entityType="group")) == [
        ("nationalProviderIdentifier",
         "nationalProviderIdentifier is written only for entityType 'individual'; remove it from this group "
         "submission")]


def test_tin_and_npi_required_for_an_individual(problems):
    assert problems({"entityType": "individual", "performanceYear": 2023}) == [
        ("taxpayerIdentificationNumber",
         "taxpayerIdentificationNumber is required for entityType 'individual'; add the 9-digit TIN"),
        ("nationalProviderIdentifier",
         "nationalProviderIdentifier is required for entityType 'individual'; add the clinician's 10-digit NPI")]


@pytest.mark.parametrize("entity_type, label", [
    ("apm", "APM Entity"), ("virtualGroup", "virtual group"), ("subgroup", "subgroup")])
def test_entity_id_missing_where_required(problems, entity_type, label):
    assert problems({"entityType": entity_type, "performanceYear": 2023}) == [
        ("entityId", f"entityId is required for entityType '{entity_type}'; add the {label} identifier")]


def test_tin_given_for_an_apm_entity(problems):
    document = {"entityType": "apm", "entityId": "A1234", "taxpayerIdentificationNumber": "123456789",
                "performanceYear": 2023}
    assert problems(document) == [
        ("taxpayerIdentificationNumber",
         "taxpayerIdentificationNumber is written only for entityType individual or group; an APM Entity is "
         "identified by entityId, so remove it")]


# --- PI rules ------------------------------------------------------------------------------


def test_pi_exclusion_submitted_with_its_own_measure(problems, doc):
    document = doc.individual(doc.pi_set(doc.proportion("PI_EP_1", 5, 10), doc.attest("PI_PPHI_1"),
                                         doc.attest("PI_LVPP_1")))
    assert problems(document) == [
        ("measurementSets[0].measurements[2].measureId",
         "PI_LVPP_1 cannot be submitted with PI_EP_1 (measurements[0]): PI_LVPP_1 is the exclusion for "
         "PI_EP_1, claimed when PI_EP_1 does not apply; submit either PI_EP_1 or PI_LVPP_1, not both")]


def test_pi_measure_submitted_with_its_substitute(problems, doc):
    document = doc.individual(doc.pi_set(doc.attest("PI_HIE_5"), doc.proportion("PI_HIE_1", 5, 10)))
    assert problems(document) == [
        ("measurementSets[0].measurements[1].measureId",
         "PI_HIE_1 cannot be submitted with PI_HIE_5 (measurements[0]): PI_HIE_5 and PI_HIE_1 stand in for "
         "each other; submit one of them, not both")]


def test_pi_substitute_submitted_with_the_original_measures_exclusion(problems, doc):
    document = doc.individual(doc.pi_set(doc.attest("PI_LVOTC_1"), doc.attest("PI_HIE_5")))
    assert problems(document) == [
        ("measurementSets[0].measurements[1].measureId",
         "PI_HIE_5 cannot be submitted with PI_LVOTC_1 (measurements[0]): PI_LVOTC_1 (the exclusion for "
         "PI_HIE_1) cannot come with PI_HIE_5, which substitutes for PI_HIE_1; submit either PI_HIE_5 or "
         "PI_LVOTC_1, not both")]


def test_pi_set_without_cehrt_id(problems, doc):
    pi = doc.pi_set(doc.attest("PI_PPHI_1"))
    del pi["cehrtId"]
    assert problems(doc.individual(pi)) == [
        ("measurementSets[0].cehrtId",
         "a PI measurement set needs cehrtId, the 15-character CMS EHR Certification ID from CHPL; add it")]


def test_pi_set_with_a_malformed_cehrt_id(problems, doc):
    assert problems(doc.individual(doc.pi_set(doc.attest("PI_PPHI_1"), cehrtId="0015C01-ABC"))) == [
        ("measurementSets[0].cehrtId",
         "cehrtId '0015C01-ABC' is not a CMS EHR Certification ID: it has 15 letters and digits, as issued "
         "by CHPL")]


@pytest.mark.parametrize("entity_type", ["apm", "virtualGroup", "subgroup"])
def test_pi_set_for_an_entity_type_that_cannot_submit_pi(problems, doc, entity_type):
    document = {"entityType": entity_type, "entityId": "E1", "performanceYear": 2023,
                "measurementSets": [doc.pi_set(doc.attest("PI_PPHI_1"))]}
    assert problems(document) == [
        ("measurementSets[0].category",
         f"entityType '{entity_type}' cannot submit a PI measurement set: the Submissions API accepts PI only "
         "for entityType individual or group (PI of an APM Entity is rolled up from its participants); "
         "remove this set")]


# --- reference data that cannot be calculated ------------------------------------------------


def test_multi_rate_measure_without_overall_algorithm_in_the_reference(problems, doc, mini_reference):
    document = doc.individual(doc.quality_set(doc.multi("NOALGO", doc.stratum("a", 1, 1, 2),
                                                        doc.stratum("b", 1, 1, 2))))
    assert problems(document, mini_reference) == [
        (f"{QUALITY}.measureId",
         "measure NOALGO cannot be calculated: its overallAlgorithm None is none of simpleAverage, "
         "weightedAverage, sumNumerators, overallStratumOnly, split, so its rate cannot be calculated; "
         "correct the reference data")]


# --- all at once ---------------------------------------------------------------------------


def test_every_problem_of_a_submission_is_reported_at_once_in_file_order(problems, doc):
    document = doc.individual(
        doc.quality_set(doc.single("236", 25, 0, 20), doc.single("9999", 1, 1, 2), doc.single("236", 1, 1, 2)),
        doc.pi_set(doc.proportion("PI_EP_1", 10, 5), doc.attest("PI_LVPP_1"), cehrtId="short"),
        doc.ia_set(doc.attest("IA_EPA_1"), performanceEnd="2024-01-01"),
        taxpayerIdentificationNumber="12345", performanceYear=2023)
    assert [path for path, _ in problems(document)] == [
        "taxpayerIdentificationNumber",
        "measurementSets[0].measurements[0].value.performanceMet",
        "measurementSets[0].measurements[1].measureId",
        "measurementSets[0].measurements[2].measureId",
        "measurementSets[1].cehrtId",
        "measurementSets[1].measurements[0].value.numerator",
        "measurementSets[1].measurements[1].measureId",
        "measurementSets[2].performanceEnd",
    ]
