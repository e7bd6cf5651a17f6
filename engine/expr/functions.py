"""The whitelisted functions, value checks shared with the evaluator, and decimal rounding."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import (ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN,
                     ROUND_HALF_UP, ROUND_UP, Context, Decimal, DivisionByZero, InvalidOperation,
                     Overflow)
from operator import itemgetter
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, NamedTuple, TypeVar

from .errors import ExpressionEvalError
from .nodes import Record, Value

CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
"""Decimal context for all arithmetic, independent of the caller's global context."""

ROUNDING_MODES: Mapping[str, str] = MappingProxyType({
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "half_down": ROUND_HALF_DOWN,
    "up": ROUND_UP,
    "down": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
})

T = TypeVar("T")
Impl = Callable[[Iterable[Value]], Value]
_EXPECTED = {Decimal: "a number", bool: "a boolean", str: "a string", tuple: "a list", Record: "a record"}


def kind_of(value: Value) -> str:
    """The language's name for a value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, Record):
        return "record"
    return "string" if isinstance(value, str) else "list"


def missing_error(what: str, ref: str | None) -> ExpressionEvalError:
    """The error for a missing operand of `what`, naming the reference when known."""
    detail = f" ({ref} is missing)" if ref else ""
    return ExpressionEvalError(f"cannot apply {what} to a missing value{detail}")


def require(value: Value, cls: type[T], what: str, ref: str | None = None) -> T:
    """Return value if it is a `cls`, else raise an error about `what` (an operator or function)."""
    if isinstance(value, cls):
        return value
    if value is None:
        raise missing_error(what, ref)
    raise ExpressionEvalError(f"{what} requires {_EXPECTED[cls]}, got {kind_of(value)}")


def places_of(value: Value) -> int:
    """Validate round()'s places: a whole, non-negative number."""
    places = value if type(value) is Decimal else require(value, Decimal, "'round()'")
    if places < 0 or places != places.to_integral_value():
        raise ExpressionEvalError(f"round() places must be a whole number >= 0, got {places}")
    return int(places)


def mode_of(value: Value) -> str:
    """Validate round()'s mode: one of ROUNDING_MODES."""
    mode = require(value, str, "'round()'")
    if mode not in ROUNDING_MODES:
        raise ExpressionEvalError(f"unknown rounding mode '{mode}'; allowed: {', '.join(ROUNDING_MODES)}")
    return mode


_MODES = dict(ROUNDING_MODES)
_ROUNDING = CONTEXT.copy()
"""CONTEXT for the rounding itself (its own flags)."""
_EXPONENTS: dict[int, Decimal] = {}
"""The exponent of each number of decimal places met (10 ** -places)."""


def round_decimal(value: Decimal, places: int, mode: str) -> Decimal:
    """Quantize value to `places` decimal places with the named mode; a zero result is never -0."""
    rounding = _MODES.get(mode) if type(mode) is str else None
    if rounding is None:
        rounding = ROUNDING_MODES[mode_of(mode)]
    exponent = _EXPONENTS.get(places)
    if exponent is None:
        exponent = Decimal(1).scaleb(-places, _ROUNDING)
        if len(_EXPONENTS) < 64:
            _EXPONENTS[places] = exponent
    try:
        result = value.quantize(exponent, rounding, _ROUNDING)
    except InvalidOperation:
        raise ExpressionEvalError(f"cannot round {value} to {places} decimal places") from None
    return result.copy_abs() if result.is_zero() else result


_DECIMAL = frozenset((Decimal,))


def _numbers(name: str, values: Iterable[Value]) -> list[Decimal]:
    values = list(values)
    if _DECIMAL.issuperset(map(type, values)):
        return values
    return [require(value, Decimal, f"'{name}()'") for value in values]


def _items(name: str, args: Iterable[Value]) -> tuple[Value, ...]:
    (items,) = args
    return items if type(items) is tuple else require(items, tuple, f"'{name}()'")


_BOOL = frozenset((bool,))
_RECORD = frozenset((Record,))
_STR = frozenset((str,))


def _bools(name: str, args: Iterable[Value]) -> tuple[bool, ...]:
    items = _items(name, args)
    if _BOOL.issuperset(map(type, items)):
        return items
    return tuple(require(item, bool, f"'{name}()'") for item in items)


