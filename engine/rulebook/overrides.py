"""Names a rulebook that extends another year states: each replaces something of that year, or says it is new.

A parameter, rule, table, scope or case input written in an extending year and unknown to the year it
extends is most often a misspelling of the name it meant to change (the change would then be lost in
silence); so such a name must carry `new: true`, and `new: true` on a name the extended year has is
refused too.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

from engine.rulebook.compiled import Rulebook
from engine.rulebook.documents import Document, FolderReader


def check_name(loader: FolderReader, doc: Document, path: tuple[str | int, ...], name: str, new: bool,
               parent: Rulebook | None, year: int, what: str, known: Collection[str]) -> bool:
    """Whether `name` (written at `path`) is stated as it must be; otherwise report why, on its key.

    `known` holds the names of this kind in the extended year. A pathway overlay states the option's own
    names beside the year's, so its names are not checked.
    """
    if loader.overlay:
        return True
    if parent is None:
        if new:
            loader.at_value(doc, path + ("new",), f"`new: true` marks a {what} the extended year lacks, and "
                            "this rulebook extends no year; remove it")
        return not new
    exists = name in known
    if exists and new:
        loader.at_value(doc, path + ("new",), f"{what} '{name}' already exists in the {parent.year} rulebook "
                        f"this one extends; remove `new: true` to replace it")
        return False
    if not exists and not new:
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'? " if close else ""
        loader.at_key(doc, path, f"'{name}' is no {what} of the {parent.year} rulebook this one extends; {hint}"
                      f"a {what} new in {year} says `new: true`")
        return False
    return True

