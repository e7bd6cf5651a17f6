"""item(list, position): the item at a 1-based position, missing past either end."""

from decimal import Decimal as D

import pytest

from engine.expr import ExpressionEvalError, compile_expression

BOUNDS = (D("2.74"), D("41.96"), D("51.36"))


def run(source: str, **names):
    return compile_expression(source).evaluate(lambda n: names[n])


@pytest.mark.parametrize("position, expected", [(D(1), D("2.74")), (D(3), D("51.36")), (D(0), None), (D(4), None),
                                                (D("1.5"), None)])
def test_item_by_position(position, expected):
    assert run("item(b, p)", b=BOUNDS, p=position) == expected


def test_item_needs_a_list_and_a_number():
    with pytest.raises(ExpressionEvalError, match="item"):
        run("item(b, 1)", b=D(3))
    with pytest.raises(ExpressionEvalError, match="item"):
        run('item(b, "1")', b=BOUNDS)
