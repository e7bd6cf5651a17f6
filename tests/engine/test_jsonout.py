"""engine.jsonout: exact decimals, kept key order, compact by default, indented on request, shared values."""

from __future__ import annotations

import json
from decimal import Decimal as D
from types import MappingProxyType

import pytest

from engine.jsonout import dumps


def test_compact_with_exact_decimals_and_key_order():
    data = {"b": D("1.50"), "a": [True, False, None, 3, "é\"\n"], "c": {}, "d": []}
    assert dumps(data, indent=None) == '{"b":1.50,"a":[true,false,null,3,"é\\"\\n"],"c":{},"d":[]}\n'


def test_indented_by_default_one_member_per_line():
    assert dumps({"a": [D("1"), {"b": None}], "c": {}}) == dumps({"a": [D("1"), {"b": None}], "c": {}}, indent=2) == (
        '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {}\n}\n')


def test_negative_zero_is_written_as_zero():
    assert dumps([D("-0"), D("0"), D("-0.00")], indent=None) == "[0,0,-0.00]\n"


def test_tuples_and_records_are_written_as_lists_and_objects_each_time_they_appear():
    record = MappingProxyType({"id": "236", "points": D("7.5")})
    shared = (record, record)
    data = {"first": shared, "again": shared, "nested": {"deeper": shared}}
    for indent in (None, 2, 4):
        text = dumps(data, indent)
        assert json.loads(text, parse_float=D) == json.loads(dumps(json.loads(text, parse_float=D), indent),
                                                            parse_float=D)
        assert text == dumps({"first": [dict(record)] * 2, "again": [dict(record)] * 2,
                              "nested": {"deeper": [dict(record)] * 2}}, indent)


def test_keys_are_written_as_text():
    assert dumps({1: "one"}, indent=None) == '{"1":"one"}\n'


@pytest.mark.parametrize("value", [1.5, object(), {"a": {1, 2}}])
def test_values_without_an_exact_json_form_are_refused(value):
    with pytest.raises(TypeError):
        dumps(value)
