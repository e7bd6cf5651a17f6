"""The JSON API gives the CLI's JSON, refuses bad input with located messages, and keeps to its limits."""

from __future__ import annotations

import html
import re
from pathlib import Path

from engine import jsonout
from engine.answers import deadlines, euc
from engine.api import score_file
from engine.explain.content import explanation
from engine.web.app import create_app
from engine.web.limits import Limits

from web_fixtures import EXAMPLES, files


def test_score_gives_the_cli_json(client):
    response = client.post("/api/score", json={"files": files("submissions/2025-individual.json",
                                                              "profiles/individual-2025.yaml")})
    assert response.status_code == 200
    expected = score_file(EXAMPLES / "submissions/2025-individual.json",
                          profile=EXAMPLES / "profiles/individual-2025.yaml").to_json()
    assert response.text == expected


def test_explain_gives_the_explanation_content(client):
    response = client.post("/api/explain", json={"files": files("cases/below-threshold-2023.yaml")})
    assert response.status_code == 200
    assert response.text == jsonout.dumps(explanation(score_file(EXAMPLES / "cases/below-threshold-2023.yaml")))\
        .replace('"examples/cases/below-threshold-2023.yaml"', '"below-threshold-2023.yaml"')


def test_a_case_scored_under_another_year(client):
    response = client.post("/api/score", json={"files": files("cases/individual-2023.yaml"), "year": 2024})
    assert response.status_code == 200
    assert response.json()["rulebook"]["year"] == 2024


def test_diff_leads_with_the_case(client):
    response = client.post("/api/diff", json={"old": 2023, "new": 2024, "files": files("cases/individual-2023.yaml")})
    assert response.status_code == 200
    data = response.json()
    assert list(data) == ["case"]
    assert data["case"]["adjustment_because"] == ["params.payment_adjustment.max_positive_percent 2.15 -> 1.05"]
    both = client.post("/api/diff", json={
        "old_files": files("submissions/2023-individual.json", "profiles/individual-2023.yaml"),
        "new_files": files("submissions/2024-individual.json", "profiles/individual-2024.yaml")}).json()
    assert (both["case"]["from"]["year"], both["case"]["to"]["year"]) == (2023, 2024)


def test_euc_and_deadlines_give_the_cli_json(client):
    response = client.get("/api/euc", params={"year": 2025, "zip": "78028", "entity_type": "individual"})
    assert response.text == jsonout.dumps(euc(2025, "78028", None, None, "individual"))
    response = client.get("/api/deadlines", params={"on": "2026-11-22", "year": [2026]})
    assert response.text == jsonout.dumps(deadlines("2026-11-22", (2026,)))


def test_a_malformed_file_is_a_located_422(client):
    response = client.post("/api/score", json={"files": [{"name": "broken.yaml", "content": "case_id: x\nperformance_year: [2023\n"}]})
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["file"] == "broken.yaml" and problem["line"] in (2, 3)
    assert "Traceback" not in response.text


def test_a_submission_without_profile_names_the_fix(client):
    response = client.post("/api/score", json={"files": files("submissions/2023-individual.json")})
    assert response.status_code == 422
    assert "needs its profile" in response.json()["errors"][0]["message"]


def test_a_request_never_names_a_server_file(client):
    content = (EXAMPLES / "cases/individual-2023.yaml").read_text(encoding="utf-8")
    response = client.post("/api/score", json={"files": [{"name": "../../../../etc/passwd", "content": content}]})
    assert response.status_code == 200
    listing = client.post("/api/score", json={"files": [{"name": "x.yaml", "content": "case_id: a\nsubmissions: [/etc/passwd]\n"}]})
    assert listing.status_code == 422
    assert "root:" not in listing.text
    assert client.get("/rulebooks/../../pyproject.toml").status_code in (404, 422)
    assert client.get("/rulebooks/2023/../../pyproject.toml").status_code in (404, 422)
    assert client.get("/static/..%2Fapp.py").status_code == 404


def test_wrong_request_shapes_are_located(client):
    response = client.post("/api/score", json={"files": [], "extra": 1})
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert {"files", "extra"} <= paths


