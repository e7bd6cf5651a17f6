"""Speed figures of the engine on this machine, each as median and 95th percentile beside its goal.

    python bench/figures.py [--runs 300] [--batch 1000] [--jobs N] [--batch-runs 3] [--suite]

In-process figures are timed alternately with a plain-Python reference computation of the same final
score and measure points (bench/reference.py), and the ratio of the two medians is printed: machine
load slows both alike, so the ratio is the steadier figure. `mips` is run as a user runs it, in fresh
processes, for the cold start and the batch. `--suite` also times the test suite (a few minutes).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Timing, generate_cases, paired, show, timed  # noqa: E402
from reference import FinalScore, MeasurePoints  # noqa: E402

from engine.api import rulebook_for, score, score_file  # noqa: E402
from engine.case.models import Case  # noqa: E402
from engine.explain.render import explain  # noqa: E402
from engine.result import Result  # noqa: E402
from engine.rulebook.compiled import Rulebook  # noqa: E402
from engine.trace.views import flat  # noqa: E402

SUBMISSION = ROOT / "examples/submissions/2023-individual.json"
GROUP = ROOT / "examples/submissions/2023-group.json"
PROFILE = ROOT / "examples/profiles/individual-2023.yaml"
CASE = ROOT / "examples/cases/individual-2023.yaml"
PARTS = {"evaluate.py": "rule steps (engine/evaluate.py)", "evaluator.py": "expressions (engine/expr/evaluator.py)",
         "functions.py": "expression functions", "node.py": "trace nodes", "result.py": "unconfirmed values",
         "facts.py": "facts", "api.py": "api", "tables.py": "decision table", "writer.py": "trace JSON",
         "jsonout.py": "trace JSON"}
FOLDERS = {"qpp": "reading and checking the submission", "case": "facts", "reference": "reading and checking the submission",
           "explain": "explanation"}


def line(what: str, goal: float, timing: Timing, ratio: str = "") -> None:
    verdict = "meets" if timing.median <= goal else "MISSES"
    cpu = f"  (processor {show(timing.cpu_median)})" if timing.cpu_median is not None else ""
    print(f"{what:<58} goal {show(goal):>9}  median {show(timing.median):>9}  p95 {show(timing.p95):>9}  "
          f"{verdict}{cpu}{ratio}")


def reference_for(result: Result) -> tuple[MeasurePoints, FinalScore, list, bool, Case]:
    """The reference computations of a scored submission, and their inputs, checked against the engine."""
    book = result.rulebook
    points, final = MeasurePoints(book), FinalScore(book)
    records = list(result.evaluation.facts["facts.quality.measurements"] or ())
    small = result.value("small_practice")
    scored = result.value("quality.measures")
    assert [points(r, small) for r in records] == [m["points"] for m in scored], "reference measure points differ"
    categories = {c: {"status": "submitted", "score": result.value(f"{c}.score") if c != "ia"
                      else result.value("ia.points")} for c in book.categories}
    case = Case.model_validate({"performance_year": book.year, "entity": {"type": "individual"},
                                "practice": {"small_practice": small}, "categories": categories,
                                "bonuses": {k: v for k, v in {"complex_patient": result.value("bonus.complex_patient")}
                                            .items() if v is not None}})
    assert final(case) == result.value("final_score"), "reference final score differs"
    return points, final, records, small, case


def in_process(runs: int) -> None:
    result = score_file(SUBMISSION, profile=PROFILE)
    points, final, records, small, case = reference_for(result)

    def reference(_: int) -> None:
        for record in records:
            points(record, small)
        final(case)

    traced, plain = paired(runs, lambda _: score_file(SUBMISSION, profile=PROFILE), reference)
    line("QPP JSON submission scored and traced (score_file)", 1e-3, traced,
         f"  ({traced.median / plain.median:.0f}x the plain-Python reference)")
    explained, plain = paired(runs, lambda _: explain(score_file(SUBMISSION, profile=PROFILE), "text"), reference)
    line("the same submission with its explanation", 3e-3, explained,
         f"  ({explained.median / plain.median:.0f}x the plain-Python reference)")
    written = timed(runs, lambda _: result.to_json())
    print(f"{'   its trace as compact JSON (' + str(len(result.to_json()) // 1000) + ' kB)':<58} "
          f"{'':>14}  median {show(written.median):>9}  p95 {show(written.p95):>9}")
    shares(lambda: score_file(SUBMISSION, profile=PROFILE).to_json(), 50, "per submission scored and written")

    book = rulebook_for("2023")
    cases = generate_cases(book, runs, seed=7)
    reference_score = FinalScore(book)
    for case in cases:
        assert reference_score(case) == score(case, book).value("final_score"), case.case_id
    layer, plain = paired(runs, lambda i: score(cases[i], book), lambda i: reference_score(cases[i]))
    line("final-score layer of a summary case, traced (score)", 50e-6, layer,
         f"  ({layer.median / plain.median:.0f}x the plain-Python reference)")
    layer_profile(book, cases)


def layer_profile(book: Rulebook, cases: list) -> None:
    """Where the time of the final-score layer goes: the work per case, and the share of each part."""
    results = [score(case, book) for case in cases]
    steps = statistics.mean(len(flat(r.trace)) for r in results)
    reads = statistics.mean(sum(len(n.values) for n in flat(r.trace)) for r in results)
    cases_left = iter(cases)
    shares(lambda: score(next(cases_left), book), len(cases),
           f"per case: {steps:.0f} rule steps traced, {reads:.0f} names read")


def shares(action: Callable[[], object], runs: int, what: str) -> None:
    """Profile `runs` calls of `action`: Python function calls per call, and the share of each part's own time."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        action()
    profile.disable()
    own: dict[str, float] = {}
    calls = 0
    for (file, _, function), (_, count, time_own, _, _) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        path = Path(file)
        part = "Python and libraries"
        if "engine" in path.parts:
            folder = path.parent.name
            part = PARTS.get(path.name) or FOLDERS.get(folder, "engine" if folder == "engine" else f"engine/{folder}")
        own[part] = own.get(part, 0.0) + time_own
        calls += count
    total = sum(own.values())
    print(f"   {what}: {calls / runs:.0f} Python function calls; own time: "
          + ", ".join(f"{part} {share / total:.0%}" for part, share in sorted(own.items(), key=lambda item: -item[1])))


