"""Pydantic models of whole rulebook files (rulebook.yaml, parameters/, tables/, rules/, case_inputs.yaml,
pathways.yaml), read when a rulebook's files are read and checked; engine.rulebook.models gives them too."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from engine.rulebook.models import (CaseInputs, Cited, DefaultPathway, DottedName, Name, ParamValue, PathwayOption,
                                    Required, Rounding, Status, Strict, TableChecks, TableInput, TableOutput,
                                    Unreachable, _decimal_ints, _new)


class Manifest(Strict):
    year: int = Field(ge=2017, le=2100)
    title: str
    status: Literal["final", "proposed"]
    pathway: Name | None = Field(default=None,
                                 description="in rulebooks/YEAR/pathways/NAME/ only: the pathway overlay this "
                                             "folder holds (its folder name); `extends` then names the earlier "
                                             "year whose overlay of the same name this one builds on")
    extends: int | None = Field(default=None, ge=2017, le=2100,
                                description="year whose rulebook this one builds on, stating only what differs")
    to_confirm: list[str] = Field(default_factory=list,
                                  description="inherited parameters an editor must confirm for this year "
                                              "(by overriding them here, then removing them from this list)")
    description: str | None = None


class ManifestFile(Strict):
    rulebook: Manifest


class Parameter(Cited):
    description: str
    value: ParamValue
    unit: str | None = Field(default=None, description="what the number measures: one of the units of "
                             "rulebooks/common/units.yaml, whose range the value must lie in")
    min: Decimal | None = Field(default=None, description="lowest value this parameter may take (within its unit's range)")
    max: Decimal | None = Field(default=None, description="highest value this parameter may take (within its unit's range)")
    new: bool = _new()

    _ints = field_validator("value", "min", "max", mode="before")(_decimal_ints)

    @model_validator(mode="after")
    def _number_with_unit(self) -> "Parameter":
        numbers = self.value if isinstance(self.value, list) else [self.value]
        numeric = bool(numbers) and all(isinstance(v, Decimal) for v in numbers)
        if self.unit is not None and not numeric:
            raise ValueError(f"a parameter with a unit ({self.unit}) takes a number or a list of numbers; write "
                             "the number, or drop 'unit' for a text or list value")
        if self.unit is None and isinstance(self.value, Decimal):
            raise ValueError("a number parameter needs a 'unit' (one of rulebooks/common/units.yaml)")
        if (self.min is not None or self.max is not None) and self.unit is None:
            raise ValueError("'min' and 'max' bound a number; give the parameter its 'unit'")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class ParameterFile(Strict):
    description: str
    parameters: dict[Name, Parameter] = Field(default_factory=dict)
    remove: list[Name] = Field(default_factory=list, description="parameters of the extended year that no longer apply")


class Row(Strict):
    id: Name
    label: str
    when: dict[Name, Union[bool, str]]
    then: dict[Name, Decimal]
    source: str | None = None
    status: Status | None = None
    note: str | None = None

    _ints = field_validator("then", mode="before")(
        lambda v: {k: _decimal_ints(x) for k, x in v.items()} if isinstance(v, dict) else v)


class Table(Cited):
    description: str
    new: bool = _new()
    inputs: dict[Name, TableInput] = Field(min_length=1)
    outputs: dict[Name, TableOutput] = Field(min_length=1)
    checks: TableChecks = TableChecks()
    unreachable: list[Unreachable] = Field(default_factory=list)
    rows: list[Row] = Field(min_length=1)


class RowChange(Strict):
    """A row of the extended year's table to change (the keys given replace the row's; `when` and `then`
    whole), or a row new this year (`new: true`, stated in full)."""

    id: Name
    new: bool = _new()
    label: str | None = None
    when: dict[Name, Union[bool, str]] | None = None
    then: dict[Name, Decimal] | None = None
    source: str | None = None
    status: Status | None = None
    note: str | None = None

    _ints = field_validator("then", mode="before")(
        lambda v: {k: _decimal_ints(x) for k, x in v.items()} if isinstance(v, dict) else v)

    @model_validator(mode="after")
    def _new_rows_complete(self) -> "RowChange":
        missing = [key for key in ("label", "when", "then") if self.new and getattr(self, key) is None]
        if missing:
            raise ValueError(f"a new row states {', '.join(missing)}")
        return self


class TableRows(Strict):
    """The rows an extending year changes in a table of the year it extends, by row id; the rest is inherited."""

    description: str
    rows: list[RowChange] = Field(default_factory=list)
    remove: list[Name] = Field(default_factory=list)


class TableFile(Strict):
    """A table stated in full (`table:`), or, in a year that extends another, only the rows it changes
    (`table_rows:`)."""

    table: Table | None = None
    table_rows: TableRows | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "TableFile":
        if (self.table is None) == (self.table_rows is None):
            raise ValueError("a table file holds either `table:` (the whole table) or `table_rows:` (the rows "
                             "an extending year changes)")
        return self


class Lookup(Strict):
    table: Name
    inputs: dict[Name, str]
    outputs: dict[Name, DottedName]


class Each(Strict):
    """Evaluate a scope's rules once per item of a list (each measure, each activity)."""

    items: str
    scope: Name
    label: str


class Select(Strict):
    """Pick records from a list: filter, keep the best per key, guarantee required ones, take the top N."""

    from_: DottedName = Field(alias="from")
    where: Name | None = None
    where_reason: str | None = Field(default=None, description="why a record `where` drops is not counted, in "
                                                               "words for explanations (default: 'not counted: "
                                                               "FIELD is false')")
    best_per: Name | None = None
    order_by: list[Annotated[str, Field(pattern=r"^-?[a-z][a-z0-9_]*$")]] = Field(min_length=1)
    required: Required | None = None
    limit: str | None = None


class RuleSpec(Cited):
    id: DottedName
    description: str
    new: bool = _new()
    for_each: dict[Name, list[Name]] | None = None
    value: str | None = None
    lookup: Lookup | None = None
    each: Each | None = None
    select: Select | None = None
    round: Rounding | None = None


class Scope(Strict):
    """Rules evaluated once per item: `item` names the prefix (measure.*), `fields` what each item brings."""

    name: Name
    item: Name
    fields: dict[Name, str] = Field(default_factory=dict, description="what each item brings; a later year "
                                    "states only the fields it adds or describes anew")
    new: bool = _new()
    remove_fields: list[Name] = Field(default_factory=list, description="fields of the extended year's scope "
                                      "its items no longer bring")


class RuleFile(Strict):
    description: str
    scope: Scope | None = None
    rules: list[RuleSpec] = Field(default_factory=list)
    remove: list[DottedName] = Field(default_factory=list, description="rules of the extended year that no longer apply")


class CaseInputsFile(Strict):
    description: str
    case_inputs: CaseInputs


class PathwaysFile(Strict):
    """rulebooks/YEAR/pathways.yaml: the year's reporting options; a year that extends another replaces or
    adds options and defaults by name and `remove`s the options that end."""

    description: str
    pathways: dict[Name, PathwayOption] = Field(default_factory=dict)
    defaults: dict[Name, DefaultPathway] = Field(default_factory=dict,
                                                 description="entity type -> option of a case that names no program")
    remove: list[Name] = Field(default_factory=list, description="options of the extended year that end")
