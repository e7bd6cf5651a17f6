"""The facts a rulebook's expressions read (`facts.*`), built from a validated case (records are named tuples,
cheap to define when a command starts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import attrgetter
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


ELIGIBILITY_FACTS = ("clinician_type", "allowed_charges", "beneficiaries", "services", "newly_enrolled",
                     "qualifying_apm_participant", "partial_qp", "partial_qp_elects_mips", "opt_in")
REGISTRATION_FACTS = ("reporting_option", "mvp", "mvp_title", "mvp_has_cahps", "mvp_outcome_admin_claims",
                      "mvp_data_source", "cahps", "specialty", "ssp_aco", "mips_eligible_clinicians")
_ELIGIBILITY = attrgetter(*ELIGIBILITY_FACTS)
_REGISTRATION = attrgetter(*REGISTRATION_FACTS)
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
Producer = Callable[[Case, CaseData], Iterable[Any]]
"""The values of a group of facts, in the order of the group's names."""


def _measurements(submitted: SubmittedCategory | None) -> Any:
    """The measurements a QPP submission gives for a category (missing without one)."""
    return submitted.measurements if submitted is not None else None


def _measure_results(category: CategoryInput | None) -> Any:
    """The CMS-scored measure results a case states for a category (missing when it states none)."""
    if category is not None and category.measures is not None:
        return tuple(Record(m.model_dump()) for m in category.measures)
    return None


CATEGORY_FACTS = ("status", "score", "reason", "from_affiliated_group", "prior_achievement_percent", "measurements",
                  "cms_measures", "performance_period_days")
"""Facts `facts.CATEGORY.NAME` of every category, before the facts the case inputs declare for it."""
GROUP_FIELDS = ("status", "score", "reason", "measurements")
"""Facts `facts.affiliated_group.CATEGORY.NAME` of every category."""
FACILITY_FIELDS = ("facility", "vbp_percentile", "quality_score", "cost_score", "covered_services_percent",
                   "inpatient_or_er_services", "facility_based_clinicians_percent")


def _groups(inputs: CaseInputs) -> list[tuple[tuple[str, ...], Producer]]:
    """Every fact name, in groups whose values one function gives (the facts in the order they are listed)."""
    categories, bonuses, statuses = list(inputs.categories), list(inputs.bonuses), list(inputs.special_statuses)
    groups: list[tuple[tuple[str, ...], Producer]] = [
        (("facts.performance_year", "facts.entity.type", "facts.practice.clinician_count",
          "facts.practice.small_practice", "facts.practice.state", "facts.practice.county", "facts.practice.zip",
          "facts.apm_participant", "facts.automatic_euc"), _case_facts),
        (("facts.practice.euc_designated", "facts.practice.euc_events", "facts.practice.euc_data_source",
          "facts.practice.euc_data_status"), _place_facts),
        (("facts.program.name", "facts.program.pathway", "facts.program.title",
          *(f"facts.program.{name}" for name in PROGRAM_LISTS)), _program_facts),
        (tuple(f"facts.eligibility.{name}" for name in ELIGIBILITY_FACTS), _eligibility_facts),
        (tuple(f"facts.registration.{name}" for name in REGISTRATION_FACTS), _registration_facts),
        (tuple(f"facts.special_status.{status}" for status in statuses),
         lambda c, s: [status in c.special_statuses for status in statuses]),
    ]
    for category in categories:
        specs = tuple((name, spec.type) for name, spec in inputs.categories[category].facts.items())
        groups.append((tuple(f"facts.{category}.{name}" for name in (*CATEGORY_FACTS, *(n for n, _ in specs))),
                       _category_facts(category, specs)))
    groups += [
        (tuple(f"facts.bonuses.{bonus}" for bonus in bonuses), lambda c, s: map(c.bonuses.get, bonuses)),
        (("facts.affiliated_group.source",
          *(f"facts.affiliated_group.{category}.{field}" for category in categories for field in GROUP_FIELDS),
          *(f"facts.affiliated_group.bonuses.{bonus}" for bonus in bonuses)), _group_facts(categories, bonuses)),
        (tuple(f"facts.facility_based.{field}" for field in FACILITY_FIELDS), _facility_facts),
    ]
    return groups


def _case_facts(c: Case, s: CaseData) -> Iterable[Any]:
    practice = c.practice
    return (Decimal(c.performance_year), c.entity.type, _dec(practice.clinician_count), practice.small_practice,
            practice.state, practice.county, practice.zip, c.apm_participant, c.automatic_euc)


