"""Reading a rulebook folder's files strictly, collecting every problem with its location."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.errors import Problem
from engine.expr import Expression, ExpressionSyntaxError, compile_expression
from engine.rulebook import datakinds, models
from engine.rulebook.overlays import OVERLAYS
from engine.rulebook.registry import display_path
from engine.rulebook.validation_messages import dotted, problems_from
from engine.rulebook.text_source import SourceError, read_text
from engine.rulebook.yaml_source import LocatedDict, locate, locate_key, parse_yaml

FOLDERS = {"parameters": models.ParameterFile, "tables": models.TableFile, "rules": models.RuleFile}
TOP_FILES = {"rulebook.yaml": models.ManifestFile, "case_inputs.yaml": models.CaseInputsFile,
             "pathways.yaml": models.PathwaysFile}
OPTIONAL_FILES = ("pathways.yaml",)
"""Top files a rulebook may leave out (case_inputs.yaml too, in a rulebook that extends another)."""


@dataclass
class Document:
    path: Path
    name: str
    text: str
    data: Any
    model: BaseModel


@dataclass
class FolderReader:
    folder: Path
    problems: list[Problem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    failed: set[Path] = field(default_factory=set)
    """Files that could not be read or did not match their model (what they define is unknown)."""
    overlay: bool = False
    """A pathway overlay folder: what it names adds to or replaces the year's rules without `new: true`."""

    def problem(self, doc: Document | str, line: int | None, path: str, message: str,
                column: int | None = None) -> None:
        name = doc.name if isinstance(doc, Document) else doc
        self.problems.append(Problem(name, line, column, path, message))

    def read(self, extends: bool) -> None:
        """Read every rulebook file; `case_inputs.yaml` is optional in a rulebook that extends another."""
        optional = OPTIONAL_FILES + (("case_inputs.yaml",) if extends else ())
        files = [self.folder / name for name in TOP_FILES
                 if not (name in optional and not (self.folder / name).is_file())]
        for name in FOLDERS:
            files += sorted((self.folder / name).glob("*.yaml")) if (self.folder / name).is_dir() else []
        data_files = datakinds.patterns()  # checked by their kinds' loaders, hashed with the rulebook
        known = set(files) | {p for pattern in data_files for p in self.folder.glob(pattern)}
        for stray in sorted(self.folder.rglob("*")):
            if stray.relative_to(self.folder).parts[0] == OVERLAYS and stray.parent != self.folder:
                continue  # pathway overlays: read when their pathway is composed
            if stray.is_file() and stray.suffix in {".yaml", ".yml"} and stray not in known:
                self.problem(display_path(stray), None, "", "unexpected rulebook file; rulebook files are rulebook.yaml, "
                             "case_inputs.yaml, pathways.yaml, parameters/*.yaml, tables/*.yaml, rules/*.yaml, "
                             f"pathway overlays in {OVERLAYS}/NAME/, and the data files " + ", ".join(data_files))
        for path in files:
            name = display_path(path)
            if not path.is_file():
                self.problem(name, None, "", "missing file; every rulebook needs it")
                continue
            model = TOP_FILES.get(path.name) if path.parent == self.folder else FOLDERS[path.parent.name]
            self.failed.add(path)
            try:
                text = read_text(path)
                data = parse_yaml(text)
            except SourceError as exc:
                self.problem(name, exc.line, "", exc.message, exc.column)
                continue
            if not isinstance(data, LocatedDict):
                self.problem(name, 1, "", "the file must hold a YAML mapping")
                continue
            try:
                parsed = model.model_validate(data)
            except ValidationError as exc:
                self.problems += problems_from(exc, model, data, name)
                continue
            self.failed.discard(path)
            self.documents.append(Document(path, name, text, data, parsed))

    def incomplete(self, *folders: str) -> bool:
        """A file of one of these rulebook folders failed to load: what it would define is unknown, so a
        name it might define is not reported missing (the file's own problems say what to fix)."""
        return any(path.parent.name in folders for path in self.failed)

    def line(self, doc: Document, *path: str | int) -> int:
        where = locate(doc.data, path)
        return where.line if where else 1

    def at_key(self, doc: Document, path: tuple[str | int, ...], message: str) -> None:
        """A problem about the name at `path` (a mapping key), placed on that key."""
        where = locate_key(doc.data, path)
        self.problem(doc, where.line if where else None, dotted(path), message, where.column if where else None)

    def at_value(self, doc: Document, path: tuple[str | int, ...], message: str) -> None:
        """A problem about the value at `path`, placed on that value."""
        where = locate(doc.data, path)
        self.problem(doc, where.line if where else None, dotted(path), message, where.column if where else None)

    def expression(self, doc: Document, source: str, path: tuple[str | int, ...]) -> Expression | None:
        try:
            return compile_expression(source)
        except ExpressionSyntaxError as exc:
            line, column = self._expression_position(doc, path, exc.line, exc.column)
            self.problem(doc, line, dotted(path), f"expression error: {exc.message}", column)
            return None

    def _expression_position(self, doc: Document, path: tuple[str | int, ...], line: int,
                             column: int) -> tuple[int, int]:
        where = locate(doc.data, path)
        if where is None:
            return 1, column
        if where.style in ("|", ">"):
            text_line = doc.text.splitlines()[min(where.line + line - 1, len(doc.text.splitlines()) - 1)]
            indent = len(text_line) - len(text_line.lstrip())
            return where.line + line, indent + column
        if line == 1:
            quote = 1 if where.style in ('"', "'") else 0
            return where.line, where.column + quote + column - 1
        return where.line + line - 1, column


def docs_in(loader: FolderReader, folder: Path, sub: str) -> list[Document]:
    return [d for d in loader.documents if d.path.parent == folder / sub]
