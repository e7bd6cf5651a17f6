"""PI measures that may not be submitted together in one measurement set.

CMS rules (Submissions API change log; converter error 102): an exclusion may not come with the
measure it excludes (2020+), a substitute may not come with the measure it stands in for (2021+),
and so a substitute may not come with the original measure's exclusion either (PI_HIE_5 with
PI_LVOTC_1). The pairs come from the reference data (`exclusions`, `substitutes`).
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.reference.models import PIMeasure


def _pairs(pi_measures: dict[str, PIMeasure], present: dict[str, int]) -> Iterator[tuple[str, str, str]]:
    """(one id, other id, why they conflict) for every conflicting pair of present measures."""
    for measure_id, measure in pi_measures.items():
        for exclusion in measure.exclusions:
            if exclusion in present and measure_id in present:
                yield measure_id, exclusion, (
                    f"{exclusion} is the exclusion for {measure_id}, claimed when {measure_id} does not apply; "
                    f"submit either {measure_id} or {exclusion}")
        for substitute in measure.substitutes:
            if substitute in present and measure_id in present:
                yield measure_id, substitute, (
                    f"{substitute} and {measure_id} stand in for each other; submit one of them")
            for exclusion in measure.exclusions:
                if substitute in present and exclusion in present:
                    yield substitute, exclusion, (
                        f"{exclusion} (the exclusion for {measure_id}) cannot come with {substitute}, which "
                        f"substitutes for {measure_id}; submit either {substitute} or {exclusion}")


def pi_conflicts(measure_ids: list[str], pi_measures: dict[str, PIMeasure]) -> list[tuple[int, str]]:
    """(index of the later measurement, message) for each conflicting pair in one PI set, each pair once."""
    present: dict[str, int] = {}
    for index, measure_id in enumerate(measure_ids):
        present.setdefault(measure_id, index)
    seen: set[frozenset[str]] = set()
    found = []
    for one, other, why in _pairs(pi_measures, present):
        pair = frozenset((one, other))
        if pair in seen:
            continue
        seen.add(pair)
        first, later = sorted((present[one], present[other]))
        found.append((later, f"{measure_ids[later]} cannot be submitted with {measure_ids[first]} "
                             f"(measurements[{first}]): {why}, not both"))
    return sorted(found)
