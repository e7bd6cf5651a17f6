"""The tree the reader builds from a QRDA III document: one node per recognised template."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

DOCUMENT = "document"
"""Kind of the node of the CMS QRDA Category III Report template (the root of the tree)."""
CATEGORY_SECTION = "category_section"
"""Kind of the QRDA Category III Report Section template: known, so its element is walked, never decoded."""


@dataclass(eq=False)
class Node:
    """A recognised template: its kind, the values read for it, where it is, and the nodes inside it.

    Like CMS's converter, a value read more than once keeps its first occurrence and remembers the
    others as duplicates, which validation reports.
    """

    kind: str
    parent: Node | None = None
    element: etree._Element | None = None     # the element that holds the template (its XPath)
    anchor: etree._Element | None = None      # the templateId element (its line and column)
    values: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    validated: bool = False

    def put(self, name: str, value: str, replace: bool = True) -> None:
        if name not in self.values or replace:
            self.values[name] = value
        else:
            self.duplicates.setdefault(name, []).append(value)

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def occurrences(self, name: str) -> int:
        """How often a value was read when it was read more than once (0 when once or never)."""
        extra = self.duplicates.get(name)
        return len(extra) + 1 if extra else 0

    def of_kind(self, *kinds: str) -> list[Node]:
        return [c for c in self.children if c.kind in kinds]

    def find_first(self, kind: str) -> Node | None:
        """This node or the first descendant of a kind, breadth first (as CMS's converter searches)."""
        for node in self.breadth_first():
            if node.kind == kind:
                return node
        return None

    def breadth_first(self) -> Iterator[Node]:
        queue = [self]
        index = 0
        while index < len(queue):
            node = queue[index]
            index += 1
            yield node
            queue.extend(node.children)
