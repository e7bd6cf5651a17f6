"""Generated Python statements evaluate an expression exactly as the closures do: the same value or the same
error message, and the same names read in the same order (short-circuits included)."""

import random
from decimal import Decimal, localcontext
from types import MappingProxyType
from typing import Any, Callable

import pytest

from engine.expr import CONTEXT, ExpressionEvalError, ExpressionSyntaxError, compile_expression
from engine.expr.codegen import NAMESPACE, Emitter
from engine.expr.evaluator import compile_node, normal_value

NAMES = ("a", "b", "c", "d", "e")
RECORD = MappingProxyType({"id": "x", "n": Decimal(2)})
VALUES = (Decimal(0), Decimal(3), Decimal("-1.5"), True, False, None, "x", "y", (Decimal(1), Decimal(2)), (), 7,
          (RECORD,), RECORD, ["x", 2], Decimal("Infinity"), (Decimal("NaN"),))
ENVIRONMENTS = [dict(zip(NAMES, values)) for values in (
    (Decimal(3), Decimal(0), True, None, "x"),
    (Decimal("-1.5"), Decimal(2), False, (Decimal(1), Decimal(2)), (RECORD,)),
    (True, None, "y", 7, RECORD),
    (None, False, ["x", 2], Decimal("Infinity"), ()),
    (Decimal(1), Decimal(1), True, True, (Decimal("NaN"),)),
)]


def generated(source: str) -> Callable[[Callable[[str], Any]], Any]:
    """The expression as a generated function of a lookup (each name read through it, then checked)."""
    constants: dict[str, Any] = {}

    def constant(value: Any) -> str:
        name = f"_k{len(constants)}"
        constants[name] = value
        return name

    def read(name: str, target: str, indent: int) -> None:
        out.line(indent, f"{target} = _normal(lookup({name!r}), {name!r})")

    def deep(node: Any, target: str, indent: int) -> None:
        out.line(indent, f"{target} = {constant(compile_node(node))}(lookup)")

    lines: list[str] = []
    out = Emitter(lines, constant, read, deep)
    result = out.emit(compile_expression(source).node, 1)
    namespace = dict(NAMESPACE) | constants | {"_normal": normal_value}
    exec(compile("\n".join(["def run(lookup):", *lines, f"    return {result}"]), "<test>", "exec"), namespace)
    return namespace["run"]


def outcome(run: Callable[[Callable[[str], Any]], Any], environment: dict[str, Any]) -> tuple[Any, list[str]]:
    reads: list[str] = []

    def lookup(name: str) -> Any:
        reads.append(name)
        return environment[name]

    with localcontext(CONTEXT):
        try:
            return ("value", run(lookup)), reads
        except ExpressionEvalError as exc:
            return ("error", str(exc)), reads
        except ArithmeticError as exc:
            return ("arithmetic", type(exc).__name__), reads


def expression(rng: random.Random, depth: int) -> str:
    """A random expression of the language, well-formed but not necessarily well-typed."""
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(NAMES + ("1", "0", "2.5", "'x'", "true", "false", "null", "[1, 2]", "['x', 'y']"))
    sub = lambda: expression(rng, depth - 1)  # noqa: E731
    shape = rng.randrange(12)
    if shape == 0:
        return f"({sub()} {rng.choice(['+', '-', '*', '/'])} {sub()} {rng.choice(['+', '-', '*', '/'])} {sub()})"
    if shape == 1:
        return f"({' and '.join(sub() for _ in range(rng.randrange(2, 4)))})"
    if shape == 2:
        return f"({' or '.join(sub() for _ in range(rng.randrange(2, 4)))})"
    if shape == 3:
        return f"({sub()} {rng.choice(['<', '<=', '>', '>=', '==', '!='])} {sub()})"
    if shape == 4:
        return f"({sub()} < {sub()} <= {sub()} != {sub()})"
    if shape == 5:
        return f"({sub()} if {sub()} else {sub()})"
    if shape == 6:
        return f"({rng.choice(['not ', '-'])}{sub()})"
    if shape == 7:
        return f"({sub()} {rng.choice(['in', 'not in'])} {rng.choice([sub(), '[1, 2, null]', '[' + sub() + ']'])})"
    if shape == 8:
        return f"coalesce({sub()}, {sub()}, {sub()})"
    if shape == 9:
        return f"{rng.choice(['present', 'missing', 'abs', 'len', 'sum', 'count', 'any', 'min', 'max'])}({sub()})"
    if shape == 10:
        name = rng.choice(["min", "max", "get", "concat", "item", "chain", "difference"])
        return f"{name}({sub()}, {sub()})"
    return f"{rng.choice(['clamp', 'find', 'decile', 'interpolate', 'round'])}({sub()}, {sub()}, {sub()})"


@pytest.mark.parametrize("seed", range(8))
def test_random_expressions_agree(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        source = expression(rng, 4)
        try:
            closures = compile_expression(source).run
        except ExpressionSyntaxError:  # a literal argument the parser refuses (round's places and mode)
            continue
        statements = generated(source)
        for environment in ENVIRONMENTS:
            assert outcome(statements, environment) == outcome(closures, environment), source


@pytest.mark.parametrize("source", [
    " and ".join(f"a == {i}" for i in range(60)),
    " or ".join(["b == 7"] * 45 + ["c"]),
    "(" * 50 + "a" + " + 1)" * 50,
    "1 if a > 5 else " * 45 + "c",
    "coalesce(" + ", ".join(["null"] * 50 + ["a"]) + ")",
    " < ".join(["a"] * 50),
])
def test_expressions_too_deep_for_statements_run_as_closures(source: str) -> None:
    closures, statements = compile_expression(source).run, generated(source)
    for environment in ENVIRONMENTS:
        assert outcome(statements, environment) == outcome(closures, environment)
