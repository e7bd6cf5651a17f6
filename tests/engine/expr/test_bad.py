"""Expressions that must be rejected: exact syntax errors (with position) and evaluation errors."""

from decimal import Decimal

import pytest

from engine.expr import ExpressionEvalError, ExpressionSyntaxError, compile_expression, round_decimal

ALLOWED = ("abs, all, any, chain, clamp, coalesce, concat, count, decile, decile_points, difference, filter_in, "
           "filter_out, find, get, interpolate, intersection, item, len, max, min, missing, pick, pluck, present, "
           "remove_suffix, round, sum")
MODES = "half_up, half_even, half_down, up, down, ceiling, floor"


@pytest.mark.parametrize("source, message, line, column", [
    # no way to reach Python objects
    ("__import__('os')", "attribute/private access is not allowed: '__import__'", 1, 1),
    ("x.__class__", "attribute/private access is not allowed: '__class__'", 1, 3),
    ("facts._secret", "attribute/private access is not allowed: '_secret'", 1, 7),
    ("facts.a__b", "attribute/private access is not allowed: 'a__b'", 1, 7),
    ("open('f')", f"unknown function 'open'; allowed: {ALLOWED}", 1, 1),
    ("1 + facts.name.upper()", f"unknown function 'facts.name.upper'; allowed: {ALLOWED}", 1, 5),
    ("facts.items[0]", "unexpected '['", 1, 12),
    ("facts.if", "'if' is a reserved word and cannot be part of a name", 1, 7),
    # arity is checked when parsing
    ("round(x, 2)", "round() takes 3 arguments (value, places, mode), got 2", 1, 1),
    ("abs(1, 2)", "abs() takes 1 argument (value), got 2", 1, 1),
    ("min()", "min() takes a list or at least 2 arguments, got 0", 1, 1),
    ("coalesce(x)", "coalesce() takes at least 2 arguments (value, fallback, ...), got 1", 1, 1),
    ("clamp(x, 1)", "clamp() takes 3 arguments (value, low, high), got 2", 1, 1),
    ("round(x, 2, 'nearest')", f"unknown rounding mode 'nearest'; allowed: {MODES}", 1, 13),
    ("round(x, 2.5, 'up')", "round() places must be a whole number >= 0, got 2.5", 1, 10),
    ("round(x, '2', 'up')", "'round()' requires a number, got string", 1, 10),
    # missing operands and brackets
    ("1 +", "expected an expression after '+'", 1, 4),
    ("1 + * 2", "expected an expression after '+'", 1, 5),
    ("not", "expected an expression after 'not'", 1, 4),
    ("(1", "expected ')' to close '(' at line 1, column 1", 1, 3),
    ("1)", "unexpected ')'", 1, 2),
    (")", "unexpected ')'", 1, 1),
    ("[1 2]", "expected ',' or ']' to close '[' at line 1, column 1", 1, 4),
    ("min(1, 2", "expected ',' or ')' to close '(' at line 1, column 4", 1, 9),
    ("abs(,)", "expected an expression after '('", 1, 5),
    ("", "empty expression", 1, 1),
    ("  \n  ", "empty expression", 1, 1),
    ("a b", "unexpected 'b'", 1, 3),
    ("a not b", "unexpected 'not'", 1, 3),
    ("1 'a'", "unexpected 'a'", 1, 3),
    ("'a' \"b\"", "unexpected \"b\"", 1, 5),
    ("a if b", "expected 'else' after 'if' condition", 1, 7),
    ("a if b c", "expected 'else' after 'if' condition", 1, 8),
    # tokens
    ("a = 1", "'=' is not an operator; use '==' to compare", 1, 3),
    ("!a", "'!' is not an operator; use 'not' or '!='", 1, 1),
    ("a && b", "'&' is not an operator; use 'and'", 1, 3),
    ("a || b", "'|' is not an operator; use 'or'", 1, 3),
    ("'abc", "unterminated string", 1, 1),
    ("x == \"abc", "unterminated string", 1, 6),
    ("'ab\ncd'", "unterminated string", 1, 1),
    ("'a\\nb'", "invalid escape '\\n' in string; only \\\\, \\' and \\\" are allowed", 1, 3),
    ("@", "unexpected character '@'", 1, 1),
    ("1 % 2", "unexpected character '%'", 1, 3),
    ("1e5", "invalid number '1e5'", 1, 1),
    ("2.", "invalid number '2.'", 1, 1),
    ("1_000", "invalid number '1_000'", 1, 1),
    (".5", "unexpected character '.'", 1, 1),
    ("+5", "unexpected '+'", 1, 1),
    ("facts.", "expected a name after '.'", 1, 6),
    ("facts.1", "expected a name after '.'", 1, 6),
    # positions in multi-line sources
    ("facts.a +\n  facts.b *\n  ", "expected an expression after '*'", 2, 12),
    ("min(\n  facts.a,\n  facts.b @\n)", "unexpected character '@'", 3, 11),
    # limits
    ("x" * 10_001, "expression is too long (10001 characters; the limit is 10000)", 1, 1),
    ("(" * 101 + "1" + ")" * 101, "expression is nested too deeply (more than 100 levels)", 1, 101),
    ("[" * 101 + "]" * 101, "expression is nested too deeply (more than 100 levels)", 1, 101),
    ("-" * 101 + "1", "expression is nested too deeply (more than 100 levels)", 1, 1),
    ("abs(" * 101 + "1" + ")" * 101, "expression is nested too deeply (more than 100 levels)", 1, 404),
])
def test_syntax_error(source, message, line, column):
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression(source)
    error = caught.value
    assert (error.message, error.line, error.column) == (message, line, column)
    assert str(error) == f"line {line}, column {column}: {message}"