def test_oversized_requests_are_refused_before_reading(client):
    response = client.post("/api/score", content=b"{" + b" " * (300 * 1024) + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "larger than the limit of 200 KiB" in response.json()["errors"][0]["message"]
    page = client.post("/score", files={"files": ("big.json", b" " * (300 * 1024), "application/json")})
    assert page.status_code == 413 and "larger than the limit" in page.text


def test_slow_work_is_cut_at_the_time_limit(monkeypatch):
    import time
    from fastapi.testclient import TestClient

    import engine.web.app as web_app
    scored = web_app.score_inputs

    def slowly(inputs):
        time.sleep(0.5)
        return scored(inputs)
    monkeypatch.setattr(web_app, "score_inputs", slowly)
    slow = TestClient(create_app(Limits(seconds_per_request=0.05)), raise_server_exceptions=False)
    response = slow.post("/api/score", json={"files": files("cases/individual-2023.yaml")})
    assert response.status_code == 503
    assert "did not finish within" in response.json()["errors"][0]["message"]


def test_openapi_describes_the_api_and_docs_need_no_network(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/score", "/api/explain", "/api/diff", "/api/euc", "/api/deadlines"} <= set(spec["paths"])
    docs = client.get("/api").text
    assert "POST /api/score" in docs and "http" not in docs.replace("HTTP", "").split("openapi.json")[0].lower().replace("http 422", "")


def test_pages_carry_no_external_resources(client):
    for path in ("/", "/euc", "/deadlines", "/api"):
        html = client.get(path).text
        assert "https://" not in html and "http://" not in html, path
    assert Path(create_app.__code__.co_filename).name == "app.py"


def test_a_subgroup_case_is_scored_with_the_group_case_it_names(client):
    files = [("files", (name, (EXAMPLES / "cases" / name).read_bytes()))
             for name in ("mvp-subgroup-2024.yaml", "cardiology-group-2024.yaml")]
    page = client.post("/score", files=files)
    assert page.status_code == 200
    assert "83.85" in page.text and "Under a MIPS Value Pathway (MVP)" in page.text
    offered = re.findall(r'<option value="(\d+)"', page.text.split('id="compare-year"', 1)[1].split("</select>", 1)[0])
    assert offered and "2022" not in offered  # MVPs start in 2023
    other = client.post("/score", files=files[1:] + [("files", ("other.yaml", (EXAMPLES / "cases/individual-2024.yaml")
                                                                 .read_bytes()))])
    assert other.status_code == 422
    assert "the results name different TINs (123456789 in other.yaml; 456789123 in cardiology-group-2024.yaml)" \
        in html.unescape(other.text)


def test_a_facility_based_case_shows_the_result_that_counts(client):
    """The page and the API give what `mips score` gives: the facility-based result counts over the submitted one."""
    files = [("files", ("facility.yaml", (EXAMPLES / "cases/facility-based-2024.yaml").read_bytes()))]
    page = client.post("/score", files=files)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "2 results for one clinician: which counts" in text
    assert re.search(r'id="final-score">.*?71\.70', text)  # the page below is the counted result
    assert "counts: its final score of 71.6985 is higher than 53.25 (facility-based-2024)" in text
    assert "counted_result, rulebooks/2022/rules/results.yaml:6" in text
    other = client.get(page.url.path, params={"show": 1})
    assert other.status_code == 200 and re.search(r'id="final-score">.*?53\.25', html.unescape(other.text))
    assert "Below: facility-based-2024, which does not count" in html.unescape(other.text)
    assert client.get(page.url.path, params={"show": 3}).status_code == 422
    api = client.post("/api/score", json={"files": [{"name": "facility.yaml", "content": files[0][1][1].decode()}]})
    data = api.json()
    assert api.status_code == 200 and data["counted"].endswith("facility-based measurement (Riverside General Hospital)")
    assert [r["final_score"] for r in data["results"]] == [53.25, 71.6985]
    explained = client.post("/api/explain", json={"files": [{"name": "f.yaml", "content": files[0][1][1].decode()}]})
    assert [e["final_score"]["value"] for e in explained.json()["explanations"]] == [53.25, 71.6985]


def test_two_cases_of_one_clinician_give_the_one_that_counts(client):
    files = [("files", (name, (EXAMPLES / "cases" / name).read_bytes()))
             for name in ("lakeside-individual-2024.yaml", "cardiology-group-2024.yaml")]
    page = client.post("/score", files=files)
    text = html.unescape(page.text)
    assert page.status_code == 200 and "2 results for one clinician" in text
    assert "cardiology-group-2024 counts: its final score of 76.6 is the highest (lakeside-individual-2024: 65.75)" in text
    compare = client.get(page.url.path + "/compare", params={"year": 2025})
    assert compare.status_code == 200  # a year comparison compares the result that counts


def test_a_result_without_payment_adjustment_reads_in_words(client):
    page = client.post("/score", files=[("files", ("qp.yaml", (EXAMPLES / "cases/qualifying-apm-participant-2024.yaml")
                                                   .read_bytes()))])
    assert page.status_code == 200
    text = page.text
    assert "None" not in text.replace("display: none", "")
    assert "no MIPS payment adjustment applies on Medicare Part B claims paid in 2026" in text
    assert "not MIPS eligible: a Qualifying APM Participant (QP) is excluded from MIPS" in text
    assert "Why no payment adjustment applies: rule eligibility.qualifying_apm_participant" in text
    compare = client.get(page.url.path + "/compare", params={"year": 2023})
    assert compare.status_code == 200 and "2023: no adjustment, not MIPS eligible" in compare.text


def test_a_qrda_file_is_told_by_its_content(client):
    xml = (Path(__file__).parents[1] / "qrda" / "good" / "individual-2025.xml").read_text(encoding="utf-8")
    profile = files("profiles/individual-2025.yaml")
    response = client.post("/api/score", json={"files": [{"name": "export.txt", "content": xml}, *profile]})
    assert response.status_code == 200
    assert round(response.json()["final_score"], 2) == 48.73
    alone = client.post("/api/score", json={"files": [{"name": "export.xml", "content": xml}]})
    assert alone.status_code == 422 and "needs its profile" in alone.json()["errors"][0]["message"]
    broken = client.post("/api/score", json={"files": [{"name": "x.xml", "content": xml.replace("</ClinicalDocument>", "")},
                                                       *profile]})
    assert broken.status_code == 422 and broken.json()["errors"][0]["file"] == "x.xml"


def test_a_result_compares_with_the_same_clinicians_files_of_another_year(client):
    def form(*paths: str) -> list:
        return [("files", (Path(p).name, (EXAMPLES / p).read_bytes())) for p in paths]
    page = client.post("/score", files=form("submissions/2024-individual.json", "profiles/individual-2024.yaml"))
    assert page.status_code == 200
    compare = client.post(page.url.path + "/compare",
                          files=form("submissions/2023-individual.json", "profiles/individual-2023.yaml"))
    assert compare.status_code == 200 and "/compare/" in compare.url.path
    assert "2023 and 2024 compared" in compare.text and "83.69 → 88.09" in compare.text