def _place_facts(c: Case, s: CaseData) -> Iterable[Any]:
    place = s.place
    return (place.designated, place.events, place.source, place.status) if place else (None, (), None, None)


_PROGRAM_LISTS = attrgetter(*PROGRAM_LISTS)


def _program_facts(c: Case, s: CaseData) -> Iterable[Any]:
    program = s.program
    if not program:
        return (None,) * (3 + len(PROGRAM_LISTS))
    return (program.name, program.pathway, program.title, *_PROGRAM_LISTS(program))


def _eligibility_facts(c: Case, s: CaseData) -> Iterable[Any]:
    given = c.eligibility
    return _numbers(_ELIGIBILITY(given)) if given is not None else (None,) * len(ELIGIBILITY_FACTS)


def _registration_facts(c: Case, s: CaseData) -> Iterable[Any]:
    return _numbers(_REGISTRATION(s.registration))


_STATED = attrgetter("status", "score", "reason", "from_affiliated_group", "prior_achievement_percent")
"""What a case states of a category (the first facts of CATEGORY_FACTS, fields of CategoryInput)."""


def _category_facts(category: str, specs: tuple[tuple[str, str], ...]) -> Producer:
    """The facts of one category: what the case states of it, what a submission gives, and its declared facts."""
    def facts(c: Case, s: CaseData) -> Iterable[Any]:
        given = c.categories.get(category)
        status, score, reason, from_group, prior = _STATED(given) if given is not None else (None,) * 5
        submitted = s.submitted.get(category)
        return (status, score, reason, from_group is True, prior, _measurements(submitted), _measure_results(given),
                _dec(submitted.performance_period_days) if submitted is not None else None,
                *[_fact(given, name, kind) for name, kind in specs])
    return facts


_GROUP_FIELDS = attrgetter(*GROUP_FIELDS)


def _group_facts(categories: list[str], bonuses: list[str]) -> Producer:
    """`facts.affiliated_group.*`: the affiliated group's categories and bonuses (missing when not given)."""
    def facts(c: Case, s: CaseData) -> Iterable[Any]:
        group = s.group
        if not group:
            return (None,) * (1 + len(categories) * len(GROUP_FIELDS) + len(bonuses))
        values = [group.source]
        for category in categories:
            given = group.categories.get(category)
            values += _GROUP_FIELDS(given) if given else (None,) * len(GROUP_FIELDS)
        values += map(group.bonuses.get, bonuses)
        return values
    return facts


_FACILITY = attrgetter(*FACILITY_FIELDS)


def _facility_facts(c: Case, s: CaseData) -> Iterable[Any]:
    """`facts.facility_based.*`: the facility-based measurement inputs of the case (missing when not given)."""
    given = c.facility_based
    return _numbers(_FACILITY(given)) if given else (None,) * len(FACILITY_FIELDS)


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


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _groups_of(inputs: CaseInputs) -> list[tuple[tuple[str, ...], Producer]]:
    """The groups of facts of a case inputs object, built once for it."""
    return derived(inputs, "facts.groups", lambda: _groups(inputs))


def _number(value: Any) -> Any:
    """Whole numbers as Decimals (the language's one number type); other values unchanged."""
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _numbers(values: Iterable[Any]) -> list[Any]:
    """_number() of each value."""
    return [Decimal(v) if type(v) is int else v if v is None or type(v) is bool or type(v) is str else _number(v)
            for v in values]


def fact_names(inputs: CaseInputs) -> set[str]:
    """Every fact name a rule may read under these case inputs."""
    return {name for names, _ in _groups_of(inputs) for name in names}


def build_facts(case: Case, inputs: CaseInputs, submitted: Submitted | None = None,
                place: PlaceFacts | None = None, registration: RegistrationFacts | None = None,
                program: ProgramFacts | None = None, group: GroupFacts | None = None) -> dict[str, Any]:
    """The facts of one case (its submitted data, its place, a registration question, its program, a
    subgroup's affiliated group); a fact not given is None (missing), never zero."""
    data = CaseData(submitted or {}, place, registration or RegistrationFacts(), program, group)
    facts: dict[str, Any] = {}
    for names, produce in _groups_of(inputs):
        facts.update(zip(names, produce(case, data), strict=True))
    return facts


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
