"""Read an XML file safely and keep where every element is: line, column and a readable XPath.

No DTD is loaded and none may be declared (CMS's converter refuses DOCTYPE declarations too), no
entity is expanded, nothing is fetched from the network, and the file size and nesting depth are
bounded, so an XML bomb or a huge file is refused quickly with a clear message.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAX_BYTES = 32 * 1024 * 1024
"""Largest file read. QRDA III files are aggregate reports, typically tens of kilobytes."""
MAX_DEPTH = 256
"""Deepest element nesting read (libxml2's limit without its 'huge' option); QRDA III nests about 15 deep."""

_START_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</[^>]*>|<([^\s/>!?][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.S)
_DECLARATIONS = re.compile(rb"<!DOCTYPE|<!ENTITY")


class XmlReadError(Exception):
    """The file cannot be read as XML; `message` says why and what to do."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class XmlDocument:
    """A parsed document and the position of each element's start tag (where CMS locates problems)."""

    root: etree._Element
    text: str
    _order: dict[int, int] = field(default_factory=dict)
    _elements: list[etree._Element] = field(default_factory=list)
    _ends: list[int] | None = None
    _line_starts: list[int] | None = None

    def position(self, element: etree._Element) -> tuple[int | None, int | None]:
        """Line and column just after the element's start tag, as CMS's converter reports them."""
        if not self._order:
            self._elements = [e for e in self.root.iter() if isinstance(e.tag, str)]
            self._order = {id(e): i for i, e in enumerate(self._elements)}
            self._ends = [m.end() for m in _START_TAG.finditer(self.text) if m.group(1)]
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = self._order.get(id(element))
        if index is None or self._ends is None or index >= len(self._ends):
            return element.sourceline, None
        end = self._ends[index]
        line = bisect_right(self._line_starts, end - 1)
        return line, end - self._line_starts[line - 1] + 1


def xpath_of(element: etree._Element) -> str:
    """A readable absolute XPath: local names, with a position where siblings share the name."""
    steps = []
    node = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        step = name
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def read_xml(path: Path) -> XmlDocument:
    """Parse an XML file within the limits above; raises XmlReadError saying what is wrong."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise XmlReadError(f"the file is {size / 1_048_576:.0f} MB; a QRDA III file is an aggregate report of "
                           f"a few hundred kilobytes at most, and files above {MAX_BYTES // 1_048_576} MB are "
                           "not read: check that this is the QRDA Category III export, not patient-level data")
    data = path.read_bytes()
    return parse_xml(data)


def parse_xml(data: bytes) -> XmlDocument:
    """Parse XML bytes safely (see the module docstring)."""
    declared = _DECLARATIONS.search(data)
    if declared:
        line = data.count(b"\n", 0, declared.start()) + 1
        raise XmlReadError("the file declares a DOCTYPE or entities; QRDA III files must not (CMS's converter "
                           "refuses them too): export the file again without a DOCTYPE", line)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=False, remove_pis=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).split(", line ")[0]
        if "Excessive depth" in message:
            message = f"elements are nested more than {MAX_DEPTH} levels deep; this is not a QRDA III report"
        line, column = exc.position if exc.position else (None, None)
        raise XmlReadError(f"not well-formed XML: {message}", line, column) from None
    except ValueError as exc:
        raise XmlReadError(f"not well-formed XML: {exc}") from None
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return XmlDocument(root, text)
