"""Expressions that compile and evaluate: results, precedence, laziness and metadata."""

from decimal import ROUND_DOWN, Decimal, localcontext

import pytest

from engine.expr import ROUNDING_MODES, compile_expression, round_decimal

D = Decimal


def run(source: str, values: dict | None = None):
    """Evaluate with a lookup that fails loudly on any name it was not given."""
    values = values or {}
    return compile_expression(source).evaluate(lambda name: values[name])


class Recorder:
    """A lookup that records each call and refuses the names in `forbidden`."""

    def __init__(self, values: dict, forbidden: tuple[str, ...] = ()):
        self.values, self.forbidden, self.calls = values, forbidden, []

    def __call__(self, name: str):
        assert name not in self.forbidden, f"{name} must not be looked up"
        self.calls.append(name)
        return self.values[name]


@pytest.mark.parametrize("source, expected", [
    ("75", D("75")),
    ("2.15", D("2.15")),
    ("007", D("7")),
    ("'it\\'s'", "it's"),
    ('"say \\"hi\\" \\\\ bye"', 'say "hi" \\ bye'),
    ("'double \" inside single'", 'double " inside single'),
    ("true", True),
    ("false", False),
    ("null", None),
    ("[]", ()),
    ("[1, 'a', true, null,]", (D(1), "a", True, None)),
    ("[[1], []]", ((D(1),), ())),
])
def test_literals(source, expected):
    assert run(source) == expected


@pytest.mark.parametrize("source, expected", [
    ("0.1 + 0.2", D("0.3")),
    ("2.15 * (90 - 75) / 25", D("1.29")),
    ("1 / 3", D("0.3333333333333333333333333333333333")),
    ("2 / 3", D("0.6666666666666666666666666666666667")),
    ("10 - 4 - 3", D(3)),
    ("8 / 4 / 2", D(1)),
    ("1 + 2 * 3", D(7)),
    ("(1 + 2) * 3", D(9)),
    ("2 * 3 - 4 / 2 + 1", D(5)),
    ("-2 * 3", D(-6)),
    ("2 * -3", D(-6)),
    ("- - 2", D(2)),
    ("-(1 - 3)", D(2)),
])
def test_arithmetic_is_exact_decimal_with_python_precedence(source, expected):
    result = run(source)
    assert type(result) is Decimal and result == expected


def test_exact_decimal_equality_in_the_language():
    assert run("0.1 + 0.2 == 0.3") is True
    assert run("2.15 * (90 - 75) / 25 == 1.29") is True


def test_arithmetic_ignores_the_callers_decimal_context():
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = 3, ROUND_DOWN
        assert run("2 / 3") == D("0.6666666666666666666666666666666667")
        assert round_decimal(D("2.675"), 2, "half_up") == D("2.68")


@pytest.mark.parametrize("source, expected", [
    ("not true or true", True),
    ("not (true or true)", False),
    ("true or true and false", True),
    ("(true or true) and false", False),
    ("not 1 == 2", True),
    ("not not true", True),
    ("1 + 1 == 2 and 3 > 2", True),
    ("2 in [1, 2] and not 3 in [1, 2]", True),
    ("1 if false else 2 + 3", D(5)),
    ("1 if false else 2 if false else 3", D(3)),
    ("(1 if true else 2) + 10", D(11)),
    ("'a' if 1 < 2 or false else 'b'", "a"),
])
def test_boolean_and_conditional_precedence(source, expected):
    assert run(source) == expected


@pytest.mark.parametrize("score, expected", [(50, True), (0, True), (100, True), (101, False), (-1, False)])
def test_comparison_chain_is_a_conjunction(score, expected):
    assert run("0 <= facts.score <= 100", {"facts.score": score}) is expected


def test_comparison_chain_looks_up_middle_operand_once():
    lookup = Recorder({"facts.score": 150, "params.cap": 100})
    assert compile_expression("0 <= facts.score <= params.cap").evaluate(lookup) is False
    assert lookup.calls == ["facts.score", "params.cap"]


