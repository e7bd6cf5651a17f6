"""Pathway overlays: where a year's pathway folders are, in which order they apply, and the checks of
the year's declarations (pathways.yaml) against its case inputs and its overlay folders.

A pathway overlay is a folder `rulebooks/YEAR/pathways/NAME/` written like a year folder (rulebook.yaml,
case_inputs.yaml, parameters/, tables/, rules/) whose manifest names the pathway. It states only what
the pathway changes in the year's rules. A year without its own folder for NAME uses the folder of the
year it extends; an overlay whose manifest `extends` an earlier year builds on that year's overlay of
the same name, so the chain of overlay folders applies oldest first over the year's own rulebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import MipsError
from engine.rulebook.compiled import Rulebook
from engine.rulebook.registry import display_path, resolve
from engine.rulebook.text_source import SourceError, read_text
from engine.rulebook.yaml_source import parse_yaml

if TYPE_CHECKING:
    from engine.rulebook.documents import Document, FolderReader

OVERLAYS = "pathways"
"""Sub-folder of a year folder holding its pathway overlays (pathways/NAME/), read when a pathway is composed."""


def manifest_extends(folder: Path) -> int | None:
    """The year a rulebook folder's manifest extends, read ahead of full validation (None when absent or unreadable)."""
    try:
        data = parse_yaml(read_text(folder / "rulebook.yaml"))
        value = data["rulebook"]["extends"]
    except (OSError, SourceError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def year_chain(folder: Path) -> list[Path]:
    """A year folder and the folders of the years it extends, newest first (stops at a missing year or a cycle)."""
    chain = [folder]
    while (year := manifest_extends(chain[-1])) is not None:
        try:
            parent = resolve(year)
        except MipsError:
            break
        if parent.resolve() in {f.resolve() for f in chain}:
            break
        chain.append(parent)
    return chain


def overlay_folder(year_folder: Path, name: str) -> Path | None:
    """The overlay folder of pathway `name` that applies in a year: the year's own, else the nearest
    year it extends that has one."""
    for folder in year_chain(year_folder):
        candidate = folder / OVERLAYS / name
        if (candidate / "rulebook.yaml").is_file():
            return candidate
    return None


def overlay_chain(year_folder: Path, name: str) -> tuple[list[Path], str | None]:
    """The overlay folders of pathway `name` for a year, oldest first, or why they cannot be found."""
    newest = overlay_folder(year_folder, name)
    if newest is None:
        return [], (f"no overlay folder {OVERLAYS}/{name}/ (with a rulebook.yaml) in {display_path(year_folder)} "
                    "or the years it extends")
    chain = [newest]
    while (year := manifest_extends(chain[0])) is not None:
        try:
            earlier_year = resolve(year)
        except MipsError as exc:
            return [], f"{display_path(chain[0] / 'rulebook.yaml')} extends {year}: {exc}"
        earlier = overlay_folder(earlier_year, name)
        if earlier is None:
            return [], (f"{display_path(chain[0] / 'rulebook.yaml')} extends {year}, which has no "
                        f"{OVERLAYS}/{name}/ overlay")
        if earlier.resolve() in {f.resolve() for f in chain}:
            return [], f"{display_path(chain[0] / 'rulebook.yaml')}: pathway overlays extend each other in a cycle"
        chain.insert(0, earlier)
    return chain, None


def check_pathways(loader: FolderReader, rulebook: Rulebook, doc: Document | None) -> None:
    """The year's declared options fit its case inputs and overlay folders, and select unambiguously."""
    entity_types = rulebook.case_inputs.entity_types
    programs: dict[str, str] = {}
    lists: dict[str, str] = {}
    for entity_type, default in rulebook.pathway_defaults.items():
        where = (default.origin.file, default.origin.line)
        chosen = rulebook.pathways.get(default.default.pathway)
        if entity_type not in entity_types:
            loader.problem(*where, f"defaults.{entity_type}", f"'{entity_type}' is not an entity type of "
                           f"{rulebook.year}; entity types: {', '.join(entity_types)}")
        elif chosen is None:
            loader.problem(*where, f"defaults.{entity_type}.pathway", f"no pathway '{default.default.pathway}' in "
                           f"{rulebook.year}; pathways: {', '.join(rulebook.pathways)}")
        elif entity_type not in chosen.option.entity_types:
            loader.problem(*where, f"defaults.{entity_type}.pathway", f"'{default.default.pathway}' is not open "
                           f"to entity type '{entity_type}' (its entity_types: {', '.join(chosen.option.entity_types)})")
    for name, pathway in rulebook.pathways.items():
        option = pathway.option
        where = (pathway.origin.file, pathway.origin.line)

        def problem(key: str, message: str) -> None:
            loader.problem(where[0], where[1], f"pathways.{name}.{key}", message)

        for value in option.entity_types:
            if value not in entity_types:
                problem("entity_types", f"'{value}' is not an entity type of {rulebook.year}; entity types: "
                        f"{', '.join(entity_types)}")
        for program in option.programs:
            if program in programs:
                problem("programs", f"programName '{program}' already selects '{programs[program]}'")
            programs.setdefault(program, name)
        if option.program_list is not None:
            if option.program_list in lists:
                problem("program_list", f"the '{option.program_list}' list already selects '{lists[option.program_list]}'")
            lists.setdefault(option.program_list, name)
        if not option.programs and option.program_list is None:
            problem("programs", "an option needs the programName values that select it (programs or program_list)")
        if rulebook.folder is not None:
            for overlay in option.overlays:
                _, why = overlay_chain(rulebook.folder, overlay)
                if why:
                    problem("overlays", why)
    if doc is None and rulebook.parent is None and rulebook.folder is not None:
        loader.problem(display_path(rulebook.folder / "pathways.yaml"), None, "",
                       "missing file; a rulebook that extends no other declares its reporting options in pathways.yaml")
