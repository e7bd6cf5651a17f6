"""Property: every generated input -- QPP JSON submissions, cases, profiles, rulebook parameter and rule
files, QRDA III files -- ends in a result inside its declared ranges or in located problems, never in an
internal error. Inputs are the project's examples changed a little (values replaced, keys removed or
added, items repeated, raw literals written in), so that most of them get past the first checks."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine.api import score_file
from engine.errors import MipsError
from engine.rulebook.loader import load_rulebook
from tests.fuzz.harness import STATS, judge, mutated, raw_edit, write, yaml_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SUBMISSIONS = sorted((EXAMPLES / "submissions").glob("20*-individual.json"))
CASES = sorted((EXAMPLES / "cases").glob("*.yaml"))
PROFILE = EXAMPLES / "profiles" / "individual-2023.yaml"
SUBMISSION = EXAMPLES / "submissions" / "2023-individual.json"
QRDA = sorted((ROOT / "tests" / "qrda" / "good").glob("*-2025.xml"))
QRDA_PROFILE = EXAMPLES / "profiles" / "individual-2025.yaml"
RULEBOOK_FILES = [ROOT / "rulebooks" / "2023" / "parameters" / "program.yaml",
                  ROOT / "rulebooks" / "2023" / "parameters" / "payment_adjustment.yaml",
                  ROOT / "rulebooks" / "2023" / "rules" / "final_score.yaml"]

_json = {path: json.loads(path.read_text(encoding="utf-8")) for path in SUBMISSIONS}
_cases = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in CASES}
_profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
_rulebook = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in RULEBOOK_FILES}


def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-"))


@st.composite
def submissions(draw):
    path = draw(st.sampled_from(SUBMISSIONS))
    text = json.dumps(draw(mutated(_json[path])), indent=1, default=str)
    if draw(st.integers(0, 4)) == 0:
        numbers = list(re.finditer(r"(?<=: )-?\d+(\.\d+)?", text))
        if numbers:
            at = draw(st.sampled_from(numbers))
            text = text[:at.start()] + draw(st.sampled_from(["1.0e+999999999", "9" * 4400, "0x_", "NaN", "1e30",
                                                             "[" * 300 + "]" * 300])) + text[at.end():]
    return path, text


@given(submissions())
def test_qpp_json_submissions(generated):
    base, text = generated
    folder = _folder()
    try:
        profile = EXAMPLES / "profiles" / f"individual-{base.name[:4]}.yaml"
        path = write(folder, "submission.json", text)
        judge("submission", lambda: score_file(path, profile=profile))
    finally:
        shutil.rmtree(folder)


@given(st.sampled_from(CASES).flatmap(lambda p: mutated(_cases[p]).map(lambda d: (p, d))), st.data())
def test_cases(generated, data):
    base, document = generated
    text = data.draw(raw_edit(yaml_text(document)))
    folder = _folder()
    try:
        for sibling in base.parent.iterdir():  # a case may name its affiliated group's case beside it
            if sibling.suffix == ".yaml" and sibling != base:
                shutil.copy(sibling, folder / sibling.name)
        path = write(folder, base.name, text)
        judge("case", lambda: score_file(path))
    finally:
        shutil.rmtree(folder)


@given(mutated(_profile), st.data())
def test_profiles(document, data):
    text = data.draw(raw_edit(yaml_text(document)))
    folder = _folder()
    try:
        path = write(folder, "profile.yaml", text)
        judge("profile", lambda: score_file(SUBMISSION, profile=path))
    finally:
        shutil.rmtree(folder)


MANIFEST = "rulebook:\n  year: 2024\n  title: Fuzzed draft\n  status: proposed\n  extends: 2023\n"
DRAFT_CASE = (EXAMPLES / "cases" / "individual-2023.yaml").read_text(encoding="utf-8").replace(
    "performance_year: 2023", "performance_year: 2024")


@given(st.sampled_from(RULEBOOK_FILES).flatmap(lambda p: mutated(_rulebook[p], 3).map(lambda d: (p, d))), st.data())
def test_rulebook_files(generated, data):
    base, document = generated
    text = data.draw(raw_edit(yaml_text(document)))
    folder = _folder()
    try:
        draft = folder / "draft"
        (draft / base.parent.name).mkdir(parents=True)
        write(draft, "rulebook.yaml", MANIFEST)
        write(draft / base.parent.name, base.name, text)
        case = write(folder, "case.yaml", DRAFT_CASE)

        def run():
            load_rulebook(str(draft))
            return score_file(case, rulebook=str(draft))
        judge("rulebook", run)
    finally:
        shutil.rmtree(folder)


_ATTRIBUTE = re.compile(rb'(value|extension|code|root)="([^"]*)"')


@st.composite
def qrda_files(draw):
    data = draw(st.sampled_from(QRDA)).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        found = list(_ATTRIBUTE.finditer(data))
        at = draw(st.sampled_from(found))
        value = draw(st.one_of(st.sampled_from(["-1", "1e999999999", "9" * 4400, "", "0x_", "2023-02-30", "NaN",
                                                "100000000000000000000", "1.5", "&amp;"]),
                               st.integers(-10, 10**6).map(str), st.text(max_size=8).map(
                                   lambda t: t.replace('"', "").replace("<", "").replace("&", ""))))
        data = data[:at.start(2)] + value.encode("utf-8") + data[at.end(2):]
    if draw(st.booleans()):
        lines = data.split(b"\n")
        del lines[draw(st.integers(0, len(lines) - 1))]
        data = b"\n".join(lines)
    return data


@given(qrda_files())
def test_qrda_files(data):
    folder = _folder()
    try:
        path = write(folder, "report.xml", data)
        judge("qrda", lambda: score_file(path, profile=QRDA_PROFILE))
    finally:
        shutil.rmtree(folder)


def test_a_refusal_is_a_located_problem():
    """The harness itself: a refused input counts as refused, an internal error fails."""
    import pytest

    assert judge("harness", lambda: (_ for _ in ()).throw(MipsError("x.yaml: bad"))) == "refused"
    with pytest.raises(AssertionError, match="internal error"):
        judge("harness", lambda: 1 / 0)
    STATS.pop("harness")  # the campaign's numbers count generated inputs only
