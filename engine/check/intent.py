"""A question's facts ("intent"): read from a YAML/JSON file or from options, checked against the year.

An intent names the entity asking, the reporting option and MVP it has in mind, and the facts that
decide registration and eligibility. Its vocabularies (entity types, reporting options, clinician
types, specialty compositions) come from the year's case inputs and the MVP ids from the year's CMS
reference data, so an unknown or misspelled value is refused with the values the year knows.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from engine.case.facts import RegistrationFacts
from engine.case.loader import read_case_document
from engine.case.models import Eligibility, Strict
from engine.errors import CaseError, Problem
from engine.reference.loader import load_reference
from engine.rulebook.compiled import Rulebook
from engine.rulebook.validation_messages import problems_from
from engine.rulebook.yaml_source import locate

Question = Literal["registration", "eligibility"]
OPTIONS = "options"
"""The name problems carry when the intent came from command-line options."""


class Intent(Strict):
    """What a registration or eligibility question states."""

    question: Question | None = None
    performance_year: int
    entity: str = Field(description="entity type: individual, group, virtual_group, apm_entity or subgroup")
    clinicians: int | None = Field(default=None, ge=1, description="clinicians billing under the entity")
    small_practice: bool | None = Field(default=None, description="small-practice status, when known")
    mips_eligible_clinicians: int | None = Field(default=None, ge=0,
                                                 description="how many of the clinicians are MIPS eligible")
    reporting_option: str | None = Field(default=None, description="traditional, mvp, app or app_plus")
    mvp: str | None = Field(default=None, description="the MVP id (CMS mvpId), e.g. G0057")
    cahps: bool | None = Field(default=None, description="intends to administer the CAHPS for MIPS Survey")
    specialty: str | None = Field(default=None, description="specialty composition the group attests to")
    ssp_aco: bool | None = Field(default=None, description="a Medicare Shared Savings Program ACO")
    eligibility: Eligibility | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Intent":
        if (self.mips_eligible_clinicians is not None and self.clinicians is not None
                and self.mips_eligible_clinicians > self.clinicians):
            raise ValueError(f"mips_eligible_clinicians ({self.mips_eligible_clinicians}) is more than "
                             f"clinicians ({self.clinicians})")
        return self


def intent_from_file(path: Path) -> tuple[Intent, Any, str]:
    """Parse and structurally validate an intent file; returns the intent, its document and display name."""
    document, name = read_case_document(path)
    return _validate(document, name), document, name


def intent_from_options(values: dict[str, Any]) -> Intent:
    """An intent from command-line options (None for an option not given)."""
    document: dict[str, Any] = {k: v for k, v in values.items() if v is not None and k != "eligibility"}
    eligibility = {k: v for k, v in (values.get("eligibility") or {}).items() if v is not None}
    if eligibility:
        document["eligibility"] = eligibility
    return _validate(document, OPTIONS)


def _validate(document: Any, name: str) -> Intent:
    try:
        return Intent.model_validate(document)
    except ValidationError as exc:
        raise CaseError(problems_from(exc, Intent, document, name)) from None


def check_intent(intent: Intent, question: str, rulebook: Rulebook, document: Any = None,
                 name: str = OPTIONS) -> tuple[Intent, RegistrationFacts]:
    """Refuse values the year does not know; return the intent completed (reporting option of a named MVP)
    and the registration facts, with what the year's CMS MVP data say of the MVP named."""
    inputs = rulebook.case_inputs
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], message: str) -> None:
        where = locate(document, path) if document is not None else None
        problems.append(Problem(name, where.line if where else None, where.column if where else None,
                                ".".join(str(p) for p in path), message))

    def vocabulary(path: tuple[str, ...], value: str | None, known: dict[str, Any], what: str) -> None:
        if value is None or value in known:
            return
        if not known:
            add(path, f"the {rulebook.year} rulebook knows no {what}s; leave '{path[-1]}' out")
            return
        add(path, f"unknown {what} '{value}' for {rulebook.year}{_did_you_mean(value, known)}; "
            f"known: {', '.join(known)}")

    if intent.question is not None and intent.question != question:
        add(("question",), f"the file asks a {intent.question} question; run `mips check {intent.question}`")
    vocabulary(("entity",), intent.entity, inputs.entity_types, "entity type")
    vocabulary(("reporting_option",), intent.reporting_option, inputs.reporting_options, "reporting option")
    vocabulary(("specialty",), intent.specialty, inputs.specialty_compositions, "specialty composition")
    if intent.eligibility is not None:
        vocabulary(("eligibility", "clinician_type"), intent.eligibility.clinician_type, inputs.clinician_types,
                   "clinician type")
    reporting_option = intent.reporting_option
    facts = RegistrationFacts()
    if intent.mvp is not None:
        if reporting_option not in (None, "mvp"):
            add(("mvp",), f"an MVP is named but the reporting option is '{reporting_option}'; "
                "name an MVP only with the reporting option mvp")
        reporting_option = "mvp"
        facts = _mvp_facts(intent.mvp, rulebook.year, add)
    if question == "registration" and reporting_option is None:
        known = ", ".join(inputs.reporting_options) or "none"
        add(("reporting_option",), f"a registration question needs the reporting option ({known}) or an MVP id")
    if problems:
        raise CaseError(problems)
    completed = intent.model_copy(update={"reporting_option": reporting_option})
    return completed, RegistrationFacts(
        reporting_option=reporting_option, mvp=facts.mvp, mvp_title=facts.mvp_title,
        mvp_has_cahps=facts.mvp_has_cahps, mvp_outcome_admin_claims=facts.mvp_outcome_admin_claims,
        mvp_data_source=facts.mvp_data_source, cahps=intent.cahps, specialty=intent.specialty,
        ssp_aco=intent.ssp_aco, mips_eligible_clinicians=intent.mips_eligible_clinicians)


def _mvp_facts(mvp_id: str, year: int, add: Any) -> RegistrationFacts:
    """What the year's CMS MVP data say of an MVP; an id that is no MVP of the year is refused."""
    reference = load_reference(year)
    mvp = reference.mvps.get(mvp_id.upper())
    if mvp is None:
        known = sorted(reference.mvps)
        if not known:
            add(("mvp",), f"performance year {year} has no MVPs (CMS MVP data start with 2023)")
        else:
            add(("mvp",), f"'{mvp_id}' is not an MVP of performance year {year}{_did_you_mean(mvp_id, known)}; "
                f"the {len(known)} MVPs of {year}: {', '.join(known)}")
        return RegistrationFacts()
    files = [f for f in reference.source.files if f.startswith("mvp/")]
    source = f"{reference.source.repository} {', '.join(files)} at commit {reference.source.commit[:12]}"
    return RegistrationFacts(mvp=mvp.id, mvp_title=mvp.title, mvp_has_cahps=mvp.has_cahps,
                             mvp_outcome_admin_claims=mvp.administrative_claims_measure_ids,
                             mvp_data_source=source)


def _did_you_mean(value: str, known: Any) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
