"""Score many inputs: files, folders of them, or a document on standard input; one outcome per input.

Each input gives one outcome, in input order: its result, or the located problems that stopped it, so
that a bad file never stops the others. With several jobs the inputs are scored by worker processes.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple, TextIO

from engine import jsonout
from engine.api import score_file
from engine.combine import Combined, combine
from engine.errors import CaseError, MipsError, Problem, os_failure
from engine.rulebook.text_source import MAX_BYTES, SourceError, decode
from engine.result import Result

SUFFIXES = (".yaml", ".yml", ".json")
"""Files of a folder that are scored: cases (YAML or JSON) or, with a profile, QPP submissions."""
STDIN = "-"
STDIN_NAME = "<stdin>"
INTERNAL_ERROR = 70


class Source(NamedTuple):
    """One input: a file, or the text read from standard input."""

    path: Path
    text: str | None = None

    @property
    def name(self) -> str:
        return STDIN_NAME if self.text is not None else str(self.path)


class Outcome(NamedTuple):
    """What one input gave: its rendered output and an exit status (0 scored, 1 refused, 70 internal error)."""

    name: str
    output: str
    status: int


Render = Callable[[Source, "Result | Combined | None", "MipsError | Exception | None"], str]


def read_stdin() -> str:
    """Standard input as text, within the size limit of every input and as UTF-8 (a located message otherwise)."""
    try:
        return decode(sys.stdin.buffer.read(MAX_BYTES + 1))
    except SourceError as exc:
        raise CaseError([Problem(STDIN_NAME, exc.line, exc.column, "", exc.message)]) from None


def sources(inputs: Sequence[str], read_stdin: Callable[[], str]) -> list[Source]:
    """The inputs as sources: a folder gives its case files (recursively, in name order), `-` standard input."""
    found: list[Source] = []
    for given in inputs:
        if given == STDIN:
            found.append(Source(Path(STDIN_NAME), read_stdin()))
            continue
        path = Path(given)
        if path.is_dir():
            found += [Source(p) for p in sorted(path.rglob("*"), key=lambda p: p.as_posix())
                      if p.is_file() and p.suffix.lower() in SUFFIXES
                      and not any(part.startswith(".") for part in p.relative_to(path).parts)]
        else:
            found.append(Source(path))
    return found


def score_source(source: Source, rulebook: str | None = None, profile: Path | None = None,
                 allow_outside: bool = False) -> Result | Combined:
    """Score one input (a case, or a QPP submission with a profile): its result, or, when another way of
    scoring rescores it (facility-based measurement), its results and the one that counts."""
    return combine([score_file(source.path, rulebook, profile, allow_outside, text=source.text)])


def outcome(source: Source, render: Render, rulebook: str | None, profile: Path | None,
            allow_outside: bool = False) -> Outcome:
    """Score one input and render what it gave; never raises for a problem of the input."""
    try:
        result = score_source(source, rulebook, profile, allow_outside)
    except MipsError as exc:
        return Outcome(source.name, render(source, None, exc), 1)
    except OSError as exc:
        return Outcome(source.name, render(source, None, os_failure(exc)), 1)
    except Exception as exc:  # noqa: BLE001 - one input's failure is reported, the batch goes on
        return Outcome(source.name, render(source, None, exc), INTERNAL_ERROR)
    return Outcome(source.name, render(source, result, None), 0)


def outcomes(inputs: Sequence[Source], render: Render, rulebook: str | None = None, profile: Path | None = None,
             allow_outside: bool = False) -> Iterator[Outcome]:
    """The outcome of every input, in input order, scored in this process.

    The cyclic garbage collector does not run while an input is scored (it would walk the growing trace
    again and again); once the input is done, the youngest generation, which holds everything the input
    made and kept, is collected: its cycles are freed, and memory stays bounded over a long batch."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        for source in inputs:
            yield outcome(source, render, rulebook, profile, allow_outside)
            gc.collect(0)
    finally:
        if collecting:
            gc.enable()


