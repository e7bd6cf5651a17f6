"""What the explanation templates read from a trace, checked against a rulebook.

Templates name rule outputs (`v.out('quality.score')`) and the values a rule read
(`v.read('ia.score', 'params.improvement_activities.max_points')`). A rulebook that renames the output
or rewrites the rule so that it no longer reads that value would break the explanation of every case,
so `mips rulebook validate` checks each name a template writes out in full. An output a template
tests with `v.has('NAME')` is optional: a year may lack it (a macro may be called under a test in
another template).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from engine.errors import Problem
from engine.rulebook.compiled import Rulebook

_OUTPUT = r"""\bv\.(out|step|choices|unconfirmed_at)\(\s*(['"])([a-z0-9_.]+)\2\s*\)"""
_HAS = r"""\bv\.has\(\s*(['"])([a-z0-9_.]+)\1\s*\)"""
_READ = r"""\bv\.read\(\s*(['"])([a-z0-9_.]+)\1\s*,\s*(['"])([a-z0-9_.]+)\3\s*\)"""


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns of outputs, tests and reads, compiled when templates are first checked (rendering
    needs none)."""
    return re.compile(_OUTPUT), re.compile(_HAS), re.compile(_READ)


def template_problems(rulebook: Rulebook, folder: Path) -> list[Problem]:
    """Every literal output or read of the templates in `folder` that the rulebook does not have."""
    problems: list[Problem] = []
    outputs, tests, reads = _patterns()
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.j2"))}
    optional = {match.group(2) for text in texts.values() for match in tests.finditer(text)} - set(rulebook.outputs)
    for path, text in texts.items():
        name = (Path(folder.name) / path.relative_to(folder)).as_posix()
        for number, line in enumerate(text.splitlines(), start=1):
            for match in outputs.finditer(line):
                message = None if match.group(3) in optional else output_problem(rulebook, match.group(3))
                if message:
                    problems.append(Problem(name, number, match.start() + 1, "", message))
            for match in reads.finditer(line):
                if match.group(2) in optional:
                    continue
                message = output_problem(rulebook, match.group(2)) or read_problem(rulebook, match.group(2),
                                                                                   match.group(4))
                if message:
                    problems.append(Problem(name, number, match.start() + 1, "", message))
    return problems


def output_problem(rulebook: Rulebook, output: str) -> str | None:
    if output in rulebook.outputs:
        return None
    return (f"the explanation shows '{output}', which no rule of the {rulebook.year} rulebook produces; "
            "restore that rule output or change the template")


def read_problem(rulebook: Rulebook, output: str, read: str) -> str | None:
    rule = rulebook.outputs[output][0]
    if read in rule.reads:
        return None
    return (f"the explanation shows the '{read}' that rule '{rule.id}' reads, and in the {rulebook.year} "
            f"rulebook that rule does not read it ({rule.origin}); restore the read or change the template")
