"""`mips score` on many inputs: a folder, several files, standard input; JSON Lines in input order,
one result or one located error per input, worker processes, text summaries with or without the trace."""

from __future__ import annotations

import io
import json
import shutil
import sys
from decimal import Decimal as D
from functools import partial
from pathlib import Path

import pytest

from cli.scoring import _Progress
from engine import batch

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "examples" / "cases"
SUBMISSIONS = ROOT / "examples" / "submissions"
PROFILE = ROOT / "examples" / "profiles" / "individual-2023.yaml"
BAD = "performance_year: 2023\nentity: {type: individual}\npractice: {clinician_count: 4}\ncategories: [\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three example cases and, between them, a case that is not valid YAML, in a subfolder."""
    for name in ("individual-2023.yaml", "non-reporting-2023.yaml", "individual-2024.yaml"):
        shutil.copyfile(CASES / name, tmp_path / name)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "broken.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text(BAD, encoding="utf-8")
    return tmp_path


def records(out: str) -> list[dict]:
    return [json.loads(line, parse_float=D) for line in out.splitlines()]


def test_a_folder_gives_one_json_line_per_case_file_in_name_order_and_a_bad_file_stops_nothing(run_cli, folder):
    code, out, err = run_cli("score", ".", cwd=folder)
    assert code == 1, "an input failed"
    assert err == ""
    found = records(out)
    assert [r["input"] for r in found] == ["individual-2023.yaml", "individual-2024.yaml",
                                           "more/broken.yaml", "non-reporting-2023.yaml"]
    broken = found[2]
    assert set(broken) == {"input", "error", "problems"}
    assert broken["problems"] == [{"file": "more/broken.yaml", "line": 5, "column": 1, "path": "",
                                   "message": "invalid YAML: expected the node content, but found '<stream end>'"}]
    assert broken["error"] == "more/broken.yaml:5:1: invalid YAML: expected the node content, but found '<stream end>'"
    assert [r["result"]["final_score"] for r in found if "result" in r] == [D("82.0"), D("83.5"), D("15")]


def test_a_case_that_is_rescored_gives_the_result_that_counts_as_alone(run_cli, folder):
    """A facility-based case in a batch gives what `mips score` gives for it alone: both results and the
    facility-based one that counts, in JSON and in text."""
    shutil.copyfile(CASES / "facility-based-2024.yaml", folder / "facility-based-2024.yaml")
    found = {r["input"]: r for r in records(run_cli("score", ".", cwd=folder)[1])}
    combined = found["facility-based-2024.yaml"]["result"]
    alone = json.loads(run_cli("score", "--format", "json", str(folder / "facility-based-2024.yaml"))[1], parse_float=D)
    assert combined == alone
    assert combined["counted"] == "facility-based-2024, facility-based measurement (Riverside General Hospital)"
    assert [r["final_score"] for r in combined["results"]] == [D("53.25"), D("71.6985")]
    text = run_cli("score", ".", "--format", "text", cwd=folder)[1]
    block = text.split("== facility-based-2024.yaml\n", 1)[1].split("\n== ", 1)[0]
    assert "2 results for one clinician" in block and "71.6985" in block


def test_each_record_holds_the_result_of_scoring_that_file_alone(run_cli, folder):
    out = run_cli("score", str(folder / "individual-2023.yaml"), str(folder / "non-reporting-2023.yaml"))[1]
    for record in records(out):
        alone = run_cli("score", "--format", "json", record["input"])[1]
        assert record["result"] == json.loads(alone, parse_float=D)
        assert record["result"]["trace"], "results carry their trace by default"


def test_worker_processes_give_the_same_bytes_in_the_same_order(run_cli, folder):
    one = run_cli("score", str(folder))
    assert run_cli("score", str(folder), "--jobs", "2") == one


def test_worker_processes_copy_their_output_into_a_file_in_input_order(folder, tmp_path):
    """With several jobs each worker writes a run of inputs to a file of its own, copied to the output
    file in input order: the same bytes as one process writes, a bad file among them."""
    found = batch.sources([str(folder)], batch.read_stdin)
    render = partial(batch.json_line, trace=True)
    alone = "".join(done.output for done in batch.outcomes(found, render))
    target = tmp_path / "results.jsonl"
    with target.open("w", encoding="utf-8") as out:
        written = list(batch.write_outcomes(out, found, render, jobs=2))
    assert target.read_text(encoding="utf-8") == alone
    assert written == [(source.name, 1 if source.name.endswith("broken.yaml") else 0) for source in found]