def _extreme(name: str, pick: Callable[[list[Decimal]], Decimal]) -> Impl:
    """min/max: of two or more numbers, or of one non-empty list of numbers."""
    def impl(args: Iterable[Value]) -> Value:
        values = tuple(args)
        if len(values) > 1 and _DECIMAL.issuperset(map(type, values)):
            return pick(values)
        if len(values) == 1:
            values = _items(name, values)
            if not values:
                raise ExpressionEvalError(f"'{name}()' requires a non-empty list")
        return pick(_numbers(name, values))
    return impl


def _clamp(args: Iterable[Value]) -> Value:
    value, low, high = _numbers("clamp", args)
    if low > high:
        raise ExpressionEvalError(f"'clamp()' requires low <= high, got {low} > {high}")
    return min(max(value, low), high)


def _round(args: Iterable[Value]) -> Value:
    value, places, mode = args  # round_decimal checks the mode as mode_of does
    return round_decimal(value if type(value) is Decimal else require(value, Decimal, "'round()'"), places_of(places),
                         mode)


def _field(record: Value, key: Value, what: str) -> Value:
    if type(record) is Record and type(key) is str and key in record:
        return record[key]
    fields = require(record, Record, what)
    name = require(key, str, what)
    if name not in fields:
        raise ExpressionEvalError(f"{what} found no field '{name}'; fields: {', '.join(sorted(fields))}")
    return fields[name]


def _get(args: Iterable[Value]) -> Value:
    """A record's field; a missing record gives a missing value (so `get(find(...), f)` stays total)."""
    record, key = args
    if type(record) is Record and type(key) is str and key in record:
        return record[key]
    return None if record is None else _field(record, key, "'get()'")


def _pick(args: Iterable[Value]) -> Value:
    record, keys = args
    if type(record) is Record and type(keys) is tuple:
        try:  # a record's fields are named by texts: any other key is not among them
            return tuple(map(record.__getitem__, keys))
        except (KeyError, TypeError):
            pass
    return tuple(_field(record, key, "'pick()'") for key in require(keys, tuple, "'pick()'"))


def _pluck(args: Iterable[Value]) -> Value:
    items, key = args
    if type(items) is tuple and type(key) is str and _RECORD.issuperset(map(type, items)):
        try:
            return tuple(map(itemgetter(key), items))
        except KeyError:
            pass
    return tuple(_field(item, key, "'pluck()'") for item in require(items, tuple, "'pluck()'"))


def _find(args: Iterable[Value]) -> Value:
    """The first record of a list whose field equals a value, or null (missing) when none does."""
    items, key, wanted = args
    if type(items) is tuple and type(key) is str and type(wanted) is str and _RECORD.issuperset(map(type, items)):
        try:
            fields = list(map(itemgetter(key), items))
        except KeyError:  # a record without the field: the message below
            pass
        else:  # a text equals only the same text
            return items[fields.index(wanted)] if wanted in fields else None
    fast = type(key) is str
    kind = type(wanted)
    for item in items if type(items) is tuple else require(items, tuple, "'find()'"):
        value = item[key] if fast and type(item) is Record and key in item else _field(item, key, "'find()'")
        if value == wanted and (type(value) is kind or kind_of(value) == kind_of(wanted)):
            return item
    return None


def _item(args: Iterable[Value]) -> Value:
    """The item at a 1-based position of a list; missing when the position is past either end."""
    items, position = args
    if type(items) is not tuple:
        items = require(items, tuple, "'item()'")
    index = position if type(position) is Decimal else require(position, Decimal, "'item()'")
    if index != index.to_integral() or not 1 <= index <= len(items):
        return None
    return items[int(index) - 1]


def _concat(args: Iterable[Value]) -> Value:
    values = tuple(args)
    return "".join(values if _STR.issuperset(map(type, values)) else map(_text, values))


