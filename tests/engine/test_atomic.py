"""Output files: written whole or not at all, only over regular files, failures as messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.atomic import write_atomically
from engine.errors import MipsError


def test_writes_new_and_replaces_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.ics"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["out.ics"]


def test_refuses_symlink_and_leaves_its_target_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    link = tmp_path / "out.ics"
    link.symlink_to(victim)
    with pytest.raises(MipsError, match="is a symbolic link; output is written only to a regular file"):
        write_atomically(link, b"new")
    assert victim.read_bytes() == b"keep" and link.is_symlink()


def test_refuses_fifo_and_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(MipsError, match="is a FIFO"):
        write_atomically(fifo, b"x")
    with pytest.raises(MipsError, match="is a folder"):
        write_atomically(tmp_path, b"x")


def test_refuses_device() -> None:
    with pytest.raises(MipsError, match="is a device"):
        write_atomically(Path("/dev/null"), b"x")


def test_long_name_and_symlink_loop_are_messages(tmp_path: Path) -> None:
    with pytest.raises(MipsError, match="file name is too long; nothing was written"):
        write_atomically(tmp_path / ("x" * 300), b"x")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(MipsError, match="symbolic link"):
        write_atomically(loop / "out.ics", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]


def test_full_disk_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(MipsError, match="the disk is full; nothing was written"):
        write_atomically(tmp_path / "out.ics", b"x")
    assert list(tmp_path.iterdir()) == []