def write_outcomes(out: TextIO, inputs: Sequence[Source], render: Render, rulebook: str | None = None,
                   profile: Path | None = None, allow_outside: bool = False, jobs: int = 1) -> Iterator[Written]:
    """Score every input and write what each gave to `out`, in input order; yields each input's name and
    status once its output is written. With more than one job, worker processes score runs of inputs
    and write each run's output to a file of its own, which is then copied to `out` in input order."""
    if jobs <= 1 or len(inputs) <= 1:
        for done in outcomes(inputs, render, rulebook, profile, allow_outside):
            out.write(done.output)
            yield Written(done.name, done.status)
        return
    import tempfile
    from concurrent.futures import ProcessPoolExecutor  # only a batch with several jobs needs it

    # The first input is scored here: the workers then start with what it loaded (rulebook, reference
    # data, templates), and the collector leaves those long-lived objects alone in every process.
    for first in outcomes(inputs[:1], render, rulebook, profile, allow_outside):
        out.write(first.output)
        yield Written(first.name, first.status)
    work = partial(_run, render=render, rulebook=rulebook, profile=profile, allow_outside=allow_outside,
                   encoding=out.encoding or "utf-8", errors=out.errors or "strict")
    gc.freeze()
    try:
        with tempfile.TemporaryDirectory(prefix="mips-batch-") as folder, \
                ProcessPoolExecutor(max_workers=jobs) as pool:
            for path, written in pool.map(work, _runs(inputs[1:], jobs, Path(folder))):
                _append(out, path)
                yield from written
    finally:
        gc.unfreeze()


class Written(NamedTuple):
    """An input whose output was written: its name and exit status."""

    name: str
    status: int


RUN = 32
"""Most inputs a worker scores in one run (the last runs of a batch are shorter, so that the workers
finish together)."""


def _runs(inputs: Sequence[Source], jobs: int, folder: Path) -> Iterator[tuple[list[Source], Path]]:
    """The inputs in runs of decreasing length, each with the file its output goes to."""
    start = 0
    while start < len(inputs):
        size = max(1, min(RUN, (len(inputs) - start) // (jobs * 4)))
        yield list(inputs[start:start + size]), folder / f"{start:09d}.out"
        start += size


def _run(run: tuple[list[Source], Path], render: Render, rulebook: str | None, profile: Path | None,
         allow_outside: bool, encoding: str, errors: str) -> tuple[Path, list[Written]]:
    """Score a run of inputs in a worker, writing their outputs to the run's file; each input's name and status."""
    sources, path = run
    written = []
    with path.open("wb") as handle:
        for done in outcomes(sources, render, rulebook, profile, allow_outside):
            handle.write(done.output.encode(encoding, errors))
            written.append(Written(done.name, done.status))
    return path, written


def _append(out: TextIO, path: Path) -> None:
    """Copy a run's output file to `out` (by the kernel when `out` is a file it can write), then remove it."""
    with path.open("rb") as handle:
        if not _sent(out, handle.fileno()):
            out.write(handle.read().decode(out.encoding or "utf-8", out.errors or "strict"))
    path.unlink()


def _sent(out: TextIO, source: int) -> bool:
    """Whether the whole file `source` was copied to the file descriptor of `out` by os.sendfile; False,
    with nothing copied, when `out` has no file descriptor or the kernel cannot copy to it."""
    try:
        target = out.fileno() if hasattr(os, "sendfile") else None
    except (AttributeError, OSError, ValueError):
        target = None
    if target is None:
        return False
    out.flush()
    size, offset = os.fstat(source).st_size, 0
    while offset < size:
        try:
            sent = os.sendfile(target, source, offset, size - offset)
        except OSError as exc:
            if offset == 0 and exc.errno in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                return False
            raise
        if sent == 0:
            raise OSError(errno.EIO, "the output ended before the batch's results were written")
        offset += sent
    return True


def json_line(source: Source, result: Result | Combined | None, error: Exception | None, trace: bool = True) -> str:
    """One JSON Lines record: {"input", "result"} or {"input", "error", "problems"}; the result is what
    `mips score INPUT --format json` prints."""
    if isinstance(result, Combined):
        return f'{{"input":{jsonout.text(source.name)},"result":{jsonout.dumps(result.to_data(trace), indent=None)[:-1]}}}\n'
    if result is not None:
        return result.to_json(trace=trace, within=(f'{{"input":{jsonout.text(source.name)},"result":', "}"))
    problems: Iterable[Problem] = error.problems if isinstance(error, MipsError) else ()
    return jsonout.dumps({"input": source.name, "error": error_text(error), "problems": [
        {"file": p.file, "line": p.line, "column": p.column, "path": p.path, "message": p.message}
        for p in problems]}, indent=None)


def error_text(error: Exception | None) -> str:
    """An input's error as a user reads it (an unexpected one asks to be reported)."""
    if isinstance(error, MipsError):
        return error.render()
    return f"internal error: {type(error).__name__}: {error}; please report this with the input"
