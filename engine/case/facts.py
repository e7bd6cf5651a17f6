"""The facts a rulebook's expressions read (`facts.*`), built from a validated case (records are named tuples,
cheap to define when a command starts)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from engine.case.models import Case, CategoryInput
from engine.expr import Record
from engine.memo import derived
from engine.rulebook.models import CaseInputs


class SubmittedCategory(NamedTuple):
    """A category's data from a QPP submission: measurement records and the performance period."""

    measurements: tuple[Record, ...]
    performance_period_days: int | None
    source_file: str


class PlaceFacts(NamedTuple):
    """What the year's automatic EUC data say of the practice location."""

    designated: bool | None        # None: a state was given whose counties are only partly designated
    events: tuple[str, ...]        # names of the events covering the place
    source: str                    # citation of the place data and event assignment used
    status: str


class GroupCategory(NamedTuple):
    """One category of a subgroup's affiliated group, as its result or its stated facts give it."""

    status: str
    score: Decimal | None = None
    reason: str | None = None
    measurements: tuple[Record, ...] | None = None


class GroupFacts(NamedTuple):
    """What a subgroup's affiliated group brings: its categories and bonuses, and where they were read."""

    source: str
    categories: dict[str, GroupCategory]
    bonuses: dict[str, Decimal | None]


class ProgramFacts(NamedTuple):
    """The program (QPP programName) a case is scored under, and for an MVP the measures it counts."""

    name: str                                   # programName: mips, app1, appPlus, an MVP id
    pathway: str                                # the year's reporting option it selects
    title: str
    quality_measures: tuple[str, ...] | None = None
    improvement_activities: tuple[str, ...] | None = None
    cost_measures: tuple[str, ...] | None = None
    population_health_measures: tuple[str, ...] | None = None
    administrative_claims_measures: tuple[str, ...] | None = None
    has_cahps: bool | None = None


PROGRAM_LISTS = ("quality_measures", "improvement_activities", "cost_measures", "population_health_measures",
                 "administrative_claims_measures", "has_cahps")
"""Facts `facts.program.NAME` of a program with its own measure lists (an MVP); missing for other programs."""


class RegistrationFacts(NamedTuple):
    """What a registration question states, and what the year's CMS MVP data say of the MVP it names."""

    reporting_option: str | None = None
    mvp: str | None = None
    mvp_title: str | None = None
    mvp_has_cahps: bool | None = None
    mvp_outcome_admin_claims: tuple[str, ...] = ()
    mvp_data_source: str | None = None     # citation of the MVP data read
    cahps: bool | None = None              # intends to administer the CAHPS for MIPS Survey
    specialty: str | None = None           # specialty composition the group would attest to
    ssp_aco: bool | None = None            # a Medicare Shared Savings Program ACO
    mips_eligible_clinicians: int | None = None


class CaseData(NamedTuple):
    """Data found for a case beyond its own file: submitted categories, place facts, a registration question,
    the program, the affiliated group of a subgroup."""

    submitted: dict[str, SubmittedCategory]
    place: PlaceFacts | None = None
    registration: RegistrationFacts = RegistrationFacts()
    program: ProgramFacts | None = None
    group: GroupFacts | None = None


Submitted = dict[str, SubmittedCategory]
Getter = Callable[[Case, CaseData], Any]


def _measurements(submitted: SubmittedCategory | None) -> Any:
    """The measurements a QPP submission gives for a category (missing without one)."""
    return submitted.measurements if submitted is not None else None


def _measure_results(category: CategoryInput | None) -> Any:
    """The CMS-scored measure results a case states for a category (missing when it states none)."""
    if category is not None and category.measures is not None:
        return tuple(Record(m.model_dump()) for m in category.measures)
    return None


