"""A rulebook that passes validation can be evaluated: the deepest chain of rules the loader allows
scores, explains and writes its trace, even called from deep inside a program."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine import jsonout
from engine.api import score
from engine.explain.render import explain
from engine.rulebook.loader import check_rulebook
from engine.rulebook.references import MAX_DEPTH, RULE_DEPTH

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CALLER_DEPTH = 200
"""Frames a caller (a command line, a web server, a test runner) may already use."""


def chain(length: int) -> str:
    rules = ["description: A chain of rules, each adding one to the one before.", "rules:"]
    for n in range(length):
        value = f"gap.chain.r{n - 1} + 1" if n else '"0"'
        rules += [f"  - id: gap.chain.r{n}", "    new: true", "    description: one step", f"    value: {value}",
                  '    source: "cfr-414.1405 test"', "    status: confirmed"]
    return "\n".join(rules) + "\n"


def nested(depth: int, call):
    return call() if depth == 0 else nested(depth - 1, call)


def test_the_deepest_chain_allowed_is_evaluated(tmp_path, make_case):
    folder = tmp_path / "2023"
    shutil.copytree(PROJECT_ROOT / "rulebooks" / "2023", folder)
    length = MAX_DEPTH // (RULE_DEPTH + 1) - 1   # each rule nests `r + 1` one level
    (folder / "rules" / "chain.yaml").write_text(chain(length), encoding="utf-8")
    rulebook, problems = check_rulebook(str(folder))
    assert [p for p in problems if "too deeply" in p.message] == []
    assert rulebook is not None and not problems
    result = nested(CALLER_DEPTH, lambda: score(make_case(), rulebook))
    assert result.value(f"gap.chain.r{length - 1}") == length - 1
    assert nested(CALLER_DEPTH, lambda: jsonout.dumps(result.to_data()))
    assert nested(CALLER_DEPTH, lambda: explain(result, "html"))
