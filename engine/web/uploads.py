"""Uploaded or pasted files: named safely, kept in memory, scored in a private temporary folder.

No path in a request is ever used on the server: each upload keeps only a cleaned-up base name,
under which it is written into a new temporary folder for the time of one scoring.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from engine.api import rulebook_for, score_as_year, score_file
from engine.case.loader import read_case_document
from engine.combine import Combined, combine
from engine.errors import CaseError, Problem
from engine.inputs import is_submission
from engine.result import Result
from engine.rulebook.registry import INPUT_FOLDER

SUFFIXES = (".json", ".yaml", ".yml", ".xml")


@dataclass(frozen=True)
class Upload:
    """One file as the browser or API client sent it: a display name and its bytes."""

    name: str
    content: bytes

    @property
    def is_submission(self) -> bool:
        """A submission (QPP JSON with measurement sets, or QRDA III XML), told by its content, as opposed to a
        case or profile."""
        return is_submission(Path(self.name), self.content.decode("utf-8", errors="replace"))


@dataclass(frozen=True)
class Inputs:
    """The files of one clinician, and the performance year chosen to score them under (None: their own)."""

    uploads: tuple[Upload, ...]
    year: int | None = None


def safe_names(uploads: tuple[Upload, ...]) -> list[str]:
    """A distinct, harmless file name for each upload: letters, digits, '.', '_' and '-', with a known suffix."""
    names: list[str] = []
    for upload in uploads:
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", upload.name.replace("\\", "/").rsplit("/", 1)[-1]).strip(".-") or "file"
        if not base.lower().endswith(SUFFIXES):
            head = upload.content.lstrip()[:1]
            base += ".json" if head == b"{" else ".xml" if head == b"<" else ".yaml"
        stem, dot, suffix = base.rpartition(".")
        name, n = base, 2
        while name in names:
            name, n = f"{stem}-{n}{dot}{suffix}", n + 1
        names.append(name)
    return names


def score_inputs(inputs: Inputs) -> Result | Combined:
    """Score the files of one clinician: a case (with the files it names), several cases of the clinician, or
    QPP submissions with their profile; several results, or a case that another way of scoring rescores,
    give the one that counts, as `mips score` does."""
    if not inputs.uploads:
        raise CaseError("no file was given: upload or paste a case, or a QPP JSON submission with its profile")
    with tempfile.TemporaryDirectory(prefix="mips-web-") as folder:
        root = Path(folder).resolve()
        token = INPUT_FOLDER.set(root)
        try:
            paths = []
            for upload, name in zip(inputs.uploads, safe_names(inputs.uploads)):
                (root / name).write_bytes(upload.content)
                paths.append((upload, root / name))
            return combine(_score(paths, inputs.year))
        finally:
            INPUT_FOLDER.reset(token)


def counted(scored: Result | Combined) -> Result:
    """The result that counts: the one result, or the counted one of several."""
    return scored.counted.result if isinstance(scored, Combined) else scored


def _score(paths: list[tuple[Upload, Path]], year: int | None) -> list[Result]:
    submissions = [p for u, p in paths if u.is_submission]
    others = [p for u, p in paths if not u.is_submission]
    rulebook = str(year) if year is not None else None
    if len(others) == 1 and read_case_document(others[0])[0].get("submissions"):
        return [score_file(others[0], rulebook)]
    if submissions:
        if not others:
            raise CaseError(f"{submissions[0].name}: a submission (QPP JSON or QRDA III) needs its profile, the facts "
                            "it lacks (practice, special statuses, cost, bonuses): add the profile file")
        if len(others) > 1:
            raise CaseError(f"give one profile with the submissions, not {len(others)}: "
                            f"{', '.join(p.name for p in others)}")
        return [score_file(submissions[0], rulebook, others[0], more=submissions[1:])]
    results: list[Result] = []
    problems: list[Problem] = []
    for path in _top_cases(others):
        try:
            if year is not None and read_case_document(path)[0].get("performance_year") != year:
                results.append(score_as_year(path, rulebook_for(str(year))))
            else:
                results.append(score_file(path, rulebook))
        except CaseError as exc:
            problems += exc.problems
    if problems:
        raise CaseError(problems)
    return results


def _top_cases(paths: list[Path]) -> list[Path]:
    """The cases no other uploaded case names (an affiliated group's case is scored with its subgroup's)."""
    named = {name for path in paths for name in _named_files(path)} if len(paths) > 1 else set()
    return [path for path in paths if path.name not in named]


def _named_files(path: Path) -> list[str]:
    """The base names of the files a case names: its submissions and its affiliated group's case or result."""
    document = read_case_document(path)[0]
    group = document.get("affiliated_group") if isinstance(document, dict) else None
    names = list(document.get("submissions") or []) if isinstance(document, dict) else []
    names += [group.get(key) for key in ("case", "result")] if isinstance(group, dict) else []
    return [Path(name).name for name in names if isinstance(name, str)]


class InputStore:
    """Recent inputs by unguessable token, so a result page can be reloaded and compared; oldest dropped first."""

    def __init__(self, capacity: int = 64):
        self.capacity = capacity
        self._items: OrderedDict[str, Inputs] = OrderedDict()
        self._lock = Lock()

    def add(self, inputs: Inputs) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._items[token] = inputs
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> Inputs | None:
        with self._lock:
            inputs = self._items.get(token)
            if inputs is not None:
                self._items.move_to_end(token)
            return inputs
