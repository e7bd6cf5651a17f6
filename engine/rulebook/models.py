"""Pydantic models of the rulebook files, as policy staff write them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Status = Literal["confirmed", "secondary", "derived", "unconfirmed"]
Scalar = Union[bool, Decimal, str]
ParamValue = Union[Scalar, list[Scalar]]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
DottedName = Annotated[str, Field(pattern=r"^[a-z{][a-z0-9_{}]*(\.[a-z{][a-z0-9_{}]*)*$")]


def _decimal_ints(value: object) -> object:
    """YAML integers become Decimals so that every policy number is exact and of one type."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, list):
        return [_decimal_ints(v) for v in value]
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _new() -> bool:
    """The `new` flag of a name in a rulebook that extends another year."""
    return Field(default=False, description="in a rulebook that extends another year: true when the name is "  # type: ignore[return-value]
                 "new this year (without it, a name the extended year lacks is taken for a misspelling)")


class Cited(Strict):
    """Anything carrying a policy value cites where it comes from and how sure we are."""

    source: str = Field(min_length=3)
    status: Status
    note: str | None = None


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


class TableInput(Strict):
    type: Literal["boolean", "enum"]
    values: list[str] | None = None
    description: str


class TableOutput(Strict):
    unit: str | None = None
    description: str


class RowSumCheck(Strict):
    columns: list[Name] = Field(min_length=1)
    equals: Decimal
    except_rows: dict[Name, str] = Field(default_factory=dict)

    _ints = field_validator("equals", mode="before")(_decimal_ints)


class TableChecks(Strict):
    row_sum: RowSumCheck | None = None


class Unreachable(Strict):
    when: dict[Name, Union[bool, str]]
    reason: str


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


class Rounding(Strict):
    places: int = Field(ge=0, le=10)
    mode: Literal["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


class Lookup(Strict):
    table: Name
    inputs: dict[Name, str]
    outputs: dict[Name, DottedName]


class Each(Strict):
    """Evaluate a scope's rules once per item of a list (each measure, each activity)."""

    items: str
    scope: Name
    label: str


class Required(Strict):
    """At least `count` selected records must have `field` true; with `reserve`, their slots stay empty when none do."""

    field: Name
    count: int = Field(ge=1)
    reserve: bool = False


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


class PointsRange(Cited):
    """The achievement points one CMS-scored measure result may carry."""

    min: Decimal
    max: Decimal

    _ints = field_validator("min", "max", mode="before")(_decimal_ints)

    @model_validator(mode="after")
    def _ordered(self) -> "PointsRange":
        if self.max < self.min:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class FactSpec(Cited):
    """A fact a case may state about a category: what CMS determined and a submission does not carry."""

    type: Literal["number", "boolean", "text_list"]
    label: str
    description: str
    min: Decimal | None = None
    max: Decimal | None = None

    _ints = field_validator("min", "max", mode="before")(_decimal_ints)


class CategorySpec(Strict):
    label: str
    new: bool = _new()
    score_unit: Literal["percent", "points"]
    score_min: Decimal
    score_max: Decimal | Annotated[str, Field(pattern=r"^params\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")] | None = Field(
        default=None, description="highest score a case may state: a number or the name of a parameter")
    measure_input: bool = False
    from_affiliated_group: bool = Field(default=False, description="a subgroup may take this category's data "
                                        "from its affiliated group (from_affiliated_group: true)")
    measure_points: PointsRange | None = Field(default=None, description="range of each measure result's "
                                               "achievement points, when the category takes measure results")
    statuses: list[Literal["submitted", "not_submitted", "reweighted"]] = Field(min_length=1)
    optional: bool = Field(default=False, description="a case may leave the category out (its facts are then "
                                                      "missing), for a pathway whose rules do not read them")
    facts: dict[Name, FactSpec] = Field(default_factory=dict, description="facts a case may state about the "
                                        "category, read by rules as facts.CATEGORY.NAME (missing when not stated)")

    _ints = field_validator("score_min", "score_max", mode="before")(_decimal_ints)


class Labelled(Strict):
    label: str
    description: str | None = None
    new: bool = _new()


class EntityTypeSpec(Labelled):
    """A participation option; one that takes facts from its affiliated group must name that group."""

    affiliated_group: bool = Field(default=False, description="cases of this type name their affiliated group "
                                   "(its case, its result, or its facts), whose facts the rules may inherit")


class ReasonSpec(Cited):
    label: str
    new: bool = _new()
    explanation: str
    categories: list[Name] = Field(min_length=1)
    case_input: bool
    entity_types: list[Name] | None = Field(default=None, description="participation options whose cases may "
                                            "state this reason (all when absent)")


class CaseInputs(Strict):
    """What a case may state; in a rulebook that extends another, entries replace or add to the other's."""

    entity_types: dict[Name, EntityTypeSpec] = Field(default_factory=dict)
    categories: dict[Name, CategorySpec] = Field(default_factory=dict)
    special_statuses: dict[Name, Labelled] = Field(default_factory=dict)
    reweighting_reasons: dict[Name, ReasonSpec] = Field(default_factory=dict)
    bonuses: dict[Name, Labelled] = Field(default_factory=dict)
    clinician_types: dict[Name, Labelled] = Field(default_factory=dict,
                                                  description="clinician types a case or question may state")
    reporting_options: dict[Name, Labelled] = Field(default_factory=dict,
                                                    description="reporting options a registration question may name")
    specialty_compositions: dict[Name, Labelled] = Field(default_factory=dict,
                                                         description="specialty compositions a group may attest to")


class CaseInputsFile(Strict):
    description: str
    case_inputs: CaseInputs


class PathwayOption(Cited):
    """One reporting option of a year: how a submission or case selects it and which overlays apply."""

    label: str = Field(description="name used in results and explanations, e.g. 'APM Performance Pathway (APP)'")
    description: str
    programs: list[str] = Field(default_factory=list,
                                description="QPP programName values that select this option (e.g. app1)")
    program_list: Literal["mvps"] | None = Field(
        default=None, description="programName is an id of this list of the year's CMS reference data "
                                  "(mvps: the MVPs converted from mvp.json)")
    entity_types: list[Name] = Field(min_length=1, description="entity types that may report this option")
    overlays: list[Name] = Field(default_factory=list,
                                 description="pathway overlay folders (pathways/NAME/) applied over the year's "
                                             "rulebook, in order; none for the year's own rules")
    weights_explanation: str = Field(description="why the category weights are what they are under this option "
                                                 "(wording for explanations; numbers come from the trace)")


class DefaultPathway(Cited):
    """The option a case of one entity type gets when it names no program."""

    pathway: Name
    reason: str = Field(description="why, in words for explanations")


class PathwaysFile(Strict):
    """rulebooks/YEAR/pathways.yaml: the year's reporting options; a year that extends another replaces or
    adds options and defaults by name and `remove`s the options that end."""

    description: str
    pathways: dict[Name, PathwayOption] = Field(default_factory=dict)
    defaults: dict[Name, DefaultPathway] = Field(default_factory=dict,
                                                 description="entity type -> option of a case that names no program")
    remove: list[Name] = Field(default_factory=list, description="options of the extended year that end")
