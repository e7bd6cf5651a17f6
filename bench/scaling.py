"""How scoring grows: with the number of quality measures in a submission, and over many cases in one process.

    python bench/scaling.py [--runs 100] [--cases 1000]

A QPP JSON submission with 1, 6, 20 and 50 benchmarked quality measures is scored and traced (score_file,
then its compact JSON); the time per submission should grow linearly with the measures. Then one process
scores and writes `--cases` submissions in turn; the time per block of cases should stay flat, and so should
the memory the process holds (resident set size), since nothing is kept from one case to the next.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, quality_submission, show, timed, write_json  # noqa: E402

from engine.api import score_file  # noqa: E402
from engine.reference.loader import load_reference  # noqa: E402

PROFILE = ROOT / "examples/profiles/individual-2023.yaml"
QUALITY_ONLY = """\
case_id: bench-quality-only
practice: {clinician_count: 22, state: OH, county: Franklin}
categories:
  quality: {status: submitted, from_submission: true}
  cost: {status: submitted, measures: [{measure_id: MSPB_1, achievement_points: 6.2}]}
  ia: {status: submitted, score: 40}
  pi: {status: submitted, score: 80}
"""
"""The facts a quality-only submission lacks (the example profile expects PI and IA in the submission)."""
SIZES = (1, 6, 20, 50)


def resident_mb() -> float:
    """The process's resident set size now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as stream:
        pages = int(stream.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def by_measures(folder: Path, runs: int) -> None:
    reference = load_reference(2023)
    profile = folder / "quality-only.yaml"
    profile.write_text(QUALITY_ONLY, encoding="utf-8")
    medians = {}
    for count in SIZES:
        path = write_json(folder / f"measures-{count}.json", quality_submission(reference, count, seed=count))
        result = score_file(path, profile=profile)
        assert len(result.value("quality.measures")) == count
        timing = timed(runs, lambda _: score_file(path, profile=profile).to_json())
        medians[count] = timing.cpu_median or timing.median
        print(f"{count:3d} quality measures: median {show(timing.median):>9}  p95 {show(timing.p95):>9}  "
              f"processor {show(medians[count]):>9} ({show(medians[count] / count)} per measure)")
    slope = (medians[SIZES[-1]] - medians[SIZES[0]]) / (SIZES[-1] - SIZES[0])
    worst = max(abs(medians[n] - (medians[SIZES[0]] + slope * (n - SIZES[0]))) / medians[n] for n in SIZES)
    print(f"linear fit of the processor times: {show(medians[SIZES[0]] - slope * SIZES[0])} + {show(slope)} "
          f"per measure; largest departure {worst:.0%} of a figure")


def many_cases(folder: Path, count: int) -> None:
    examples = [ROOT / "examples/submissions/2023-individual.json", ROOT / "examples/submissions/2023-group.json"]
    block = max(1, count // 10)
    blocks, memory = [], []
    for start in range(0, count, block):
        size = min(block, count - start)
        blocks.append(timed(size, lambda i: score_file(examples[(start + i) % 2], profile=PROFILE).to_json()))
        memory.append(resident_mb())
    print(f"{count} submissions in one process, in blocks of {block}: median processor time per submission "
          + " ".join(show(t.cpu_median or t.median) for t in blocks))
    print("resident memory after each block (MB): " + " ".join(f"{m:.0f}" for m in memory)
          + f"; growth after the first block {memory[-1] - memory[0]:+.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="repetitions per submission size")
    parser.add_argument("--cases", type=int, default=1000, help="submissions scored in one process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        by_measures(Path(folder), args.runs)
        many_cases(Path(folder), args.cases)


if __name__ == "__main__":
    main()
