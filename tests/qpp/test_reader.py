"""read_submission and the JSON reader: syntax, duplicate keys, unknown keys and wrong types, located."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.errors import CaseError
from engine.qpp.json_source import JsonObject, JsonSyntaxError, parse_json, read_json
from engine.qpp.reader import read_submission
from engine.rulebook.yaml_source import locate, locate_key


def read_problems(path):
    with pytest.raises(CaseError) as caught:
        read_submission(path)
    return [(p.line, p.column, p.path, p.message) for p in caught.value.problems]


# --- JSON ----------------------------------------------------------------------------------


def test_json_integers_are_int_and_other_numbers_exact_decimals():
    document = parse_json('{"a": 120, "b": 33.33, "c": 1e3, "d": -0.5E-2, "e": 0}')
    assert document == {"a": 120, "b": Decimal("33.33"), "c": Decimal("1E+3"), "d": Decimal("-0.005"), "e": 0}
    assert [type(v) for v in document.values()] == [int, Decimal, Decimal, Decimal, int]


def test_tab_indented_json_is_read_with_line_and_column_of_each_key():
    document = parse_json('{\n\t"entityType": "group",\n\t"measurementSets": [\n\t\t{"category": "ia"}\n\t]\n}')
    assert (document.key_where["measurementSets"].line, document.key_where["measurementSets"].column) == (3, 2)
    assert (document["measurementSets"].item_where[0].line, document["measurementSets"].item_where[0].column) == (4, 3)


@pytest.mark.parametrize("text, line, column, message", [
    ('{"a": 1,}', 1, 9, "invalid JSON: expected a key in double quotes"),
    ('{"a": yes}', 1, 7, "invalid JSON: expected a value (object, array, string, number, true, false or null), "
                         "found 'y'"),
    ('{"a": NaN}', 1, 7, "invalid JSON: expected a value (object, array, string, number, true, false or null), "
                         "found 'N'"),
    ('{"a": 01}', 1, 8, "invalid JSON: expected ',' or '}' after an object member, found '1'"),
    ('{"a": [1 2]}', 1, 10, "invalid JSON: expected ',' or ']' after an array item, found '2'"),
    ('{"a": "x', 1, 7, "invalid JSON: unterminated string: the closing '\"' is missing"),
    ('{}\n{}', 2, 1, "invalid JSON: unexpected text after the end of the JSON document"),
    ('  \n', 1, 1, "the file is empty; expected a JSON object"),
], ids=["trailing comma", "yaml boolean", "NaN", "leading zero", "missing comma", "unterminated string",
        "two documents", "empty"])
def test_text_that_is_not_json_is_rejected_with_its_position(text, line, column, message):
    for read in (parse_json, read_json):
        with pytest.raises(JsonSyntaxError) as caught:
            read(text)
        assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_the_fast_reader_gives_the_same_values_and_finds_positions_when_asked():
    text = '\ufeff{\n\t"a": 120, "b": [33.33, {"c": 1e3}],\n\t"d": null}'
    fast, located = read_json(text), parse_json(text)
    assert isinstance(fast, JsonObject) and fast == located
    assert (type(fast["a"]), type(fast["b"][0]), type(fast["b"][1]["c"])) == (int, Decimal, Decimal)
    for path in [("a",), ("b", 1, "c"), ("d",), ("b", 5)]:
        for find in (locate, locate_key):
            assert (find(fast, path).line, find(fast, path).column) == (find(located, path).line,
                                                                        find(located, path).column)


def test_the_fast_reader_leaves_repeated_keys_to_the_located_reader():
    with pytest.raises(JsonSyntaxError) as caught:
        read_json('{"a": 1,\n "a": 2}')
    assert (caught.value.line, caught.value.column) == (2, 2)


def test_duplicate_key_is_rejected_naming_both_lines(write):
    path = write('{\n  "entityType": "group",\n  "performanceYear": 2023,\n  "entityType": "individual"\n}')
    assert read_problems(path) == [
        (4, 3, "", "duplicate key 'entityType' (first defined on line 2); remove one of them")]


def test_syntax_error_is_reported_with_file_line_and_column(write):
    path = write('{\n  "entityType": "group"\n  "performanceYear": 2023\n}')
    with pytest.raises(CaseError) as caught:
        read_submission(path)
    assert str(caught.value).endswith("submission.json:3:3: invalid JSON: expected ',' or '}' after an object "
                                      "member, found '\"'")


# --- structure -----------------------------------------------------------------------------


def test_unknown_keys_are_rejected_at_every_level_with_the_allowed_keys(write, doc):
    document = doc.individual(doc.ia_set({"measureId": "IA_EPA_1", "value": True, "weight": "high"},
                                         practiceId="P1"), program="mips")
    problems = read_problems(write(document))
    assert [(path, message.split(";")[0]) for _, _, path, message in problems] == [
        ("measurementSets[0].measurements[0].weight", "unknown key 'weight'"),
        ("measurementSets[0].practiceId", "unknown key 'practiceId'"),
        ("program", "unknown key 'program'"),
    ]
    assert problems[0][3] == "unknown key 'weight'; allowed keys here: measureId, value, id, measurementSetId"


def test_wrong_types_are_each_reported_with_what_to_write(write):
    path = write('{"entityType": "person", "taxpayerIdentificationNumber": 123456789, "performanceYear": "2023",\n'
                 ' "measurementSets": [{"category": "aci", "submissionMethod": "claims",\n'
                 '  "performanceStart": "2023-1-1", "performanceEnd": "2023-02-30",\n'
                 '  "measurements": [{"measureId": 236, "value": 5}]}]}')
    assert read_problems(path) == [
        (1, 16, "entityType",
         "input should be 'individual', 'group', 'virtualGroup', 'apm' or 'subgroup' (got 'person')"),
        (1, 58, "taxpayerIdentificationNumber", "input should be a valid string (got 123456789)"),
        (1, 88, "performanceYear", "input should be a valid integer (got '2023')"),
        (2, 35, "measurementSets[0].category", "input should be 'quality', 'pi' or 'ia' (got 'aci')"),
        (2, 62, "measurementSets[0].submissionMethod",
         "input should be 'registry' or 'electronicHealthRecord' (got 'claims')"),
        (3, 23, "measurementSets[0].performanceStart",
         "input should be a date written YYYY-MM-DD (RFC 3339 full-date) (got '2023-1-1')"),
        (3, 53, "measurementSets[0].performanceEnd", "input should be a real calendar date (got '2023-02-30')"),
        (4, 34, "measurementSets[0].measurements[0].measureId", "input should be a valid string (got 236)"),
        (4, 48, "measurementSets[0].measurements[0].value",
         "input should be true/false (boolean measures) or an object (proportion and performance-rate "
         "measures) (got 5)"),
    ]


def test_missing_required_keys_are_reported(write):
    path = write('{"measurementSets": [{"category": "ia", "measurements": [{"value": true}]}]}')
    assert [(path, message) for _, _, path, message in read_problems(path)] == [
        ("", "missing required key 'entityType'"),
        ("", "missing required key 'performanceYear'"),
        ("measurementSets[0]", "missing required key 'submissionMethod'"),
        ("measurementSets[0]", "missing required key 'performanceStart'"),
        ("measurementSets[0]", "missing required key 'performanceEnd'"),
        ("measurementSets[0].measurements[0]", "missing required key 'measureId'"),
    ]


def test_a_json_number_written_with_decimals_is_shown_as_written(write):
    path = write('{"entityType": "group", "taxpayerIdentificationNumber": "123456789", "performanceYear": 2023.0}')
    assert read_problems(path) == [(1, 89, "performanceYear", "input should be a valid integer (got 2023.0)")]


def test_fields_the_api_adds_are_accepted_and_ignored(write, doc):
    measurement = doc.single("236", 98, 30, 140, performanceRate=12, reportingRate=1, caseCount=2,
                             performanceRateNumerator=98, performanceRateDenominator=128)
    measurement |= {"id": "m-1", "measurementSetId": "s-1"}
    quality = doc.quality_set(measurement, id="s-1", createdAt="2024-01-02T03:04:05Z", updatedAt="x",
                              submissionId="sub-1", submitterId="u-1", submitterType="registry", suppressed=False,
                              source="qrda3", practiceDetails={"taxpayerIdentificationNumber": "123456789"})
    submission, _, _ = read_submission(write(doc.individual(quality, id="sub-1", createdAt="x", updatedAt="y")))
    assert submission.measurementSets[0].measurements[0].measureId == "236"
    assert submission.measurementSets[0].programName == "mips"


def test_a_yaml_submission_is_read_like_json(write):
    path = write("entityType: group\ntaxpayerIdentificationNumber: '123456789'\nperformanceYear: 2023\n"
                 "measurementSets:\n  - category: ia\n    submissionMethod: registry\n"
                 "    performanceStart: 2023-01-01\n    performanceEnd: '2023-03-31'\n"
                 "    measurements: [{measureId: IA_EPA_1, value: true}]\n", name="submission.yaml")
    submission, _, name = read_submission(path)
    assert str(submission.measurementSets[0].performanceStart) == "2023-01-01"
    assert name.endswith("submission.yaml")


@pytest.mark.parametrize("content, message", [
    (None, "no such submission file"),
    (b"\xff\xfe{}", "not a UTF-8 text file (expected QPP submission JSON)"),
    (b"[1, 2]", "a submission must be a JSON object with entityType, performanceYear and measurementSets"),
], ids=["missing file", "not utf-8", "not an object"])
def test_a_file_that_is_not_a_submission_is_rejected_without_a_traceback(tmp_path, content, message):
    path = tmp_path / "submission.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CaseError) as caught:
        read_submission(path)
    assert str(caught.value).endswith(message)
