"""A year that extends another changes a decision table row by row (`table_rows:` in tables/NAME.yaml):
the rows it names by id are changed, `new: true` rows added, `remove:` rows dropped, the rest inherited
with the file and line they are written on; the whole table is checked again."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.api import score
from engine.errors import RulebookError
from engine.rulebook.loader import load_rulebook

MANIFEST = """rulebook:
  year: 2025
  title: Draft changing rows of the 2024 reweighting table
  status: proposed
  extends: 2024
"""
NO_COST = """table_rows:
  description: The weights of a case without cost, as the draft changes them.
  rows:
    - id: {id}
      then: {{quality: 50, cost: 0, ia: 20, pi: 30}}
      source: "cfr-414.1380 (c)(2) draft"
      status: unconfirmed
"""


def draft(tmp_path: Path, table: str) -> Path:
    folder = tmp_path / "draft"
    (folder / "tables").mkdir(parents=True)
    (folder / "rulebook.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "tables" / "reweighting.yaml").write_text(table, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(RulebookError) as error:
        load_rulebook(str(folder))
    return [f"{p.line}:{p.column}: {p.path}: {p.message}" for p in error.value.problems]


def test_one_row_changed_the_others_inherited(tmp_path, make_case):
    book = load_rulebook(str(draft(tmp_path, NO_COST.format(id="no_cost"))))
    base = book.parent.tables["reweighting"]
    table = book.tables["reweighting"]
    assert [r.id for r in table.rows] == [r.id for r in base.rows]
    changed = next(r for r in table.rows if r.id == "no_cost")
    old = next(r for r in base.rows if r.id == "no_cost")
    assert (changed.then["ia"], changed.status, changed.label, changed.when) == (20, "unconfirmed", old.label, old.when)
    assert changed.file.endswith("draft/tables/reweighting.yaml") and changed.line == 4
    assert all(r == b for r, b in zip(table.rows, base.rows) if r.id != "no_cost")
    result = score(make_case(performance_year=2025, categories={"cost": {"status": "reweighted",
                                                                         "reason": "cost_insufficient_measures"}}), book)
    assert result.summary()["categories"]["ia"]["weight"] == 20


def test_unknown_row_id_is_refused_with_the_closest(tmp_path):
    assert problems(draft(tmp_path, NO_COST.format(id="no_cots"))) == [
        "4:11: table_rows.rows[0].id: table 'reweighting' of the 2024 rulebook has no row 'no_cots'; did you mean "
        "'no_cost'? a row new in 2025 says `new: true`"]


def test_the_changed_table_is_checked_again(tmp_path):
    table = NO_COST.format(id="no_cost").replace("pi: 30}", "pi: 40}")
    found = problems(draft(tmp_path, table))
    assert len(found) == 1 and "no_cost" in found[0] and "110" in found[0]


def test_rows_removed_and_added(tmp_path):
    table = """table_rows:
  description: The draft folds two rows into one.
  remove: [no_cost, no_costt]
  rows:
    - id: no_cost_any_size
      new: true
      label: "cost reweighted"
      when: {quality: true, cost: false, ia: true, pi: true, small_practice: any, automatic_euc: false}
      then: {quality: 55, cost: 0, ia: 15, pi: 30}
      source: "cfr-414.1380 (c)(2) draft"
      status: unconfirmed
"""
    assert problems(draft(tmp_path, table)) == [
        "3:21: table_rows.remove[1]: table 'reweighting' of the 2024 rulebook has no row 'no_costt'; did you mean "
        "'no_cost'?"]
    book = load_rulebook(str(draft(tmp_path / "ok", table.replace(", no_costt]", "]"))))
    ids = [r.id for r in book.tables["reweighting"].rows]
    assert "no_cost" not in ids and ids[-1] == "no_cost_any_size"


def test_rows_of_a_table_the_extended_year_lacks(tmp_path):
    folder = draft(tmp_path, NO_COST.format(id="no_cost"))
    (folder / "tables" / "reweighting.yaml").rename(folder / "tables" / "reweightng.yaml")
    assert problems(folder) == [
        "1:1: table_rows: `table_rows:` changes rows of an inherited table, and the 2024 rulebook this one extends "
        "has no table 'reweightng'; did you mean tables/reweighting.yaml?"]