def _text(value: Value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    raise ExpressionEvalError(f"'concat()' joins numbers, booleans and strings, got {kind_of(value)}")


def _chain(args: Iterable[Value]) -> Value:
    """The items of several lists, in order, as one list."""
    return tuple(item for items in args for item in require(items, tuple, "'chain()'"))


def _lists(name: str, args: Iterable[Value]) -> tuple[tuple[Value, ...], tuple[Value, ...]]:
    first, second = args
    what = f"'{name}()'"
    return require(first, tuple, what), require(second, tuple, what)


def _difference(args: Iterable[Value]) -> Value:
    """The items of the first list that are not in the second, in the first list's order."""
    first, second = _lists("difference", args)
    return tuple(item for item in first if item not in second)


def _intersection(args: Iterable[Value]) -> Value:
    """The items of the first list that are also in the second, in the first list's order."""
    first, second = _lists("intersection", args)
    return tuple(item for item in first if item in second)


def _filter(name: str, keep: bool) -> Impl:
    """filter_in / filter_out: the records of a list whose field is (or is not) one of the values."""
    def impl(args: Iterable[Value]) -> Value:
        items, key, values = args
        if (type(items) is tuple and type(key) is str and type(values) is tuple
                and _RECORD.issuperset(map(type, items))):
            try:
                fields = list(map(itemgetter(key), items))
            except KeyError:  # a record without the field: the message below
                pass
            else:
                return tuple([item for item, field in zip(items, fields) if (field in values) == keep])
        what = f"'{name}()'"
        wanted = require(values, tuple, what)
        return tuple(item for item in require(items, tuple, what)
                     if (_field(item, key, what) in wanted) == keep)
    return impl


def _remove_suffix(args: Iterable[Value]) -> Value:
    """The text without the suffix when it ends with it, else the text unchanged."""
    text, suffix = args
    return require(text, str, "'remove_suffix()'").removesuffix(require(suffix, str, "'remove_suffix()'"))


def _len(args: Iterable[Value]) -> Value:
    (items,) = args
    return Decimal(len(items if type(items) is tuple else require(items, tuple, "'len()'")))


_ORDERED: dict[tuple[tuple[Decimal, ...], bool], None] = {}
"""Lists of decile bounds found in order (with their direction), by value: a list met again (the same
benchmark for another case) is not compared again. Emptied when it reaches ORDERED_KEPT."""
ORDERED_KEPT = 4096


def _bounds(args: Iterable[Value], name: str) -> tuple[Decimal, tuple[Decimal, ...] | list[Decimal], bool]:
    value, bounds, inverse = args
    if (type(value) is Decimal and type(inverse) is bool and type(bounds) is tuple
            and _DECIMAL.issuperset(map(type, bounds))):
        try:
            if (bounds, inverse) in _ORDERED:
                return value, bounds, inverse
        except TypeError:  # a signalling NaN has no hash: the checks below refuse it
            pass
    what = f"'{name}()'"
    lows = _numbers(name, require(bounds, tuple, what))
    if len(lows) < 2:
        raise ExpressionEvalError(f"{what} needs at least 2 decile lower bounds, got {len(lows)}")
    if any((b < a) if not inverse else (b > a) for a, b in zip(lows, lows[1:])):
        order = "descending" if inverse else "ascending"
        raise ExpressionEvalError(f"{what} needs decile lower bounds in {order} order, got {lows}")
    value, inverse = require(value, Decimal, what), require(inverse, bool, what)
    if all(map(Decimal.is_finite, lows)):
        if len(_ORDERED) >= ORDERED_KEPT:
            _ORDERED.clear()
        _ORDERED[tuple(lows), inverse] = None
    return value, lows, inverse


def decile_of(value: Decimal, lows: list[Decimal], inverse: bool) -> int:
    """The highest decile (1-based) whose inclusive lower bound the value reaches; 0 below decile 1.

    For an inverse measure (lower is better) 'reaches' means at or below the bound. A decile whose
    bound equals the next one is empty and is skipped. The bounds are in order (descending for an
    inverse measure), as `_bounds` checks them.
    """
    if inverse:  # the bounds descend: those at or above the value, counted in the ascending list
        return len(lows) - bisect_left(lows[::-1], value)
    return bisect_right(lows, value)


def _decile(args: Iterable[Value]) -> Value:
    value, lows, inverse = _bounds(args, "decile")
    return Decimal(decile_of(value, lows, inverse))


def _decile_points(args: Iterable[Value]) -> Value:
    """d + the share of decile d's range covered; the top decile scores its number flat; None below decile 1."""
    value, lows, inverse = _bounds(args, "decile_points")
    decile = decile_of(value, lows, inverse)
    if decile == 0:
        return None
    if decile == len(lows):
        return Decimal(decile)
    low, high = lows[decile - 1], lows[decile]
    return Decimal(decile) + (value - low) / (high - low)


def _interpolate(args: Iterable[Value]) -> Value:
    """The value at x of the line through known (point, value) pairs; missing outside the known points.

    Points must ascend strictly; at a point the value is exact, between two points it is linear.
    """
    x, points, values = args
    what = "'interpolate()'"
    xs = [require(p, Decimal, what) for p in require(points, tuple, what)]
    ys = [require(v, Decimal, what) for v in require(values, tuple, what)]
    if len(xs) != len(ys):
        raise ExpressionEvalError(f"{what} needs as many values as points, got {len(ys)} for {len(xs)}")
    if any(b <= a for a, b in zip(xs, xs[1:])):
        raise ExpressionEvalError(f"{what} needs points in strictly ascending order, got "
                                  f"[{', '.join(_text(p) for p in xs)}]")
    x = require(x, Decimal, what)
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if x0 <= x <= x1:
            return y0 if x == x0 else y1 if x == x1 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return ys[0] if len(xs) == 1 and x == xs[0] else None


class Function(NamedTuple):
    """A whitelisted function: arity (checked at parse time) and implementation.

    Unless `accepts_missing`, arguments are evaluated first and a missing one is an error naming
    its reference; otherwise they are passed as a lazy iterator and may be None.
    """

    takes: str
    min_args: int
    max_args: int | None
    impl: Impl
    accepts_missing: bool = False


FUNCTIONS: Mapping[str, Function] = MappingProxyType({
    "abs": Function("1 argument (value)", 1, 1, lambda args: abs(*_numbers("abs", args))),
    "all": Function("1 argument (list)", 1, 1, lambda args: all(_bools("all", args))),
    "any": Function("1 argument (list)", 1, 1, lambda args: any(_bools("any", args))),
    "chain": Function("at least 2 arguments (lists to join)", 2, None, _chain),
    "clamp": Function("3 arguments (value, low, high)", 3, 3, _clamp),
    "coalesce": Function("at least 2 arguments (value, fallback, ...)", 2, None,
                         lambda args: next((value for value in args if value is not None), None), True),
    "concat": Function("at least 2 arguments (values to join as text)", 2, None, _concat),
    "count": Function("1 argument (list)", 1, 1, lambda args: Decimal(sum(_bools("count", args)))),
    "decile": Function("3 arguments (value, lower bounds, inverse)", 3, 3, _decile),
    "decile_points": Function("3 arguments (value, lower bounds, inverse)", 3, 3, _decile_points),
    "difference": Function("2 arguments (list, list of items to leave out)", 2, 2, _difference),
    "filter_in": Function("3 arguments (list of records, field, list of values)", 3, 3, _filter("filter_in", True)),
    "filter_out": Function("3 arguments (list of records, field, list of values)", 3, 3,
                           _filter("filter_out", False)),
    "find": Function("3 arguments (list of records, field, value)", 3, 3, _find),
    "get": Function("2 arguments (record, field)", 2, 2, _get, True),
    "item": Function("2 arguments (list, position from 1)", 2, 2, _item),
    "intersection": Function("2 arguments (list, list of items to keep)", 2, 2, _intersection),
    "interpolate": Function("3 arguments (value, points, values)", 3, 3, _interpolate),
    "len": Function("1 argument (list)", 1, 1, _len),
    "max": Function("a list or at least 2 arguments", 1, None, _extreme("max", max)),
    "min": Function("a list or at least 2 arguments", 1, None, _extreme("min", min)),
    "missing": Function("1 argument (value)", 1, 1, lambda args: next(iter(args)) is None, True),
    "pick": Function("2 arguments (record, list of fields)", 2, 2, _pick),
    "pluck": Function("2 arguments (list of records, field)", 2, 2, _pluck),
    "present": Function("1 argument (value)", 1, 1, lambda args: next(iter(args)) is not None, True),
    "remove_suffix": Function("2 arguments (text, suffix)", 2, 2, _remove_suffix),
    "round": Function("3 arguments (value, places, mode)", 3, 3, _round),
    "sum": Function("1 argument (list)", 1, 1, lambda args: sum(_numbers("sum", _items("sum", args)), Decimal(0))),
})
