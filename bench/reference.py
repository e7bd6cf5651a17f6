"""Plain-Python reference computations the benchmarks time beside the engine, in the same process.

They compute the same final score (from category scores) and the same quality measure points (from
measurement records) as the PY2023-shaped rules, with the rulebook's own parameters and decision table,
but without the interpreter and without a trace. The benchmarks check that they agree with the engine
before timing anything, and report the engine's time as a multiple of theirs, so that the load of the
machine cancels out.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from engine.case.models import Case
from engine.expr.functions import CONTEXT
from engine.rulebook.compiled import Rulebook
from engine.rulebook.tables import ANY

CATEGORIES = ("quality", "cost", "ia", "pi")


def _decile_points(value: Decimal, lows: tuple[Decimal, ...], inverse: bool) -> Decimal | None:
    """The decile reached plus the share of its range covered; the top decile flat; None below decile 1
    (the reference's own copy: a faster engine function must not make the reference faster too)."""
    reached = [i for i, low in enumerate(lows, start=1) if (value <= low if inverse else value >= low)]
    if not reached:
        return None
    decile = reached[-1]
    if decile == len(lows):
        return Decimal(decile)
    low, high = lows[decile - 1], lows[decile]
    return Decimal(decile) + (value - low) / (high - low)


class FinalScore:
    """The final score of a case that gives category scores, computed directly."""

    def __init__(self, rulebook: Rulebook):
        p = {name.removeprefix("params."): param.value for name, param in rulebook.parameters.items()}
        self.table = rulebook.tables["reweighting"]
        self.threshold = p["program.performance_threshold"]
        self.small_max = p["program.small_practice_max_clinicians"]
        self.maximum = p["final_score.maximum"]
        self.min_scored = p["final_score.min_scored_categories"]
        self.bonus_max = p["bonuses.complex_patient_max"]
        self.ia_max = p["improvement_activities.max_points"]
        self.apm_points = p["improvement_activities.apm_credit_points"]
        self.automatic_types = p["euc.automatic_entity_types"]

    def __call__(self, case: Case) -> Decimal:
        with localcontext(CONTEXT):
            return self._score(case)

    def _score(self, case: Case) -> Decimal:
        given = case.categories
        submitted = {c: given[c].status == "submitted" for c in CATEGORIES}
        euc = bool(case.automatic_euc) and case.entity.type in self.automatic_types
        practice = case.practice
        small = practice.small_practice if practice.small_practice is not None else (
            practice.clinician_count <= self.small_max)
        apm = case.apm_participant and (not euc or submitted["quality"] or submitted["pi"])
        special = any(s in case.special_statuses for s in ("hospital_based", "asc_based", "non_patient_facing"))
        reweighted = {c: given[c].status == "reweighted" for c in CATEGORIES}
        scored = {
            "quality": not (reweighted["quality"] or euc and not submitted["quality"]),
            "cost": not (reweighted["cost"] or euc),
            "ia": not (reweighted["ia"] or euc and not (submitted["ia"] or apm)),
            "pi": not (reweighted["pi"] or euc and not submitted["pi"]
                       or (small or special) and given["pi"].status == "not_submitted"),
        }
        count = sum(scored.values())
        if count < self.min_scored:
            return self.threshold
        situation = {**scored, "small_practice": small, "automatic_euc": euc}
        row = next(r for r in self.table.rows
                   if all(c == ANY or situation[name] == c for name, c in r.when.items()))
        total = Decimal(0)
        for c in CATEGORIES:
            if not scored[c]:
                continue
            if c == "ia":
                points = given["ia"].score if submitted["ia"] else Decimal(0)
                points = min(max(points, self.apm_points if apm else Decimal(0)), self.ia_max)
                score = points * 100 / self.ia_max
            else:
                score = given[c].score if submitted[c] else Decimal(0)
            total += score * row.then[c] / 100
        bonus = case.bonuses.get("complex_patient")
        if bonus is not None and any(submitted[c] for c in ("quality", "ia", "pi")):
            total += min(bonus, self.bonus_max)
        return min(total, self.maximum)


class MeasurePoints:
    """The achievement points of one quality measure record, computed directly."""

    def __init__(self, rulebook: Rulebook):
        p = {name.removeprefix("params."): param.value for name, param in rulebook.parameters.items()}
        self.p = p
        self.year = Decimal(rulebook.year)

    def __call__(self, m: Any, small_practice: bool) -> Decimal:
        with localcontext(CONTEXT):
            return self._points(m, small_practice)

    def _points(self, m: Any, small_practice: bool) -> Decimal:
        p = self.p
        completeness, rate = m["data_completeness"], m["performance_rate"]
        if rate is not None:
            rate = rate.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        benchmarked = (completeness is not None and completeness >= p["quality.data_completeness_percent"]
                       and m["case_count"] >= p["quality.case_minimum"] and m["benchmark"] is not None
                       and rate is not None)
        if not benchmarked:
            return p["quality.small_practice_unscored_points"] if small_practice else p["quality.unscored_points"]
        inverse = m["is_inverse"]
        benchmark = m["benchmark"]
        bounds = tuple(benchmark[key] for key in p["quality.inverse_decile_bounds" if inverse else "quality.decile_bounds"])
        points = _decile_points(rate, bounds, inverse)
        points = p["quality.below_decile_one_points"] if points is None else points
        cap = (p["quality.topped_out_cap_points"] if m["topped_out_by_program"] and not m["seven_point_cap_removed"]
               else p["quality.maximum_points"])
        first = m["first_performance_year"]
        floor = (p["quality.new_measure_floor_first_year"] if first == self.year
                 else p["quality.new_measure_floor_second_year"] if first == self.year - 1
                 else p["quality.minimum_points"])
        return min(max(points, floor), cap)