def test_comparison_chain_stops_at_first_false_link():
    lookup = Recorder({"facts.score": -5}, forbidden=("params.cap",))
    assert compile_expression("0 <= facts.score <= params.cap").evaluate(lookup) is False


@pytest.mark.parametrize("source, expected", [
    ("1 < 2 > 1.5", True),
    ("1 < 2 == true", False),
    ("(1 < 2) == true", True),
    ("1 == 1.0", True),
    ("1 != 1.00", False),
    ("null == null", True),
    ("null != 0", True),
    ("true == 1", False),
    ("false == 0", False),
    ("'1' == 1", False),
    ("'abc' == \"abc\"", True),
    ("[1, 2] == [1.0, 2]", True),
    ("[true] == [1]", False),
    ("[1] == [1, 1]", False),
    ("'apple' < 'banana'", True),
    ("2.5 >= 2.50", True),
])
def test_equality_and_ordering(source, expected):
    assert run(source) is expected


@pytest.mark.parametrize("source, expected", [
    ("2 in [1, 2]", True),
    ("2.0 in [1, 2]", True),
    ("3 in []", False),
    ("'x' not in ['a', 'b']", True),
    ("'a' not in ['a', 'b']", False),
    ("null in [1, null]", True),
    ("true in [1]", False),
    ("[1] in [[1], [2]]", True),
])
def test_membership(source, expected):
    assert run(source) is expected


def test_lookup_values_are_normalised():
    values = {"facts.count": 3, "facts.codes": ["A", "B"], "facts.items": [1, [2]]}
    assert run("facts.count", values) == D(3) and type(run("facts.count", values)) is Decimal
    assert run("facts.codes", values) == ("A", "B")
    assert run("facts.items", values) == (D(1), (D(2),))
    assert run("'B' in facts.codes and facts.count * 2 == 6", values) is True


def test_names_are_resolved_only_by_full_dotted_name():
    lookup = Recorder({"facts.quality.score": D("87.5"), "final_score": 1})
    assert compile_expression("facts.quality.score + final_score").evaluate(lookup) == D("88.5")
    assert lookup.calls == ["facts.quality.score", "final_score"]


def test_lookup_is_called_once_per_reference_reached():
    lookup = Recorder({"facts.x": 2})
    assert compile_expression("facts.x * facts.x").evaluate(lookup) == D(4)
    assert lookup.calls == ["facts.x", "facts.x"]


@pytest.mark.parametrize("source, values, forbidden, expected", [
    ("facts.a if true else facts.boom", {"facts.a": 1}, ("facts.boom",), D(1)),
    ("facts.boom if false else facts.a", {"facts.a": 1}, ("facts.boom",), D(1)),
    ("false and facts.boom", {}, ("facts.boom",), False),
    ("true or facts.boom", {}, ("facts.boom",), True),
    ("facts.flag and facts.boom", {"facts.flag": False}, ("facts.boom",), False),
    ("false or false or true or facts.boom", {}, ("facts.boom",), True),
    ("coalesce(facts.a, facts.boom)", {"facts.a": 0}, ("facts.boom",), D(0)),
    ("coalesce(facts.a, facts.b, facts.boom)", {"facts.a": None, "facts.b": "x"}, ("facts.boom",), "x"),
])
def test_untaken_branches_and_short_circuits_are_not_looked_up(source, values, forbidden, expected):
    assert compile_expression(source).evaluate(Recorder(values, forbidden)) == expected


def test_and_or_return_booleans():
    assert run("true and true") is True
    assert run("false or false") is False


def test_source_names_and_functions():
    expr = compile_expression("min(facts.bonus, params.cap) if present(facts.bonus) else 0")
    assert expr.source == "min(facts.bonus, params.cap) if present(facts.bonus) else 0"
    assert expr.names == ("facts.bonus", "params.cap")
    assert expr.functions == ("min", "present")


def test_names_keep_first_appearance_order_without_duplicates():
    expr = compile_expression("facts.b + facts.a * facts.b if present(params.c) and facts.a > 0 else facts.d")
    assert expr.names == ("facts.b", "facts.a", "params.c", "facts.d")
    assert compile_expression("round(abs(round(x, 0, 'up')), 1, 'up')").functions == ("round", "abs")
    assert compile_expression("1 + 2").names == ()


