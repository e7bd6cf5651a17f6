"""Compiled rulebooks (and year data) kept on disk between runs: read back only for the same content and
engine, written only when the rulebook has no problem, never an error when the cache folder is damaged or
turned off."""

from __future__ import annotations

import shutil
from collections import OrderedDict
from pathlib import Path

import pytest

from engine.api import score
from engine.errors import RulebookError
from engine.rulebook import loader, loading

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder and an empty in-process cache: each load_rulebook starts like a new run."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MIPS_CACHE_DIR", str(folder))

    def new_run() -> None:
        monkeypatch.setattr(loading, "_compiled", OrderedDict())

    new_run()
    return folder / "rulebooks", new_run


@pytest.fixture
def copied_root(tmp_path, monkeypatch):
    """A rulebooks folder whose 2023 is a copy that a test may change, the other entries the project's own."""
    root = tmp_path / "rulebooks"
    root.mkdir()
    for entry in (PROJECT_ROOT / "rulebooks").iterdir():
        if entry.name == "2023":
            shutil.copytree(entry, root / entry.name)
        else:
            (root / entry.name).symlink_to(entry)
    monkeypatch.setenv("MIPS_RULEBOOKS", str(root))
    return root


def _never_checked(*_args, **_kwargs):
    raise AssertionError("the rulebook was compiled again instead of being read from the cache")


def test_a_rulebook_read_back_scores_byte_for_byte_the_same(fresh, make_case, monkeypatch):
    entries, new_run = fresh
    compiled = loader.load_rulebook("2024")  # extends 2023, which extends 2022: one entry each
    assert len(list(entries.glob("*.pickle"))) == 3
    new_run()
    monkeypatch.setattr(loader, "check_rulebook", _never_checked)
    read = loader.load_rulebook("2024")
    assert read is not compiled and read.sha256 == compiled.sha256 and read.parent.sha256 == compiled.parent.sha256
    assert read.parent.parent.parameters == compiled.parent.parent.parameters  # read back when asked for
    for case in (make_case(performance_year=2024), make_case(performance_year=2024, automatic_euc=True,
                                                              categories={"pi": "not_submitted"})):
        assert score(case, read).to_json() == score(case, compiled).to_json()


def test_a_changed_file_is_compiled_again(fresh, copied_root, monkeypatch):
    entries, new_run = fresh
    before = loader.load_rulebook("2023")
    parameters = copied_root / "2023" / "parameters" / "program.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text + "\n# a comment changes the content\n", encoding="utf-8")
    new_run()
    after = loader.load_rulebook("2023")
    assert after.sha256 != before.sha256
    assert len(list(entries.glob("*.pickle"))) == 3  # 2023 before and after, and the 2022 it extends


def test_a_rulebook_with_problems_is_not_kept(fresh, copied_root):
    entries, _ = fresh
    manifest = copied_root / "2023" / "rulebook.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("year: 2023", "year: 2022", 1),
                        encoding="utf-8")
    with pytest.raises(RulebookError):
        loader.load_rulebook("2023")
    assert not entries.exists() or not list(entries.glob("*.pickle"))


def test_a_damaged_entry_is_compiled_again(fresh):
    entries, new_run = fresh
    compiled = loader.load_rulebook("2022")  # a year that extends none: one entry
    (entry,) = entries.glob("*.pickle")
    entry.write_bytes(b"not a compiled rulebook")
    new_run()
    assert loader.load_rulebook("2022").sha256 == compiled.sha256
    assert entry.read_bytes() != b"not a compiled rulebook"


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MIPS_CACHE_DIR", "off")
    monkeypatch.setattr(loading, "_compiled", OrderedDict())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert loader.load_rulebook("2023").year == 2023
    assert not any(tmp_path.rglob("*.pickle"))


def test_year_data_read_back_are_the_same(fresh, monkeypatch):
    from engine.euc import loader as euc_loader

    folder = PROJECT_ROOT / "rulebooks" / "2023"
    euc_loader._load_folder.cache_clear()
    read = euc_loader.load_euc_folder(folder)
    euc_loader._load_folder.cache_clear()
    monkeypatch.setattr(euc_loader, "_read_folder", _never_checked)
    assert euc_loader.load_euc_folder(folder) == read
    euc_loader._load_folder.cache_clear()


def test_another_interpreter_reading_the_cache_writes_the_same_json(tmp_path):
    """Written by one interpreter, read back by another with another hash seed: byte-identical results."""
    import json
    import os
    import subprocess
    import sys

    from engine.api import score_file

    inputs = [(PROJECT_ROOT / "examples/submissions/2025-app-group.json", PROJECT_ROOT / "examples/profiles/app-group-2025.yaml"),
              (PROJECT_ROOT / "examples/cases/individual-2023.yaml", None)]
    program = ("import json, sys; from pathlib import Path; from engine.api import score_file; "
               "print(json.dumps([score_file(Path(s), profile=Path(p) if p else None).to_json() "
               "for s, p in json.loads(sys.argv[1])]))")
    argument = json.dumps([(str(s), str(p) if p else None) for s, p in inputs])
    runs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, MIPS_CACHE_DIR=str(tmp_path / "cache"), PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", program, argument], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, encoding="utf-8", check=False)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert list((tmp_path / "cache" / "rulebooks").glob("*.pickle"))
    assert runs[0] == runs[1] == [score_file(s, profile=p).to_json() for s, p in inputs]


def test_content_hashes_are_remembered_until_a_file_changes(fresh, copied_root, monkeypatch):
    from engine.rulebook import diskcache as rulebook_cache

    _, new_run = fresh
    monkeypatch.setattr(rulebook_cache, "SETTLED_SECONDS", 0.0)  # the copied files count as settled at once
    before = loader.load_rulebook("2023")
    new_run()
    with monkeypatch.context() as patched:
        patched.setattr(loading, "folder_sha256", _never_checked)
        assert loader.load_rulebook("2023").sha256 == before.sha256  # no file read to know it
    parameters = copied_root / "2023" / "parameters" / "program.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + "\n# a comment changes the content\n",
                          encoding="utf-8")
    new_run()
    assert loader.load_rulebook("2023").sha256 != before.sha256


def test_content_hashes_of_files_just_changed_are_not_remembered(fresh, copied_root, monkeypatch):
    _, new_run = fresh
    loader.load_rulebook("2023")  # the copied 2023 was written just now
    new_run()
    hashed = []
    folder_sha256 = loading.folder_sha256
    monkeypatch.setattr(loading, "folder_sha256", lambda *args: hashed.append(args[0]) or folder_sha256(*args))
    loader.load_rulebook("2023")
    assert copied_root / "2023" in hashed
