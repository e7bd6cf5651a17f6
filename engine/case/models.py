"""The shape of a case file (YAML or JSON). Year-specific vocabularies come from the rulebook."""

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _no_items() -> dict[str, Any]:
    """Default of a mapping field. pydantic reads each default factory's signature: a Python function's
    from its code, a builtin's (`dict`, `list`) by tokenizing its text, which costs the start of every
    command milliseconds."""
    return {}


def _none_listed() -> list[str]:
    """Default of a list field (a Python function, as `_no_items`)."""
    return []


class Entity(Strict):
    type: str = Field(description="individual, group, virtual_group, apm_entity or subgroup")
    tin: str | None = Field(default=None, pattern=r"^\d{9}$", description="Taxpayer Identification Number, 9 digits")
    npi: str | None = Field(default=None, pattern=r"^\d{10}$", description="National Provider Identifier, 10 digits")
    name: str | None = None


class Practice(Strict):
    clinician_count: int | None = Field(default=None, ge=1, description="clinicians billing under the TIN")
    small_practice: bool | None = Field(default=None, description="CMS small-practice status, when known")
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    county: str | None = None
    zip: str | None = Field(default=None, pattern=r"^\d{5}$")

    @model_validator(mode="after")
    def _size_known(self) -> "Practice":
        if self.clinician_count is None and self.small_practice is None:
            raise ValueError("give clinician_count or small_practice so that small-practice rules can apply")
        return self


class MeasureResult(Strict):
    """A measure CMS scored from claims (cost, administrative claims): its achievement points."""

    measure_id: str
    achievement_points: Decimal = Field(ge=0)


class CategoryInput(Strict):
    status: Literal["submitted", "not_submitted", "reweighted"]
    score: Decimal | None = None
    measures: list[MeasureResult] | None = Field(default=None, min_length=1)
    from_submission: bool = False
    from_affiliated_group: bool = Field(default=False, description="a subgroup's category data are its "
                                        "affiliated group's (the rulebook says which categories may be)")
    reason: str | None = None
    prior_achievement_percent: Decimal | None = Field(default=None, ge=0, le=100)
    facts: dict[str, Any] = Field(default_factory=_no_items, description="facts the year's case inputs declare for "
                                  "this category (numbers, yes/no, lists of ids), checked against the rulebook")

    @model_validator(mode="after")
    def _consistent(self) -> "CategoryInput":
        given = [k for k in ("score", "measures") if getattr(self, k) is not None] + (
            ["from_submission"] if self.from_submission else []) + (
            ["from_affiliated_group"] if self.from_affiliated_group else [])
        if self.status == "submitted" and (not given or len(given) > 1 and (
                "score" in given or "from_affiliated_group" in given)):
            raise ValueError("status 'submitted' needs a score, or measures and/or from_submission: true, or "
                             "from_affiliated_group: true" + (f" (got {', '.join(given)})" if given else ""))
        if self.status != "submitted" and given:
            raise ValueError(f"status '{self.status}' takes no {given[0]}; use status 'submitted' to give one")
        if self.status == "reweighted" and self.reason is None:
            raise ValueError("status 'reweighted' needs a reason")
        if self.status != "reweighted" and self.reason is not None:
            raise ValueError(f"status '{self.status}' takes no reason; a reason goes with status 'reweighted'")
        return self


class AffiliatedGroup(Strict):
    """The group a subgroup belongs to: its result file, its case file, or its facts stated here."""

    case: str | None = Field(default=None, description="the affiliated group's case file, relative to this case")
    result: str | None = Field(default=None, description="the affiliated group's result (mips score --format "
                               "json), relative to this case")
    tin: str | None = Field(default=None, pattern=r"^\d{9}$")
    name: str | None = None
    categories: dict[str, CategoryInput] = Field(default_factory=_no_items, description="the group's categories: "
                                                 "status, score or measures, reweighting reason")
    bonuses: dict[str, Annotated[Decimal, Field(ge=0)]] = Field(default_factory=_no_items)

    @model_validator(mode="after")
    def _one_source(self) -> "AffiliatedGroup":
        given = [k for k in ("case", "result") if getattr(self, k) is not None] + (
            ["categories"] if self.categories or self.bonuses else [])
        if len(given) != 1:
            raise ValueError("name the affiliated group's facts one way: 'case' (its case file), 'result' (its "
                             "result JSON) or its 'categories' and 'bonuses' stated here"
                             + (f" (got {' and '.join(given)})" if given else ""))
        return self


