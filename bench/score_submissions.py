"""Time QPP JSON submissions end to end: parse, validate, join with reference data, score, explain.

    python bench/score_submissions.py [--runs 300]

Prints the one-off rulebook and reference-data load times, then the median and 95th percentile per
submission (reading the file included) for each bundled example submission.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from engine import jsonout
from engine.api import rulebook_for, score_file
from engine.explain.render import explain
from engine.reference.loader import load_reference

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [(ROOT / "examples/submissions/2023-individual.json", ROOT / "examples/profiles/individual-2023.yaml"),
         (ROOT / "examples/submissions/2023-group.json", ROOT / "examples/profiles/individual-2023.yaml")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    t0 = time.perf_counter()
    rulebook_for("2023")
    t1 = time.perf_counter()
    load_reference(2023)
    t2 = time.perf_counter()
    print(f"rulebook 2023 load: {(t1 - t0) * 1000:.1f} ms; reference data 2023 load: {(t2 - t1) * 1000:.1f} ms")
    for submission, profile in PAIRS:
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = score_file(submission, profile=profile)
            jsonout.dumps(result.to_data())
            explain(result, "text")
            timings.append((time.perf_counter() - start) * 1000)
        ordered = sorted(timings)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{submission.name}: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms per submission "
              f"({args.runs} runs; parse, validate, score, trace and explain)")


if __name__ == "__main__":
    main()
