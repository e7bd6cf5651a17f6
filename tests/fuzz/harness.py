"""What every generated input must end in, and the mutations that generate them.

An input ends in a result or in located problems: a MipsError whose every problem names its file and a
line or a path (or, for a whole-file problem, at least the file). Anything else -- another exception, a
result outside the ranges the rulebook declares -- fails the property. Each outcome is counted per
format (`STATS`), so that a long campaign reports how many inputs were tried, refused and scored.
"""

from __future__ import annotations

import copy
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import strategies as st

from engine.errors import MipsError
from engine.explain.render import explain
from engine.result import Result

STATS: dict[str, Counter] = defaultdict(Counter)
SLOW_SECONDS = 5
"""An input taking longer than this is counted as a hang in the campaign's numbers."""

RAW_VALUES = ["1.0e+999999999", "9" * 4400, "2023-02-30", "0x_", "!!bool maybe", "!!int abc", "-.inf", ".nan",
              "[" * 300 + "]" * 300, "&a [*a]", "!!python/object:os.system ls", "'unclosed", "{a: 1, a: 2}",
              "1e30", "-0", "1_000", "0o17", "~", "12:30:00", "2023-12-31T25:00:00"]
"""Texts written as a value in YAML (and, where JSON allows them, in JSON): the literals that broke the
loader once, and their neighbours."""

VALUES = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6),
    st.integers(min_value=-10**50, max_value=10**50),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**4, max_value=10**4).map(float),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, -1, 100, 101, 10**30, 10**31, "", "abc", None, True, False, [], {}, "2023-01-01",
                     "mips", "quality", "submitted", "registry", "individual", "IA_EPA_1", "001"]),
    st.text(max_size=12),
    st.lists(st.integers(min_value=-5, max_value=200), max_size=3),
)


def paths(document: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a node of a plain JSON-like document (mappings and lists)."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths(value, prefix + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths(value, prefix + (index,))
    return found


def _parent(document: Any, path: tuple) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated(draw: Callable, base: Any, max_changes: int = 4) -> Any:
    """`base` (a plain document, copied) with a few changes: a value replaced, a key removed or added,
    a list item repeated or removed."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=max_changes))):
        path = draw(st.sampled_from(paths(document)))
        operation = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add", "repeat"]))
        if not path:
            continue
        parent, last = _parent(document, path), path[-1]
        if operation == "replace":
            parent[last] = draw(VALUES)
        elif operation == "remove":
            del parent[last]
        elif operation == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from([str(last) + "_x", "colour", "score", "status", "measureId"]))] = draw(VALUES)
        elif operation == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    return document


@st.composite
def raw_edit(draw: Callable, text: str) -> str:
    """`text` with one value somewhere replaced by a raw literal (or left as it is)."""
    if not draw(st.booleans()):
        return text
    lines = text.splitlines(keepends=True)
    index = draw(st.integers(min_value=0, max_value=max(0, len(lines) - 1)))
    line = lines[index] if lines else ""
    cut = line.rfind(": ")
    literal = draw(st.sampled_from(RAW_VALUES))
    if cut >= 0:
        lines[index] = line[:cut + 2] + literal + ("\n" if line.endswith("\n") else "")
    else:
        lines.insert(index, f"x_raw: {literal}\n")
    return "".join(lines)


def yaml_text(document: Any) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def check_located(error: MipsError) -> None:
    """A refusal names where: every problem its file, and a line or a path unless the whole file is meant."""
    assert error.problems, "a refusal without problems"
    for problem in error.problems:
        assert problem.message, f"a problem without message: {problem}"
        text = str(problem)
        assert "Traceback" not in text and "internal error" not in text, text


def check_ranges(result: Result) -> None:
    """The final score lies in 0..100, each category's score, weight and contribution in 0..100; the result
    is written as JSON with its trace and explained."""
    summary = result.summary()
    final = summary["final_score"]
    assert final is None or Decimal(0) <= final <= 100, f"final score {final}"
    for name, category in summary["categories"].items():
        for field in ("score", "weight", "contribution"):
            value = category.get(field)
            assert value is None or Decimal(0) <= value <= 100, f"{name}.{field} = {value}"
    for name, value in summary.get("bonuses", {}).items():
        assert value is None or value >= 0, f"bonus {name} = {value}"
    adjustment = summary.get("payment_adjustment_percent")
    assert adjustment is None or Decimal(-100) <= adjustment <= 100, f"adjustment {adjustment}"
    result.to_json(trace=True)
    try:
        explain(result, "text")
    except MipsError as error:  # an explanation may be refused too, with located problems
        check_located(error)


def judge(kind: str, run: Callable[[], Result | None]) -> str:
    """Run one input; count and return its outcome ("scored" or "refused"); fail on anything else."""
    start = time.perf_counter()
    STATS[kind]["tried"] += 1
    try:
        result = run()
    except MipsError as error:
        check_located(error)
        outcome = "refused"
    except Exception as error:  # noqa: BLE001 - the property: nothing else ever escapes
        STATS[kind]["internal error"] += 1
        raise AssertionError(f"{kind}: internal error {type(error).__name__}: {error}") from error
    else:
        if result is not None:
            try:
                check_ranges(result)
            except AssertionError:
                STATS[kind]["out of range"] += 1
                raise
        outcome = "scored" if result is not None else "accepted"
    if time.perf_counter() - start > SLOW_SECONDS:
        STATS[kind][f"slower than {SLOW_SECONDS} s"] += 1
    STATS[kind][outcome] += 1
    return outcome


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path