class FacilityBased(Strict):
    """Facility-based measurement: the facility the clinician or group is attributed to, and its VBP standing."""

    facility: str | None = Field(default=None, description="the attributed hospital (name, CCN)")
    vbp_percentile: Decimal = Field(ge=0, le=100, description="the facility's Hospital Value-Based Purchasing "
                                    "Total Performance Score percentile")
    quality_score: Decimal | None = Field(default=None, ge=0, le=100, description="the facility-based quality "
                                          "score CMS reported, when the rulebook cannot convert the percentile")
    cost_score: Decimal | None = Field(default=None, ge=0, le=100, description="the facility-based cost score "
                                       "CMS reported, when the rulebook cannot convert the percentile")
    covered_services_percent: Decimal | None = Field(default=None, ge=0, le=100, description="individual: share "
                                                     "of covered professional services in inpatient hospital, "
                                                     "on-campus outpatient hospital or emergency room settings")
    inpatient_or_er_services: int | None = Field(default=None, ge=0, description="individual: covered services "
                                                 "in inpatient hospital or emergency room settings")
    facility_based_clinicians_percent: Decimal | None = Field(default=None, ge=0, le=100, description="group: "
                                                              "share of its clinicians who are facility-based")


class Eligibility(Strict):
    """What decides whether the clinician or group is MIPS eligible; the year's rules read each fact."""

    clinician_type: str | None = Field(default=None, description="a clinician type of the year's case inputs")
    allowed_charges: Decimal | None = Field(default=None, ge=0, description="Medicare Part B allowed charges for "
                                            "covered professional services in the determination period, dollars")
    beneficiaries: int | None = Field(default=None, ge=0, description="Medicare Part B-enrolled individuals cared for")
    services: int | None = Field(default=None, ge=0, description="covered professional services furnished")
    newly_enrolled: bool | None = Field(default=None, description="first enrolled in Medicare during the performance period")
    qualifying_apm_participant: bool | None = Field(default=None, description="a Qualifying APM Participant (QP)")
    partial_qp: bool | None = Field(default=None, description="a Partial Qualifying APM Participant")
    partial_qp_elects_mips: bool | None = Field(default=None, description="the Partial QP elected to take part in MIPS")
    opt_in: bool | None = Field(default=None, description="elected to opt in to MIPS (true) or not (false: voluntary "
                                "reporting or none), when the low-volume threshold is exceeded only in part")

    @model_validator(mode="after")
    def _consistent(self) -> "Eligibility":
        if self.qualifying_apm_participant and self.partial_qp:
            raise ValueError("a clinician is a Qualifying APM Participant or a Partial QP, not both")
        if self.partial_qp_elects_mips is not None and not self.partial_qp:
            raise ValueError("partial_qp_elects_mips goes with partial_qp: true")
        return self


class Case(Strict):
    case_id: str | None = None
    description: str | None = None
    performance_year: int
    entity: Entity
    practice: Practice
    special_statuses: list[str] = Field(default_factory=_none_listed)
    apm_participant: bool = False
    eligibility: Eligibility | None = Field(default=None, description="MIPS eligibility facts; without them the "
                                            "result is that of a MIPS eligible clinician")
    automatic_euc: bool | None = Field(default=None, description="stated automatic EUC status; when absent it "
                                       "is decided from the practice location and the year's designated places")
    program: str | None = Field(default=None, min_length=1,
                                description="the program the case reports, as a QPP programName: mips (traditional "
                                            "MIPS), app1 (APP), appPlus (APP Plus) or an MVP id such as G0054; "
                                            "when absent, the year's default for the entity type")
    submissions: list[str] = Field(default_factory=_none_listed, description="QPP JSON files, relative to the case file")
    categories: dict[str, CategoryInput] = Field(default_factory=_no_items)
    bonuses: dict[str, Annotated[Decimal, Field(ge=0)]] = Field(default_factory=_no_items)
    affiliated_group: AffiliatedGroup | None = Field(default=None, description="a subgroup's affiliated group")
    facility_based: FacilityBased | None = Field(default=None, description="facility-based measurement inputs")
