"""Score, trace and explain generated cases; print per-case median and 95th percentile, and load time.

    python bench/score_cases.py [--cases 3000] [--year 2023] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal

from engine import jsonout
from engine.api import score
from engine.case.models import Case
from engine.explain.render import explain
from engine.rulebook.compiled import Rulebook
from engine.rulebook.loader import load_rulebook


def generate(rulebook: Rulebook, count: int, seed: int) -> list[Case]:
    """Random but valid cases covering every status, reason and entity type of the rulebook."""
    rng = random.Random(seed)
    inputs = rulebook.case_inputs
    cases = []
    for index in range(count):
        categories = {}
        for name, spec in inputs.categories.items():
            status = rng.choice(spec.statuses)
            entry: dict = {"status": status}
            if status == "submitted":
                top = spec.score_max if spec.score_max is not None else Decimal(60)
                entry["score"] = Decimal(rng.randint(0, int(top) * 100)) / 100
            elif status == "reweighted":
                entry["reason"] = rng.choice([r for r, s in inputs.reweighting_reasons.items()
                                              if s.case_input and name in s.categories])
            categories[name] = entry
        cases.append(Case.model_validate({
            "case_id": f"bench-{index}",
            "performance_year": rulebook.year,
            "entity": {"type": rng.choice(list(inputs.entity_types))},
            "practice": {"clinician_count": rng.randint(1, 60)},
            "special_statuses": rng.sample(list(inputs.special_statuses), rng.randint(0, 2)),
            "apm_participant": rng.random() < 0.2,
            "automatic_euc": rng.random() < 0.15,
            "categories": categories,
            "bonuses": {"complex_patient": Decimal(rng.randint(0, 1200)) / 100} if rng.random() < 0.5 else {},
        }))
    return cases


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--year", default="2023")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    rulebook = load_rulebook(args.year)
    load_ms = (time.perf_counter() - start) * 1000
    cases = generate(rulebook, args.cases, args.seed)

    timings = {"score": [], "score+trace+explain": []}
    for case in cases:
        t0 = time.perf_counter()
        result = score(case, rulebook)
        t1 = time.perf_counter()
        jsonout.dumps(result.to_data())
        explain(result, "text")
        t2 = time.perf_counter()
        timings["score"].append((t1 - t0) * 1000)
        timings["score+trace+explain"].append((t2 - t0) * 1000)

    print(f"rulebook {rulebook.year} load: {load_ms:.1f} ms ({len(rulebook.rules)} rules, {len(rulebook.tables)} tables)")
    print(f"cases: {len(cases)}")
    for name, values in timings.items():
        print(f"{name:>22}: median {statistics.median(values):.3f} ms, p95 {percentile(values, 0.95):.3f} ms per case, "
              f"total {sum(values) / 1000:.2f} s")


if __name__ == "__main__":
    main()
