"""Files that cannot be read: a loop of symbolic links, a name too long, a file above the size limit,
standard input that is not UTF-8, and output to a full disk. Each ends in a message naming the file and
the reason, exit status 1, never an internal error."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.rulebook import text_source
from tests.conftest import MIPS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CASE = PROJECT_ROOT / "examples" / "cases" / "individual-2023.yaml"


def test_symlink_loop(run_cli, tmp_path):
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    assert run_cli("score", "a.yaml", cwd=tmp_path) == (
        1, "", "error: a.yaml: the path runs through a loop of symbolic links\n")


def test_symlink_loop_in_a_batch_does_not_stop_the_others(run_cli, tmp_path):
    (tmp_path / "a.yaml").symlink_to("a.yaml")
    code, out, err = run_cli("score", "a.yaml", str(CASE), "--no-trace", cwd=tmp_path)
    lines = out.splitlines()
    assert code == 1 and err == ""
    assert lines[0].startswith('{"input":"a.yaml","error":"a.yaml: the path runs through a loop of symbolic links"')
    assert '"result":' in lines[1]


def test_name_too_long(run_cli, tmp_path):
    name = "a" * 300 + ".yaml"
    assert run_cli("score", name, cwd=tmp_path) == (1, "", f"error: {name}: the file name is too long\n")


def test_file_above_the_size_limit(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(text_source, "MAX_BYTES", 1024)
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text(encoding="utf-8") + "#" * 2048 + "\n", encoding="utf-8")
    code, out, err = run_cli("score", "case.yaml", cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("error: case.yaml: the file is 0.0 MB; inputs above 0 MB are not read")


def test_standard_input_not_utf8(run_cli, tmp_path):
    code, out, err = run_cli("score", "-", cwd=tmp_path, stdin="case_id: caf\udce9\n".encode("utf-8", "surrogateescape"))
    assert (code, out, err) == (1, "", "error: <stdin>:1:13: byte 0xe9 is not UTF-8 text; save the file as UTF-8\n")


def test_full_disk_on_standard_output():
    with open("/dev/full", "wb") as full:
        done = subprocess.run([MIPS, "score", str(CASE)], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (1, "error: cannot write the output: the disk is full\n")