def _getters(inputs: CaseInputs) -> dict[str, Getter]:
    getters: dict[str, Getter] = {
        "facts.performance_year": lambda c, s: Decimal(c.performance_year),
        "facts.entity.type": lambda c, s: c.entity.type,
        "facts.practice.clinician_count": lambda c, s: _dec(c.practice.clinician_count),
        "facts.practice.small_practice": lambda c, s: c.practice.small_practice,
        "facts.practice.state": lambda c, s: c.practice.state,
        "facts.practice.county": lambda c, s: c.practice.county,
        "facts.practice.zip": lambda c, s: c.practice.zip,
        "facts.apm_participant": lambda c, s: c.apm_participant,
        "facts.automatic_euc": lambda c, s: c.automatic_euc,
        "facts.practice.euc_designated": lambda c, s: s.place.designated if s.place else None,
        "facts.practice.euc_events": lambda c, s: s.place.events if s.place else (),
        "facts.practice.euc_data_source": lambda c, s: s.place.source if s.place else None,
        "facts.practice.euc_data_status": lambda c, s: s.place.status if s.place else None,
        "facts.program.name": lambda c, s: s.program.name if s.program else None,
        "facts.program.pathway": lambda c, s: s.program.pathway if s.program else None,
        "facts.program.title": lambda c, s: s.program.title if s.program else None,
    }
    for name in PROGRAM_LISTS:
        getters[f"facts.program.{name}"] = lambda c, s, n=name: getattr(s.program, n) if s.program else None
    for name in ELIGIBILITY_FACTS:
        getters[f"facts.eligibility.{name}"] = lambda c, s, n=name: _number(getattr(c.eligibility, n, None))
    for name in REGISTRATION_FACTS:
        getters[f"facts.registration.{name}"] = lambda c, s, n=name: _number(getattr(s.registration, n))
    for status in inputs.special_statuses:
        getters[f"facts.special_status.{status}"] = lambda c, s, st=status: st in c.special_statuses
    for category in inputs.categories:
        getters[f"facts.{category}.status"] = lambda c, s, k=category: _field(c, k, "status")
        getters[f"facts.{category}.score"] = lambda c, s, k=category: _field(c, k, "score")
        getters[f"facts.{category}.reason"] = lambda c, s, k=category: _field(c, k, "reason")
        getters[f"facts.{category}.from_affiliated_group"] = (
            lambda c, s, k=category: _field(c, k, "from_affiliated_group") is True)
        getters[f"facts.{category}.prior_achievement_percent"] = (
            lambda c, s, k=category: _field(c, k, "prior_achievement_percent"))
        getters[f"facts.{category}.measurements"] = lambda c, s, k=category: _measurements(s.submitted.get(k))
        getters[f"facts.{category}.cms_measures"] = lambda c, s, k=category: _measure_results(c.categories.get(k))
        getters[f"facts.{category}.performance_period_days"] = (
            lambda c, s, k=category: _dec(s.submitted[k].performance_period_days) if k in s.submitted else None)
        for name, spec in inputs.categories[category].facts.items():
            getters[f"facts.{category}.{name}"] = (
                lambda c, s, k=category, n=name, t=spec.type: _fact(c.categories.get(k), n, t))
    for bonus in inputs.bonuses:
        getters[f"facts.bonuses.{bonus}"] = lambda c, s, b=bonus: c.bonuses.get(b)
    getters |= _group_getters(inputs) | _facility_getters()
    return getters


def _group_getters(inputs: CaseInputs) -> dict[str, Getter]:
    """`facts.affiliated_group.*`: the affiliated group's categories and bonuses (missing when not given)."""
    def part(category: str, field: str) -> Getter:
        def get(c: Case, s: CaseData) -> Any:
            given = s.group.categories.get(category) if s.group else None
            return getattr(given, field) if given else None
        return get

    getters: dict[str, Getter] = {
        "facts.affiliated_group.source": lambda c, s: s.group.source if s.group else None,
    }
    for category in inputs.categories:
        for field in ("status", "score", "reason", "measurements"):
            getters[f"facts.affiliated_group.{category}.{field}"] = part(category, field)
    for bonus in inputs.bonuses:
        getters[f"facts.affiliated_group.bonuses.{bonus}"] = (
            lambda c, s, b=bonus: s.group.bonuses.get(b) if s.group else None)
    return getters


FACILITY_FIELDS = ("facility", "vbp_percentile", "quality_score", "cost_score", "covered_services_percent",
                   "inpatient_or_er_services", "facility_based_clinicians_percent")


def _facility_getters() -> dict[str, Getter]:
    """`facts.facility_based.*`: the facility-based measurement inputs of the case (missing when not given)."""
    getters: dict[str, Getter] = {}
    for field in FACILITY_FIELDS:
        getters[f"facts.facility_based.{field}"] = (
            lambda c, s, f=field: _number(getattr(c.facility_based, f)) if c.facility_based else None)
    return getters