def test_syntax_errors_report_position_of_runaway_nesting_without_recursion_error():
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        compile_expression("(" * 5000 + ")" * 5000)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        compile_expression("not " * 2400 + "true")


def test_source_must_be_a_string():
    with pytest.raises(TypeError, match="expression source must be a string, got int"):
        compile_expression(75)  # type: ignore[arg-type]


@pytest.mark.parametrize("source, values, message", [
    # a missing operand names its reference
    ("facts.quality.score + 1", {"facts.quality.score": None},
     "cannot apply '+' to a missing value (facts.quality.score is missing)"),
    ("10 * (facts.x)", {"facts.x": None}, "cannot apply '*' to a missing value (facts.x is missing)"),
    ("-facts.x", {"facts.x": None}, "cannot apply '-' to a missing value (facts.x is missing)"),
    ("facts.x < 3", {"facts.x": None}, "cannot apply '<' to a missing value (facts.x is missing)"),
    ("3 >= facts.x", {"facts.x": None}, "cannot apply '>=' to a missing value (facts.x is missing)"),
    ("coalesce(facts.x, null) + 1", {"facts.x": None}, "cannot apply '+' to a missing value"),
    ("min(facts.bonus, 3)", {"facts.bonus": None},
     "cannot apply 'min()' to a missing value (facts.bonus is missing)"),
    ("round(facts.x, 2, 'up')", {"facts.x": None},
     "cannot apply 'round()' to a missing value (facts.x is missing)"),
    ("sum(facts.items)", {"facts.items": None},
     "cannot apply 'sum()' to a missing value (facts.items is missing)"),
    ("sum([1, facts.x])", {"facts.x": None}, "cannot apply 'sum()' to a missing value"),
    ("facts.flag or true", {"facts.flag": None},
     "cannot apply 'or' to a missing value (facts.flag is missing)"),
    ("1 if facts.flag else 2", {"facts.flag": None},
     "cannot apply 'if' to a missing value (facts.flag is missing)"),
    ("1 in facts.codes", {"facts.codes": None},
     "cannot apply 'in' to a missing value (facts.codes is missing)"),
    # division
    ("1 / 0", {}, "division by zero"),
    ("facts.x / (2 - 2.0)", {"facts.x": 1}, "division by zero"),
    # booleans are required, no truthiness
    ("1 and true", {}, "'and' requires a boolean, got number"),
    ("true and 'yes'", {}, "'and' requires a boolean, got string"),
    ("false or null", {}, "cannot apply 'or' to a missing value"),
    ("not 'yes'", {}, "'not' requires a boolean, got string"),
    ("1 if 'x' else 2", {}, "'if' requires a boolean, got string"),
    # types
    ("1 < 'a'", {}, "cannot compare number with string using '<'"),
    ("'a' >= 1", {}, "cannot compare string with number using '>='"),
    ("true < false", {}, "cannot compare boolean with boolean using '<'"),
    ("[1] < [2]", {}, "cannot compare list with list using '<'"),
    ("1 in 5", {}, "'in' requires a list, got number"),
    ("'a' not in 'abc'", {}, "'not in' requires a list, got string"),
    ("'a' + 'b'", {}, "'+' requires a number, got string"),
    ("1 + true", {}, "'+' requires a number, got boolean"),
    ("-[1]", {}, "'-' requires a number, got list"),
    # functions
    ("sum([1, 'a'])", {}, "'sum()' requires a number, got string"),
    ("sum(3)", {}, "'sum()' requires a list, got number"),
    ("any([1])", {}, "'any()' requires a boolean, got number"),
    ("count([true, null])", {}, "cannot apply 'count()' to a missing value"),
    ("min([])", {}, "'min()' requires a non-empty list"),
    ("max(5)", {}, "'max()' requires a list, got number"),
    ("clamp(5, 10, 1)", {}, "'clamp()' requires low <= high, got 10 > 1"),
    ("abs('x')", {}, "'abs()' requires a number, got string"),
    ("round(1.5, facts.places, 'up')", {"facts.places": -1}, "round() places must be a whole number >= 0, got -1"),
    ("round(1.5, 0, facts.mode)", {"facts.mode": "nearest"}, f"unknown rounding mode 'nearest'; allowed: {MODES}"),
    ("round(1, 40, 'up')", {}, "cannot round 1 to 40 decimal places"),
    # values supplied by lookup
    ("facts.x", {"facts.x": 1.5}, "facts.x has unsupported type float (expected Decimal, int, bool, str, None, a list or a record)"),
    ("facts.x + 1", {"facts.x": Decimal("NaN")}, "facts.x is not a finite number (NaN)"),
    ("facts.x * facts.x", {"facts.x": Decimal("9e999999")}, "arithmetic error (Overflow)"),
])
def test_evaluation_error(source, values, message):
    expression = compile_expression(source)
    with pytest.raises(ExpressionEvalError) as caught:
        expression.evaluate(lambda name: values[name])
    assert caught.value.message == message
    assert str(caught.value) == message


def test_round_decimal_rejects_unknown_mode():
    with pytest.raises(ExpressionEvalError, match="unknown rounding mode 'bankers'"):
        round_decimal(Decimal("1.5"), 0, "bankers")
