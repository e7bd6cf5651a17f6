"""A small, safe expression language for rulebooks.

    expr = compile_expression("min(facts.bonus, params.cap) if present(facts.bonus) else 0")
    expr.names                  # ('facts.bonus', 'params.cap')
    value = expr.evaluate(lookup)   # lookup(dotted_name) -> Decimal | int | bool | str | None | list
"""

from .errors import ExpressionError, ExpressionEvalError, ExpressionSyntaxError
from .evaluator import Expression, compile_expression
from .functions import CONTEXT, ROUNDING_MODES, round_decimal
from .nodes import Record, Value

__all__ = [
    "CONTEXT", "ROUNDING_MODES", "Expression", "ExpressionError", "ExpressionEvalError", "ExpressionSyntaxError",
    "Record", "Value", "compile_expression", "round_decimal",
]
