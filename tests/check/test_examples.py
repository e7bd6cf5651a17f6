"""Snapshots of every example question (examples/intents): `mips check` in text, markdown, html and json,
byte for byte, each answered as of June 30 of its performance year at 19:59 Eastern (one minute before
the CAHPS registration close of 2023 and 2026). Regenerate with `pytest --snapshot-update` after an
intended change and review the diff."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from engine import jsonout
from engine.api import rulebook_for
from engine.check import ask, intent_from_file
from engine.explain.render import render_answer
from questions import EASTERN

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INTENTS = sorted((PROJECT_ROOT / "examples" / "intents").glob("*.yaml"))
FORMATS = {"text": ("check.txt.j2", "txt"), "markdown": ("check.md.j2", "md"), "html": ("check.html.j2", "html"),
           "json": (None, "json")}


def extension(suffix: str) -> type[SingleFileSnapshotExtension]:
    return type(f"{suffix.title()}Snapshot", (SingleFileSnapshotExtension,),
                {"_write_mode": WriteMode.TEXT, "file_extension": suffix})


def output(path: Path, fmt: str) -> str:
    intent, document, name = intent_from_file(path)
    moment = datetime(intent.performance_year, 6, 30, 19, 59, tzinfo=EASTERN)
    answer = ask(intent, intent.question, rulebook_for(str(intent.performance_year)), moment,
                 str(path.relative_to(PROJECT_ROOT)), document)
    template = FORMATS[fmt][0]
    return jsonout.dumps(answer.to_data()) if template is None else render_answer(answer, template)


def test_there_are_examples_of_both_questions():
    assert {intent_from_file(p)[0].question for p in INTENTS} == {"registration", "eligibility"}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("path", INTENTS, ids=[p.stem for p in INTENTS])
def test_output(snapshot, path, fmt):
    text = output(path, fmt)
    assert text == output(path, fmt)  # deterministic
    assert text == snapshot(extension_class=extension(FORMATS[fmt][1]))
