"""The example submissions validate cleanly under the 2023 reference data and show what they claim to."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine.qpp.measurements import SubmissionFacts, derive_facts
from engine.qpp.reader import read_submission
from engine.qpp.validate import validate_submission

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "submissions"


@pytest.fixture(scope="module")
def example(reference_2023):
    def run(name: str) -> SubmissionFacts:
        submission, document, display = read_submission(EXAMPLES / name)
        validate_submission(submission, reference_2023, document, display)
        return derive_facts(submission, reference_2023)
    return run


@pytest.mark.parametrize("name", ["2023-individual.json", "2023-group.json"])
def test_example_validates_cleanly_and_every_quality_measure_has_a_rate(example, name):
    facts = example(name)
    assert facts.performance_year == 2023
    assert all(q.performance_rate is not None and q.data_completeness is not None for q in facts.quality)


def test_individual_example_covers_the_measures_it_is_meant_to_show(example, reference_2023):
    facts = example("2023-individual.json")
    quality = {q.measure_id: q for q in facts.quality}
    measures = reference_2023.quality_measures
    assert len(quality) >= 6 and {"001", "236", "147"} <= set(quality)
    assert {q.collection_type for q in facts.quality} == {"registry", "electronicHealthRecord"}
    assert measures["001"].is_inverse
    assert reference_2023.benchmark("147", "registry").is_topped_out_by_program
    assert any(measures[m].measure_type == "outcome" for m in quality)
    assert any(q.strata for q in facts.quality)
    assert quality["493"].performance_rate == Decimal("65.625")       # (150 + 120 + 70 + 80) / 640
    assert quality["236"].performance_rate == Decimal("76.5625")      # 98 / 128
    required = {m.id for m in reference_2023.pi_measures.values()
                if m.reporting_category == "required" and not m.substitutes}
    assert required <= {p.measure_id for p in facts.pi}
    assert [reference_2023.improvement_activities[a.activity_id].weight for a in facts.ia] == ["high", "high"]


def test_group_example_claims_a_pi_exclusion_instead_of_its_measure(example, reference_2023):
    facts = example("2023-group.json")
    assert (facts.entity_type, facts.npi) == ("group", None)
    submitted = {p.measure_id for p in facts.pi}
    assert "PI_PHCDRR_3_EX_2" in submitted and "PI_PHCDRR_3" not in submitted
    assert "PI_PHCDRR_3_EX_2" in reference_2023.pi_measures["PI_PHCDRR_3"].exclusions
    assert {reference_2023.improvement_activities[a.activity_id].weight for a in facts.ia} == {"medium"}
    algorithms = {q.overall_algorithm for q in facts.quality} - {None}
    assert algorithms == {"overallStratumOnly", "simpleAverage"}
