"""The facts a rulebook's expressions read (`facts.*`), built from a validated case."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from engine.case.models import Case
from engine.rulebook.models import CaseInputs

Getter = Callable[[Case], Any]


def _getters(inputs: CaseInputs) -> dict[str, Getter]:
    getters: dict[str, Getter] = {
        "facts.entity.type": lambda c: c.entity.type,
        "facts.practice.clinician_count": lambda c: _dec(c.practice.clinician_count),
        "facts.practice.small_practice": lambda c: c.practice.small_practice,
        "facts.practice.state": lambda c: c.practice.state,
        "facts.practice.county": lambda c: c.practice.county,
        "facts.practice.zip": lambda c: c.practice.zip,
        "facts.apm_participant": lambda c: c.apm_participant,
        "facts.automatic_euc": lambda c: c.automatic_euc,
    }
    for status in inputs.special_statuses:
        getters[f"facts.special_status.{status}"] = lambda c, s=status: s in c.special_statuses
    for category in inputs.categories:
        getters[f"facts.{category}.status"] = lambda c, k=category: c.categories[k].status
        getters[f"facts.{category}.score"] = lambda c, k=category: c.categories[k].score
        getters[f"facts.{category}.reason"] = lambda c, k=category: c.categories[k].reason
    for bonus in inputs.bonuses:
        getters[f"facts.bonuses.{bonus}"] = lambda c, b=bonus: c.bonuses.get(b)
    return getters


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def fact_names(inputs: CaseInputs) -> set[str]:
    """Every fact name a rule may read under these case inputs."""
    return set(_getters(inputs))


def build_facts(case: Case, inputs: CaseInputs) -> dict[str, Any]:
    """The facts of one case; a fact not given is None (missing), never zero."""
    return {name: getter(case) for name, getter in _getters(inputs).items()}