def _fact(category: CategoryInput | None, name: str, kind: str) -> Any:
    """A category fact the case states, as rules read it (number, yes/no, tuple of ids); None when not stated."""
    value = category.facts.get(name) if category is not None else None
    if value is None:
        return None
    if kind == "number":
        return Decimal(str(value))
    if kind == "text_list":
        return tuple(str(v) for v in value)
    return value


def _field(case: Case, category: str, name: str) -> Any:
    """A field of a category the case gives; missing when the case leaves the category out (an optional
    category, or a question about registration or eligibility)."""
    given = case.categories.get(category)
    return getattr(given, name) if given is not None else None


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _getters_of(inputs: CaseInputs) -> dict[str, Getter]:
    """The getters of a case inputs object, built once for it."""
    return derived(inputs, "facts.getters", lambda: _getters(inputs))


def _number(value: Any) -> Any:
    """Whole numbers as Decimals (the language's one number type); other values unchanged."""
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


ELIGIBILITY_FACTS = ("clinician_type", "allowed_charges", "beneficiaries", "services", "newly_enrolled",
                     "qualifying_apm_participant", "partial_qp", "partial_qp_elects_mips", "opt_in")
REGISTRATION_FACTS = ("reporting_option", "mvp", "mvp_title", "mvp_has_cahps", "mvp_outcome_admin_claims",
                      "mvp_data_source", "cahps", "specialty", "ssp_aco", "mips_eligible_clinicians")


def fact_names(inputs: CaseInputs) -> set[str]:
    """Every fact name a rule may read under these case inputs."""
    return set(_getters_of(inputs))


def build_facts(case: Case, inputs: CaseInputs, submitted: Submitted | None = None,
                place: PlaceFacts | None = None, registration: RegistrationFacts | None = None,
                program: ProgramFacts | None = None, group: GroupFacts | None = None) -> dict[str, Any]:
    """The facts of one case (its submitted data, its place, a registration question, its program, a
    subgroup's affiliated group); a fact not given is None (missing), never zero."""
    data = CaseData(submitted or {}, place, registration or RegistrationFacts(), program, group)
    return {name: getter(case, data) for name, getter in _getters_of(inputs).items()}


def with_category_scores(facts: dict[str, Any], inputs: CaseInputs, scores: dict[str, Any]) -> dict[str, Any]:
    """The same facts with some categories' data replaced by a score (as another way of scoring gives it):
    each such category is submitted with that score and nothing else."""
    changed = dict(facts)
    for category, score in scores.items():
        for name in [n for n in changed if n.startswith(f"facts.{category}.")]:
            changed[name] = None
        changed |= {f"facts.{category}.status": "submitted", f"facts.{category}.score": score,
                    f"facts.{category}.from_affiliated_group": False}
    return changed


def fact_kinds(inputs: CaseInputs) -> dict[str, tuple[str, ...]]:
    """The kinds of value each fact may have (a fact not listed may have any): for load-time type checks."""
    text, number, flag, items = ("string", "null"), ("number", "null"), ("boolean", "null"), ("list", "null")
    kinds: dict[str, tuple[str, ...]] = {
        "facts.performance_year": ("number",), "facts.entity.type": ("string",),
        "facts.practice.clinician_count": number, "facts.practice.small_practice": flag,
        "facts.practice.state": text, "facts.practice.county": text, "facts.practice.zip": text,
        "facts.apm_participant": ("boolean",), "facts.automatic_euc": flag,
        "facts.practice.euc_designated": flag, "facts.practice.euc_events": ("list",),
        "facts.practice.euc_data_source": text, "facts.practice.euc_data_status": text,
    }
    kinds |= {f"facts.special_status.{status}": ("boolean",) for status in inputs.special_statuses}
    kinds |= {f"facts.bonuses.{bonus}": number for bonus in inputs.bonuses}
    for category in inputs.categories:
        kinds |= {f"facts.{category}.status": text, f"facts.{category}.score": number,
                  f"facts.{category}.reason": text, f"facts.{category}.prior_achievement_percent": number,
                  f"facts.{category}.measurements": items, f"facts.{category}.cms_measures": items,
                  f"facts.{category}.performance_period_days": number}
    return kinds
