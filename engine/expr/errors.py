"""Exceptions raised by the expression language."""

from __future__ import annotations


class ExpressionError(Exception):
    """Base class of every error raised by the expression language."""


class ExpressionSyntaxError(ExpressionError):
    """The source is not a valid expression; line and column (1-based) locate the offending token."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class ExpressionEvalError(ExpressionError):
    """A valid expression could not be evaluated (missing value, wrong type, division by zero...)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
