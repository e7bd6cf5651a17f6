"""Load-time type checks of expressions: what fails for every case is found; what may work is left alone."""

from __future__ import annotations

import pytest

from engine.expr.parser import parse
from engine.rulebook.typecheck import ANY, Type, infer, of, show

NAMES: dict[str, Type] = {
    "n": of("number"), "maybe_n": of("number", "null"), "flag": of("boolean"), "text": of("string"),
    "numbers": of("list", item=of("number")), "texts": of("list", item=of("string")), "records": of("list", item=of("record")),
    "record": of("record"), "anything": ANY,
}


def problems(source: str) -> list[str]:
    found: list[str] = []
    infer(parse(source).node, lambda name: NAMES[name], found)
    return found


@pytest.mark.parametrize("source", [
    "n + maybe_n * 2", "n < maybe_n", "text == \"a\"", "text in texts", "n in numbers",
    "flag and not flag", "n if flag else maybe_n", "sum(numbers) + len(records)", "min(n, 3)", "max(numbers)",
    "anything + 1", "anything < n", "anything in numbers", "present(maybe_n) and maybe_n > 0",
    "coalesce(maybe_n, 0) + 1", "count([flag, flag])", "concat(text, n, flag)", "pluck(records, \"x\")",
    "round(n, 2, \"half_up\")", "text < \"b\"", "null", "maybe_n == null",
])
def test_what_may_work_is_accepted(source):
    assert problems(source) == []


@pytest.mark.parametrize("source, message", [
    ("n >= numbers", "'>=' compares `n` (a number) with `numbers` (a list)"),
    ("n + text", "'+' needs a number, and `text` is a string"),
    ("flag * 2", "'*' needs a number, and `flag` is a boolean"),
    ("n and flag", "'and' needs a boolean, and `n` is a number"),
    ("not n", "'not' needs a boolean, and `n` is a number"),
    ("n if n else 0", "the condition of 'if' needs a boolean, and `n` is a number"),
    ("text in n", "the right side of 'in' needs a list, and `n` is a number"),
    ("text in numbers", "'in' looks for `text` (a string) in a list of numbers; it is never found"),
    ("n == text", "'==' compares `n` (a number) with `text` (a string); they are never equal"),
    ("len(n)", "argument 1 of 'len()' needs a list, and `n` is a number"),
    ("min(n, numbers)", "argument 2 of 'min()' needs a number, and `numbers` is a list"),
    ("record < 1", "'<' compares `record` (a record) with `1` (a number)"),
    ("-(n > 1)", "'-' needs a number, and `n > 1` is a boolean"),
])
def test_what_fails_for_every_case_is_reported(source, message):
    assert problems(source) == [message]


def test_expressions_are_quoted_back_as_written():
    assert show(parse("a + (b - c) * 2 if x in [1, 2] else min(y, \"t\")").node) == \
        "(a + ((b - c) * 2)) if (x in [1, 2]) else min(y, \"t\")"
