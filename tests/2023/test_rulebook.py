"""The 2023 rulebook extends 2022 and states only what differs: every name a 2023 file writes is new in
2023 or changes something of 2022, and `mips diff 2022 2023` lists the policy changes of 2023.

Policy: the 2023 changes are those of the CY 2023 Physician Fee Schedule final rule (87 FR 69404) as the
2023 rulebook files cite them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from engine.api import rulebook_for
from engine.rulebook.compiled import Parameter, Rule

OWN = "rulebooks/2023/"
REFERENCE_KINDS = {"benchmark", "quality measure", "PI measure", "improvement activity", "cost measure", "MVP"}
"""Kinds of `mips diff` changes that come from the years' reference data, not from their rulebook files."""


@pytest.fixture(scope="module")
def rulebook_2022():
    return rulebook_for("2022")


def test_2023_extends_2022(rulebook_2023, rulebook_2022):
    assert rulebook_2023.parent is not None and rulebook_2023.parent.year == 2022
    assert rulebook_2023.parent.sha256 == rulebook_2022.sha256


def _parameter(p: Parameter) -> tuple[Any, ...]:
    return p.value, p.unit, p.description, p.source, p.status, p.note, p.bounds


def _rule(rule: Rule) -> tuple[Any, ...]:
    logic = [e.source for e in rule.expressions]
    if rule.lookup:
        logic += [rule.lookup.table.name, sorted(rule.lookup.outputs.items())]
    if rule.each:
        logic.append(rule.each.scope)
    if rule.select:
        select = rule.select
        logic += [select.source, select.where, select.best_per, select.order_by, select.required, select.where_reason]
    return rule.description, rule.source, rule.status, rule.note, rule.rounding, logic


def test_every_parameter_written_in_2023_is_new_or_changed(rulebook_2023, rulebook_2022):
    own = [p for p in rulebook_2023.parameters.values() if p.origin.file.startswith(OWN)]
    assert own
    restated = [p.name for p in own if p.name in rulebook_2022.parameters
                and _parameter(p) == _parameter(rulebook_2022.parameters[p.name])]
    assert restated == []


def test_every_rule_written_in_2023_is_new_or_changed(rulebook_2023, rulebook_2022):
    pairs = [(rule, rulebook_2022.rules.get(rule_id)) for rule_id, rule in rulebook_2023.rules.items()]
    for name, scope in rulebook_2023.scopes.items():
        base = rulebook_2022.scopes.get(name)
        pairs += [(rule, base.rules.get(rule_id) if base else None) for rule_id, rule in scope.rules.items()]
    own = [(rule, old) for rule, old in pairs if rule.origin.file.startswith(OWN)]
    assert own
    assert [rule.id for rule, old in own if old is not None and _rule(rule) == _rule(old)] == []


def test_every_case_input_written_in_2023_is_new_or_changed(rulebook_2023, rulebook_2022):
    own = rulebook_2023.folder / "case_inputs.yaml"
    stated = yaml.safe_load(own.read_text(encoding="utf-8"))["case_inputs"]
    for section, entries in stated.items():
        for key in entries:
            new = getattr(rulebook_2023.case_inputs, section)[key]
            old = getattr(rulebook_2022.case_inputs, section).get(key)
            assert old is None or old.model_dump() != new.model_dump(), f"{section}.{key} restates 2022"


def test_diff_2022_2023_lists_the_policy_changes_of_2023(run_cli, snapshot):
    code, out, err = run_cli("diff", "2022", "2023", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    changes = [c for c in data["changes"] + data["pathway_changes"] if c["kind"] not in REFERENCE_KINDS]
    assert all(c.get("new_at") is None or c["new_at"].startswith(OWN) for c in changes)
    lines = [f"{c['kind']} {c['change']}: {c['name']}" + (f" ({', '.join(c['fields'])})" if c.get("fields") else "")
             for c in changes]
    assert lines == snapshot