def mips() -> str:
    script = Path(sysconfig.get_path("scripts")) / "mips"
    return str(script) if script.is_file() else "mips"


def user_environment() -> dict[str, str]:
    """The environment of a user's shell: Python keeps its compiled bytecode between runs."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold_start(runs: int) -> None:
    """A fresh `mips score CASE` as a user runs it again (bytecode and the engine's cache written by an
    earlier run), and the same with an empty cache folder (the first run after a rulebook changed)."""
    env = user_environment()
    command = [mips(), "score", str(CASE.relative_to(ROOT))]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)  # bytecode and cache written once

    mips_times, mips_cpu, bare_times, first_times, first_cpu = [], [], [], [], []
    for _ in range(runs):
        elapsed, cpu, _ = process(command, env)
        mips_times.append(elapsed)
        mips_cpu.append(cpu)
        bare_times.append(process([sys.executable, "-c", "pass"], env)[0])
        with tempfile.TemporaryDirectory() as empty:
            elapsed, cpu, _ = process(command, env | {"MIPS_CACHE_DIR": empty})
        first_times.append(elapsed)
        first_cpu.append(cpu)
    line("`mips score CASE` from a cold start", 0.4, Timing(mips_times, mips_cpu),
         f"  (bare interpreter start {show(statistics.median(bare_times))})")
    print(f"{'   the same with an empty cache folder':<58} {'':>14}  median {show(statistics.median(first_times)):>9}  "
          f"p95 {show(Timing(first_times).p95):>9}  (processor {show(statistics.median(first_cpu))})")


def process(args: list[str], env: dict[str, str], stdout: Path | None = None
            ) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command (its output kept, or written to the file `stdout` as a shell redirection does); its
    elapsed time, the processor time of it and its worker processes, and its outcome."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    if stdout is None:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    else:
        with stdout.open("w", encoding="utf-8") as sink:
            done = subprocess.run(args, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])}... failed ({done.returncode}): {done.stderr[:2000]}")
    return elapsed, cpu, done


def batch(count: int, jobs: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "submissions"
        inputs.mkdir()
        for index in range(count):
            shutil.copyfile(SUBMISSION if index % 2 == 0 else GROUP, inputs / f"{index:05d}.json")
        results = Path(folder) / "results.jsonl"
        for extra, what in (([], "traced"), (["--no-trace"], "score only")):
            command = [mips(), "score", str(inputs), "--profile", str(PROFILE), "--jobs", str(jobs), *extra]
            times, cpus = [], []
            for _ in range(runs):
                elapsed, cpu, done = process(command, user_environment(), stdout=results)  # `> results.jsonl`
                with results.open(encoding="utf-8") as written:
                    lines = [text[:300] for text in written]
                if len(lines) != count or any('"error"' in text for text in lines):
                    raise SystemExit(f"batch run gave {len(lines)} records or errors: {done.stderr[:2000]}")
                times.append(elapsed)
                cpus.append(cpu)
            timing = Timing(times, cpus)
            line(f"{count} example submissions batch-scored, {what}, --jobs {jobs}", 5.0, timing,
                 f"  ({show(timing.median / count)} per submission, {results.stat().st_size // 1_000_000} MB of JSON "
                 f"Lines written to a file; {runs} runs)")


def suite() -> None:
    elapsed, cpu, done = process([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], dict(os.environ))
    line("the test suite", 180.0, Timing([elapsed], [cpu]), f"  ({done.stdout.strip().splitlines()[-1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300, help="repetitions of each in-process figure")
    parser.add_argument("--starts", type=int, default=15, help="cold starts timed")
    parser.add_argument("--batch", type=int, default=1000, help="submissions in the batch")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the batch")
    parser.add_argument("--batch-runs", type=int, default=3, help="times the batch is run (its median is shown)")
    parser.add_argument("--suite", action="store_true", help="also time the test suite")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    in_process(args.runs)
    cold_start(args.starts)
    batch(args.batch, args.jobs, args.batch_runs)
    if args.suite:
        suite()


if __name__ == "__main__":
    main()