def test_multiline_source_treats_newlines_as_whitespace():
    source = "min(\n  facts.bonus,\n  params.cap\n)\nif present(facts.bonus)\nelse 0\n"
    assert run(source, {"facts.bonus": 7, "params.cap": 5}) == D(5)


@pytest.mark.parametrize("source, expected", [
    ("min(3, 1, 2)", D(1)),
    ("max(3, 1, 2)", D(3)),
    ("min([4, 2.5])", D("2.5")),
    ("max([4])", D(4)),
    ("clamp(5, 0, 10)", D(5)),
    ("clamp(-5, 0, 10)", D(0)),
    ("clamp(15, 0, 10)", D(10)),
    ("abs(-2.5)", D("2.5")),
    ("abs(3)", D(3)),
    ("present(1)", True),
    ("present(null)", False),
    ("missing(null)", True),
    ("missing(false)", False),
    ("coalesce(null, null, 3)", D(3)),
    ("coalesce(null, null)", None),
    ("sum([1, 2.5, -0.5])", D(3)),
    ("sum([])", D(0)),
    ("count([true, false, true])", D(2)),
    ("count([])", D(0)),
    ("any([false, true])", True),
    ("any([])", False),
    ("all([true, true])", True),
    ("all([true, false])", False),
    ("all([])", True),
    ("round(2.345, 2, 'half_up')", D("2.35")),
    ("round(2, 2, 'half_up')", D("2.00")),
])
def test_functions(source, expected):
    assert run(source) == expected


def test_function_arguments_from_lookup():
    values = {"facts.bonus": None, "params.cap": 10, "facts.items": [1, 2, 3]}
    expr = "min(facts.bonus, params.cap) if present(facts.bonus) else sum(facts.items)"
    assert run(expr, values) == D(6)


_ROUNDING = {  # mode: (2.5, -2.5, 3.5, 0.125 to 2 places, -0.125 to 2 places)
    "half_up": ("3", "-3", "4", "0.13", "-0.13"),
    "half_even": ("2", "-2", "4", "0.12", "-0.12"),
    "half_down": ("2", "-2", "3", "0.12", "-0.12"),
    "up": ("3", "-3", "4", "0.13", "-0.13"),
    "down": ("2", "-2", "3", "0.12", "-0.12"),
    "ceiling": ("3", "-2", "4", "0.13", "-0.12"),
    "floor": ("2", "-3", "3", "0.12", "-0.13"),
}


@pytest.mark.parametrize("mode", list(_ROUNDING))
def test_every_rounding_mode_at_half_boundaries(mode):
    cases = [("2.5", 0), ("-2.5", 0), ("3.5", 0), ("0.125", 2), ("-0.125", 2)]
    for (value, places), expected in zip(cases, _ROUNDING[mode]):
        assert run(f"round({value}, {places}, '{mode}')") == D(expected)
        assert round_decimal(D(value), places, mode) == D(expected)


def test_rounding_modes_mapping_and_round_decimal():
    assert set(ROUNDING_MODES) == set(_ROUNDING)
    assert str(round_decimal(D("1.5"), 3, "half_even")) == "1.500"
    assert str(round_decimal(D("-0.4"), 0, "half_up")) == "0"
    assert run("round(facts.x, facts.places, facts.mode)",
               {"facts.x": D("1.005"), "facts.places": 2, "facts.mode": "half_even"}) == D("1.00")


def test_nesting_up_to_the_limit_is_accepted():
    assert run("(" * 100 + "1" + ")" * 100) == D(1)
    assert run("-" * 100 + "1") == D(1)
    assert run("abs(" * 99 + "-1" + ")" * 99) == D(1)
    assert run("[" * 100 + "]" * 100) is not None


def test_long_flat_expressions_up_to_the_length_limit_are_accepted():
    source = " + ".join(["1"] * 2500) + "   "
    assert len(source) == 10_000 and run(source) == D(2500)
    assert run(" and ".join(["true"] * 1000)) is True
    assert run("<=".join(["1"] * 1000)) is True
