"""Tokenizer: splits expression source into tokens that carry their 1-based line and column."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .errors import ExpressionSyntaxError

MAX_LENGTH = 10_000
KEYWORDS = frozenset({"and", "or", "not", "in", "if", "else", "true", "false", "null"})
NUMBER, STRING, NAME, KEYWORD, OP, END = "number", "string", "name", "keyword", "op", "end"

_TOKEN = r"""
      (?P<space>\s+)
    | (?P<number>[0-9]+(?:\.[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<op>==|!=|<=|>=|[-+*/<>()\[\],])
"""
_NUMBER_TAIL = r"[A-Za-z0-9_.]+"
_ESCAPE = r"\\(.)"
_HINTS = {
    "=": "'=' is not an operator; use '==' to compare",
    "!": "'!' is not an operator; use 'not' or '!='",
    "&": "'&' is not an operator; use 'and'",
    "|": "'|' is not an operator; use 'or'",
    "'": "unterminated string",
    '"': "unterminated string",
}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The token, number tail and escape patterns, compiled when an expression is first read (a rulebook
    read back from the cache parses none)."""
    return re.compile(_TOKEN, re.VERBOSE), re.compile(_NUMBER_TAIL), re.compile(_ESCAPE)


class Token(NamedTuple):
    """One token; `value` is the decoded text of a string literal."""

    kind: str
    text: str
    line: int
    column: int
    value: str = ""


def tokenize(source: str) -> list[Token]:
    """Split source into tokens, ending with an END token placed just after the last token."""
    if len(source) > MAX_LENGTH:
        raise ExpressionSyntaxError(
            f"expression is too long ({len(source)} characters; the limit is {MAX_LENGTH})", 1, 1)
    tokens: list[Token] = []
    pattern = _patterns()[0]
    pos, line, line_start = 0, 1, 0
    while pos < len(source):
        match = pattern.match(source, pos)
        column = pos - line_start + 1
        if match is None:
            char = source[pos]
            raise ExpressionSyntaxError(_HINTS.get(char, f"unexpected character {char!r}"), line, column)
        text, kind = match.group(), match.lastgroup
        if kind == "space":
            if "\n" in text:
                line += text.count("\n")
                line_start = pos + text.rindex("\n") + 1
        else:
            tokens.append(_token(str(kind), text, line, column, source, match.end()))
        pos = match.end()
    last = tokens[-1] if tokens else Token(END, "", 1, 1)
    tokens.append(Token(END, "", last.line, last.column + len(last.text)))
    return tokens


def _token(kind: str, text: str, line: int, column: int, source: str, end: int) -> Token:
    """Validate one matched token and build it."""
    _, number_tail, escapes = _patterns()
    if kind == NUMBER and (tail := number_tail.match(source, end)):
        raise ExpressionSyntaxError(f"invalid number '{text}{tail.group()}'", line, column)
    if kind == STRING:
        for escape in escapes.finditer(text, 1, len(text) - 1):
            if escape.group(1) not in "\\'\"":
                raise ExpressionSyntaxError(
                    f"invalid escape '{escape.group()}' in string; only \\\\, \\' and \\\" are allowed",
                    line, column + escape.start())
        return Token(STRING, text, line, column, escapes.sub(r"\1", text[1:-1]))
    if kind == NAME:
        _check_name(text, line, column)
        if source.startswith(".", end):
            raise ExpressionSyntaxError("expected a name after '.'", line, column + len(text))
        if text in KEYWORDS:
            kind = KEYWORD
    return Token(kind, text, line, column)


def _check_name(text: str, line: int, column: int) -> None:
    """Reject private segments (`_x`, `a__b`) and reserved words inside dotted names."""
    for segment in text.split("."):
        if segment.startswith("_") or "__" in segment:
            raise ExpressionSyntaxError(f"attribute/private access is not allowed: '{segment}'", line, column)
        if segment in KEYWORDS and segment != text:
            raise ExpressionSyntaxError(f"'{segment}' is a reserved word and cannot be part of a name",
                                        line, column)
        column += len(segment) + 1