def test_standard_input_is_one_input_among_the_others(run_cli, folder):
    text = (CASES / "individual-2023.yaml").read_text(encoding="utf-8")
    code, out, err = run_cli("score", "-", str(folder / "more" / "broken.yaml"), "--no-trace", stdin=text)
    first, second = records(out)
    assert first["input"] == "<stdin>" and first["result"]["final_score"] == D("82.0")
    assert "trace" not in first["result"]
    assert second["problems"][0]["line"] == 5
    assert code == 1


def test_one_case_on_standard_input(run_cli):
    code, out, err = run_cli("score", "-", stdin=(CASES / "individual-2023.yaml").read_text(encoding="utf-8"))
    assert code == 0, err
    assert "Final score          82\n" in out


def test_an_invalid_case_on_standard_input_is_located_there(run_cli):
    code, out, err = run_cli("score", "-", stdin=BAD)
    assert (code, out) == (1, "")
    assert err == "error: <stdin>:5:1: invalid YAML: expected the node content, but found '<stream end>'\n"


def test_submissions_in_a_folder_with_a_profile(run_cli, tmp_path):
    for name in ("2023-individual.json", "2023-group.json"):
        shutil.copyfile(SUBMISSIONS / name, tmp_path / name)
    code, out, err = run_cli("score", str(tmp_path), "--profile", str(PROFILE), "--no-trace")
    assert code == 0, err
    found = records(out)
    assert [Path(r["input"]).name for r in found] == ["2023-group.json", "2023-individual.json"]
    assert all(r["result"]["categories"]["quality"]["status"] == "submitted" for r in found)


def test_text_format_prints_each_summary_under_its_name_without_the_trace(run_cli, folder):
    code, out, err = run_cli("score", ".", "--format", "text", cwd=folder)
    assert code == 1
    assert out.startswith("== individual-2023.yaml\nMIPS performance year 2023: example-individual-2023\n")
    assert "== more/broken.yaml\nerror: more/broken.yaml:5:1: invalid YAML" in out
    assert "\nTrace\n" not in out
    assert "\nTrace\npathway = traditional" in run_cli("score", ".", "--format", "text", "--trace", cwd=folder)[1]


def test_one_case_in_text_shows_the_trace_only_when_asked(run_cli):
    case = "examples/cases/individual-2023.yaml"
    plain, traced = run_cli("score", case)[1], run_cli("score", case, "--trace")[1]
    assert "Trace" not in plain
    assert traced.startswith(plain.rstrip("\n") + "\n\nTrace\npathway = traditional  (rulebooks/2022/pathways.yaml")
    assert "\nfinal_score = 82.0  (rulebooks/2022/rules/final_score.yaml" in traced


def test_json_of_one_case_without_its_trace(run_cli):
    code, out, err = run_cli("score", "examples/cases/individual-2023.yaml", "--format", "json", "--no-trace")
    data = json.loads(out, parse_float=D)
    assert "trace" not in data and data["final_score"] == D("82.0")


def test_indent_implies_json_and_applies_to_one_case_only(run_cli, folder):
    code, out, _ = run_cli("score", "examples/cases/individual-2023.yaml", "--indent", "2")
    assert code == 0 and out.startswith('{\n  "case_id": "example-individual-2023",\n')
    code, _, err = run_cli("score", str(folder), "--indent", "2")
    assert code == 2 and "--indent applies to the JSON of one case" in err


def test_a_folder_without_case_files_is_a_usage_error(run_cli, tmp_path):
    code, out, err = run_cli("score", str(tmp_path))
    assert code == 2 and "holds no .yaml, .yml or .json file" in err


def test_piped_batch_end_to_end_with_workers_writes_only_json_lines(run_cli_process, folder):
    """The installed command, piped: JSON Lines on stdout, nothing on stderr (no progress bar)."""
    code, out, err = run_cli_process("score", ".", "--jobs", "2", "--no-trace", cwd=folder)
    assert (code, err) == (1, "")
    assert [r["input"] for r in records(out)] == ["individual-2023.yaml", "individual-2024.yaml",
                                                  "more/broken.yaml", "non-reporting-2023.yaml"]


def test_the_progress_bar_is_drawn_only_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((io.StringIO(), False), (Terminal(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        with _Progress(2) as advance:
            advance("a.yaml")
            advance("b.yaml")
        assert bool(stream.getvalue()) is drawn
