"""A 2022 QPP JSON submission scored end to end against the real 2022 benchmarks (CMSgov/qpp-measures-data
`benchmarks/2022.json`, `deciles` format, in rulebooks/2022/reference).

Policy: FORMATS-AND-BENCHMARKS section 4 (decile mapping, inverse measures, 2-decimal rates);
MIPS-FACTS 1c (topped-out cap 7, 3-point floor).
"""

from __future__ import annotations

import json
from decimal import Decimal as D

SUBMISSION = {
    "entityType": "individual", "taxpayerIdentificationNumber": "123456789",
    "nationalProviderIdentifier": "1234567893", "performanceYear": 2022,
    "measurementSets": [{
        "category": "quality", "submissionMethod": "registry", "programName": "mips",
        "performanceStart": "2022-01-01", "performanceEnd": "2022-12-31",
        "measurements": [
            # 001 (inverse) registry deciles 100, 80, ..., 10: 18/110 = 16.36% lies in decile 9 (20, 10]
            {"measureId": "001", "value": {"isEndToEndReported": False, "performanceMet": 18, "performanceNotMet": 92,
                                           "eligiblePopulationExclusion": 0, "eligiblePopulationException": 0,
                                           "eligiblePopulation": 120}},
            # 147 registry deciles 0, 97.16, 99.85, 100, ...: 57/58 = 98.28% lies in decile 3 [97.16, 99.85)
            {"measureId": "147", "value": {"isEndToEndReported": False, "performanceMet": 57, "performanceNotMet": 1,
                                           "eligiblePopulationException": 0, "eligiblePopulation": 60}},
        ],
    }],
}
PROFILE = """\
case_id: qpp-2022
practice: {clinician_count: 22, state: OH}
automatic_euc: false
categories:
  cost: {status: submitted, score: 50}
  ia: {status: submitted, score: 40}
  pi: {status: submitted, score: 80}
"""


def test_real_2022_deciles_score_a_submission(run_cli, tmp_path):
    (tmp_path / "sub.json").write_text(json.dumps(SUBMISSION))
    (tmp_path / "profile.yaml").write_text(PROFILE)
    code, out, err = run_cli("score", str(tmp_path / "sub.json"), "--profile", str(tmp_path / "profile.yaml"),
                             "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out, parse_float=D, parse_int=D)

    def find(node, rule):
        if node["rule"] == rule:
            return node
        return next((hit for child in node.get("children", []) if (hit := find(child, rule))), None)

    measures = next(hit for root in data["trace"] if (hit := find(root, "quality.measures")))["output"]
    points = {m["measure_id"]: (m["rate"], m["decile"], m["points"]) for m in measures}
    assert points["001"] == (D("16.36"), D("9"), D("9.364"))
    rate, decile, achieved = points["147"]
    assert (rate, decile) == (D("98.28"), D("3"))
    assert round(achieved, 10) == round(3 + (D("98.28") - D("97.16")) / (D("99.85") - D("97.16")), 10)  # 3.416
    assert data["performance_year"] == 2022
