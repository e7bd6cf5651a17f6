"""Records, list helpers and decile interpolation (benchmarks become points)."""

from decimal import Decimal as D
from types import MappingProxyType

import pytest

from engine.expr import ExpressionEvalError, compile_expression

# PY2023 measure 236, electronicHealthRecord: decile lower bounds p1, p10..p90 (WORKED-EXAMPLES A6)
ECQM_236 = tuple(D(x) for x in ("2.74", "41.96", "51.36", "56.61", "60.71", "64.235", "67.55", "71.1", "75.28", "81.35"))
# Old decile format with an empty decile (WORKED-EXAMPLES A4): decile-1 filler 0, then deciles 3..10
WI = tuple(D(x) for x in ("0", "0", "27.81", "27.81", "32.3", "37.13", "41.54", "46.93", "52.41", "60.3"))
# Inverse measure (lower is better): bounds descend from decile 1 to decile 10 (MSPB_1 PY2024, WORKED-EXAMPLES C1)
MSPB = tuple(D(x) for x in ("31050.92", "30451.55", "29852.18", "29252.81", "28054.07", "26855.33",
                              "25656.59", "23259.11", "22060.37", "20861.63"))


def run(source: str, **names):
    return compile_expression(source).evaluate(lambda n: names[n])


@pytest.mark.parametrize("rate, points", [
    (D("70"), D("7.690140845070422535211267605633803")),   # A6: 7 + 2.45/3.55
    (D("67.55"), D("7")),                                   # exactly on a lower bound: inclusive
    (D("67.54"), D("6.996983408748114630467571644042232")),   # 6 + 3.305/3.315
    (D("81.35"), D("10")),                                   # decile 10 is a flat 10
    (D("85"), D("10")),
    (D("2.74"), D("1")),
])
def test_decile_points_direct_measure(rate, points):
    assert run("decile_points(r, b, false)", r=rate, b=ECQM_236) == points


def test_below_the_first_bound_has_no_decile():
    assert run("decile(r, b, false)", r=D("2.73"), b=ECQM_236) == D(0)
    assert run("decile_points(r, b, false)", r=D("2.73"), b=ECQM_236) is None


@pytest.mark.parametrize("rate, decile", [(D("27.80"), 2), (D("27.81"), 4), (D("60.3"), 10), (D("99"), 10)])
def test_empty_decile_is_skipped_and_bounds_are_inclusive(rate, decile):
    assert run("decile(r, b, false)", r=rate, b=WI) == D(decile)


@pytest.mark.parametrize("cost, points", [
    (D("24457.85"), D("7.5")),                                     # C1: midpoint of p30-p40
    (D("22000"), D("9.050361212606570232077014198241487")),       # C1: 9 + 60.37/1198.74
    (D("20861.63"), D("10")),
    (D("25656.59"), D("7")),
])
def test_decile_points_inverse_measure(cost, points):
    assert run("decile_points(c, b, true)", c=cost, b=MSPB) == points


def test_bounds_out_of_order_are_an_error():
    with pytest.raises(ExpressionEvalError, match="ascending order"):
        run("decile(r, b, false)", r=D(1), b=MSPB)


def test_records_pick_get_pluck_len():
    bench = MappingProxyType({"p10": D(10), "p20": D(20)})
    rows = (MappingProxyType({"points": D(7)}), MappingProxyType({"points": D("8.5")}))
    assert run("pick(b, ['p20', 'p10'])", b=bench) == (D(20), D(10))
    assert run("get(b, 'p10')", b=bench) == D(10)
    assert run("sum(pluck(rows, 'points'))", rows=rows) == D("15.5")
    assert run("len(rows)", rows=rows) == D(2)


def test_unknown_record_field_names_the_fields():
    with pytest.raises(ExpressionEvalError, match=r"'get\(\)' found no field 'p30'; fields: p10"):
        run("get(b, 'p30')", b=MappingProxyType({"p10": D(10)}))


def test_find_returns_the_first_matching_record_or_missing():
    rows = (MappingProxyType({"id": "PI_EP_1", "value": D(5)}), MappingProxyType({"id": "PI_EP_2", "value": True}))
    assert run("get(find(rows, 'id', 'PI_EP_2'), 'value')", rows=rows) is True
    assert run("find(rows, 'id', 'PI_HIE_1')", rows=rows) is None


def test_concat_writes_numbers_exactly():
    assert run("concat(id, ' (', rate, '%)')", id="236", rate=D("70.50")) == "236 (70.50%)"


def test_chain_joins_lists_for_implied_decile_bounds():
    assert run("chain([0], d)", d=(D(3), D(4))) == (D(0), D(3), D(4))


# --- interpolate: a value read off a ladder of known (point, value) pairs (facility-based percentiles) -----

LADDER_X = (D(0), D(40), D(100))
LADDER_Y = (D(0), D("74.54"), D(100))


@pytest.mark.parametrize("x, y", [
    (D(40), D("74.54")),                       # exactly on a known point
    (D(0), D(0)), (D(100), D(100)),            # the ends are inclusive
    (D(20), D("37.27")),                       # halfway between 0 and 40
    (D(70), D("87.27")),                       # halfway between 40 and 100
])
def test_interpolate_between_known_points(x, y):
    assert run("interpolate(x, xs, ys)", x=x, xs=LADDER_X, ys=LADDER_Y) == y


def test_interpolate_outside_the_known_points_is_missing():
    assert run("interpolate(x, xs, ys)", x=D(41), xs=(D(40),), ys=(D("74.54"),)) is None
    assert run("interpolate(x, xs, ys)", x=D(40), xs=(D(40),), ys=(D("74.54"),)) == D("74.54")
    assert run("interpolate(x, xs, ys)", x=D(-1), xs=LADDER_X, ys=LADDER_Y) is None
    assert run("interpolate(x, xs, ys)", x=D(5), xs=(), ys=()) is None


@pytest.mark.parametrize("xs, ys, message", [
    ((D(0), D(0)), (D(1), D(2)), "'interpolate()' needs points in strictly ascending order, got [0, 0]"),
    ((D(0), D(10)), (D(1),), "'interpolate()' needs as many values as points, got 1 for 2"),
    ((D(0), "10"), (D(1), D(2)), "'interpolate()' requires a number, got string"),
])
def test_interpolate_rejects_a_malformed_ladder(xs, ys, message):
    with pytest.raises(ExpressionEvalError) as caught:
        run("interpolate(x, xs, ys)", x=D(5), xs=xs, ys=ys)
    assert caught.value.message == message
