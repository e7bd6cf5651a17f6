"""Pydantic models of the rulebook files, as policy staff write them.

This module holds the models a compiled rulebook keeps (case inputs, pathway options, table columns,
rounding), which reading a rulebook back from the cache needs; the models of whole files, needed only
to read and check a rulebook's files, are in engine.rulebook.file_models and are found here too.
"""

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


class Rounding(Strict):
    places: int = Field(ge=0, le=10)
    mode: Literal["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


class Required(Strict):
    """At least `count` selected records must have `field` true; with `reserve`, their slots stay empty when none do."""

    field: Name
    count: int = Field(ge=1)
    reserve: bool = False


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


def __getattr__(name: str) -> object:
    """The models of whole files (engine.rulebook.file_models), imported when first asked for."""
    if name.startswith("__"):
        raise AttributeError(name)
    from engine.rulebook import file_models
    try:
        return getattr(file_models, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
