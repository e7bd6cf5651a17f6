"""CMS's measurement arithmetic, as the Submissions API documentation states it (Measurements page).

Every quotient is taken once, exactly, under an explicit context (`quotient`): whole counts are
divided at once, JSON decimals and averages of rates through exact fractions (`to_decimal`); nothing is
rounded to a number of places here: the rulebook declares rounding.
Rates and completeness are percentages (0-100). A rate whose denominator is 0 is None, not 0.
Absent optional counts (performanceNotMet, exclusions, exceptions) add nothing to a sum, as CMS
treats 0 and null alike; the raw facts keep them as None.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from fractions import Fraction
from typing import NamedTuple

DECIMAL_CONTEXT = Context(prec=50, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
"""Quotients are exact when they terminate within 50 significant digits, else correct to 50 digits."""
OVERALL = "overall"
"""Name of the stratum that overallStratumOnly measures score; other algorithms leave it out."""
NEEDED_STRATA = {"simpleAverage": (), "weightedAverage": (), "sumNumerators": (),
                 "overallStratumOnly": (OVERALL,), "split": ("reporting", "performance")}
"""The overallAlgorithms CMS documents, and the strata each one needs by name."""


class Counts(NamedTuple):
    """The counts of a single-rate measurement or of one stratum, as submitted (None = not given)."""

    performance_met: int
    performance_not_met: int | None
    eligible_population_exclusion: int | None
    eligible_population_exception: int | None
    eligible_population: int
    numerator_exclusion: int | None = None

    @property
    def met_not_met(self) -> int:
        return self.performance_met + (self.performance_not_met or 0)

    @property
    def exclusions(self) -> int:
        return self.eligible_population_exclusion or 0

    @property
    def reported(self) -> int:
        """met + exclusions + exceptions + notMet: the patients the submitter reported on."""
        return (self.performance_met + (self.performance_not_met or 0) + (self.eligible_population_exclusion or 0)
                + (self.eligible_population_exception or 0))


class Overall(NamedTuple):
    """A multi-rate measurement's overall figures (percent; case count in patients)."""

    performance_rate: Decimal | None
    data_completeness: Decimal | None
    case_count: int


def to_decimal(value: Fraction | None) -> Decimal | None:
    """The Decimal of an exact fraction under DECIMAL_CONTEXT."""
    if value is None:
        return None
    return DECIMAL_CONTEXT.divide(*value.as_integer_ratio())


def quotient(numerator: int | Decimal, denominator: int | Decimal, scale: int = 1) -> Decimal | None:
    """numerator / denominator (times `scale`) under DECIMAL_CONTEXT, or None when the denominator is 0.

    Whole numbers over a positive whole number are divided at once: the same rational number as its
    reduced fraction, so the same Decimal as `to_decimal` of it. Other operands go through exact fractions.
    """
    if denominator == 0:
        return None
    if type(numerator) is int and type(denominator) is int and denominator > 0:
        return DECIMAL_CONTEXT.divide(numerator * scale, denominator)
    return to_decimal(Fraction(numerator) * scale / Fraction(denominator))


def percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator x 100, or None when the denominator is 0."""
    return quotient(numerator, denominator, 100)


def performance_rate(counts: Counts) -> Decimal | None:
    """Single rate: met / (met + notMet) x 100."""
    return percent(counts.performance_met, counts.met_not_met)


def stratum_rate(counts: Counts) -> Decimal | None:
    """A stratum under simpleAverage or overallStratumOnly: met / (met + notMet - exclusions) x 100.

    None when that denominator is 0 or below (CMS's formula is undefined there).
    """
    denominator = counts.met_not_met - counts.exclusions
    return percent(counts.performance_met, denominator) if denominator > 0 else None


def _stratum_fraction(counts: Counts) -> Fraction | None:
    """`stratum_rate` as an exact fraction (simpleAverage averages them before taking the quotient)."""
    denominator = counts.met_not_met - counts.exclusions
    return Fraction(counts.performance_met * 100, denominator) if denominator > 0 else None


def data_completeness(counts: list[Counts]) -> Decimal | None:
    """(met + exclusions + exceptions + notMet) / eligiblePopulation x 100, pooled over `counts`."""
    reported = population = 0
    for c in counts:
        reported += c.reported
        population += c.eligible_population
    return percent(reported, population)


def case_count(counts: Counts, subtract_exclusions: bool) -> int:
    """eligiblePopulation (CQM/eCQM single rate) or eligiblePopulation - exclusions (QCDR, strata)."""
    return counts.eligible_population - (counts.exclusions if subtract_exclusions else 0)


def overall(algorithm: str, strata: dict[str, Counts]) -> Overall:
    """Overall rate, completeness and case count of a multi-rate measurement by its overallAlgorithm.

    "overall" strata are left out except under overallStratumOnly, which uses only that stratum;
    split takes completeness and case count from the "reporting" stratum and the rate from "performance".
    Where the docs give no rule, completeness is pooled over the strata the rate uses, sumNumerators
    sums case counts like weightedAverage, and simpleAverage averages the strata that have a rate.
    """
    if algorithm == "overallStratumOnly":
        chosen = strata[OVERALL]
        return Overall(stratum_rate(chosen), data_completeness([chosen]), case_count(chosen, True))
    if algorithm == "split":
        reporting = strata["reporting"]
        return Overall(performance_rate(strata["performance"]), data_completeness([reporting]),
                       case_count(reporting, True))
    used = [c for name, c in strata.items() if name != OVERALL]
    completeness = data_completeness(used)
    cases = [case_count(c, True) for c in used]
    if algorithm == "simpleAverage":
        rates = [r for r in map(_stratum_fraction, used) if r is not None]
        return Overall(to_decimal(sum(rates, Fraction(0)) / len(rates)) if rates else None, completeness, max(cases))
    if algorithm == "weightedAverage":
        rate = percent(sum(c.performance_met for c in used), sum(c.met_not_met for c in used))
        return Overall(rate, completeness, sum(cases))
    if algorithm == "sumNumerators":
        return Overall(quotient(sum(c.performance_met for c in used), 1), completeness, sum(cases))
    raise ValueError(f"unknown overallAlgorithm '{algorithm}'")


def algorithm_problem(algorithm: str | None, strata: list[str]) -> str | None:
    """Why a multi-rate measure's reference data cannot be calculated, or None when it can."""
    if algorithm not in NEEDED_STRATA:
        return (f"its overallAlgorithm {algorithm!r} is none of {', '.join(NEEDED_STRATA)}, so its rate "
                f"cannot be calculated; correct the reference data")
    missing = [name for name in NEEDED_STRATA[algorithm] if name not in strata]
    if missing or not strata:
        return (f"overallAlgorithm {algorithm} needs the strata {', '.join(missing) or 'of the measure'}, "
                f"which the reference data does not list; correct the reference data")
    return None
