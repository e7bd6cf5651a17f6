"""The small path language of `qrda.yaml`: `a/b/id[@root='x']/@extension`, read relative to an element.

Steps name child elements (in the element's namespace); a step may require attribute values; the last
step may read an attribute. Values come back in document order, as XPath returns them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

_STEP = re.compile(r"([A-Za-z_][\w.-]*)((?:\[@[A-Za-z_][\w.-]*='[^']*'\])*)")
_PREDICATE = re.compile(r"\[@([A-Za-z_][\w.-]*)='([^']*)'\]")
_ATTRIBUTE = re.compile(r"@([A-Za-z_][\w.-]*)")


class PathError(ValueError):
    """A path that the path language does not allow."""


@dataclass(frozen=True)
class Step:
    name: str
    where: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ElementPath:
    text: str
    steps: tuple[Step, ...]
    attribute: str | None

    def values(self, element: etree._Element, namespace: str | None) -> list[str]:
        """Every value the path reaches from `element` (attribute values, or element text)."""
        found = [element]
        for step in self.steps:
            tag = etree.QName(namespace, step.name).text if namespace else step.name
            found = [child for parent in found for child in parent
                     if child.tag == tag and all(child.get(a) == v for a, v in step.where)]
        if self.attribute is None:
            return ["".join(e.itertext()) for e in found]
        return [value for e in found if (value := e.get(self.attribute)) is not None]

    def first(self, element: etree._Element, namespace: str | None) -> str | None:
        values = self.values(element, namespace)
        return values[0] if values else None


def compile_path(text: str) -> ElementPath:
    """Parse a path; raises PathError naming what is wrong."""
    parts = text.split("/")
    attribute = None
    if parts and parts[-1].startswith("@"):
        match = _ATTRIBUTE.fullmatch(parts.pop())
        if not match:
            raise PathError(f"'{text}': the last step must be @attribute")
        attribute = match.group(1)
    steps = []
    for part in parts:
        match = _STEP.fullmatch(part)
        if not match:
            raise PathError(f"'{text}': step '{part}' must be a name, optionally with [@attribute='value']")
        steps.append(Step(match.group(1), tuple(_PREDICATE.findall(match.group(2)))))
    if not steps and attribute is None:
        raise PathError(f"'{text}': empty path")
    return ElementPath(text, tuple(steps), attribute)
