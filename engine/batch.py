"""Score many inputs: files, folders of them, or a document on standard input; one outcome per input.

Each input gives one outcome, in input order: its result, or the located problems that stopped it, so
that a bad file never stops the others. With several jobs the inputs are scored by worker processes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

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
             allow_outside: bool = False, jobs: int = 1) -> Iterator[Outcome]:
    """The outcome of every input, in input order; scored by `jobs` worker processes when more than one."""
    work = partial(outcome, render=render, rulebook=rulebook, profile=profile, allow_outside=allow_outside)
    if jobs <= 1 or len(inputs) <= 1:
        yield from map(work, inputs)
        return
    import gc
    from concurrent.futures import ProcessPoolExecutor  # only a batch with several jobs needs it

    # The first input is scored here: the workers then start with what it loaded (rulebook, reference
    # data, templates), and the collector leaves those long-lived objects alone in every process.
    yield work(inputs[0])
    rest = inputs[1:]
    chunk = max(1, min(32, len(rest) // (jobs * 8)))
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(work, rest, chunksize=chunk)
    finally:
        gc.unfreeze()


def json_line(source: Source, result: Result | Combined | None, error: Exception | None, trace: bool = True) -> str:
    """One JSON Lines record: {"input", "result"} or {"input", "error", "problems"}; the result is what
    `mips score INPUT --format json` prints."""
    if isinstance(result, Combined):
        return f'{{"input":{jsonout.text(source.name)},"result":{jsonout.dumps(result.to_data(trace), indent=None)[:-1]}}}\n'
    if result is not None:
        return f'{{"input":{jsonout.text(source.name)},"result":{result.to_json(trace=trace)[:-1]}}}\n'
    problems: Iterable[Problem] = error.problems if isinstance(error, MipsError) else ()
    return jsonout.dumps({"input": source.name, "error": error_text(error), "problems": [
        {"file": p.file, "line": p.line, "column": p.column, "path": p.path, "message": p.message}
        for p in problems]}, indent=None)


def error_text(error: Exception | None) -> str:
    """An input's error as a user reads it (an unexpected one asks to be reported)."""
    if isinstance(error, MipsError):
        return error.render()
    return f"internal error: {type(error).__name__}: {error}; please report this with the input"
