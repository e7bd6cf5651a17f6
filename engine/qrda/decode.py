"""Walk a QRDA III document into a node tree the way CMS's converter does.

The walk goes through the elements in document order. A `templateId` whose template the year's
mapping knows creates a node for the element holding it; the elements after it (its siblings and
their descendants) attach to that node. An element whose templates are all unknown is skipped with
everything inside it. Some templates are read whole by their decoder and end the walk of their
element; a measure data element whose population code is not one of the year's is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from lxml import etree

from engine.qrda.nodes import CATEGORY_SECTION, DOCUMENT, Node
from engine.qrda.spec import QrdaSpec


class Walk(Enum):
    CONTINUE = "continue"   # walk on into the element and its later siblings
    FINISHED = "finished"   # the decoder read the element whole: skip the rest of it
    ESCAPED = "escaped"     # drop the node and the rest of the element


Decoder = Callable[[QrdaSpec, etree._Element, Node, str | None], Walk]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def template_kind(spec: QrdaSpec, element: etree._Element, any_version: bool = False) -> str | None:
    """The kind of a templateId element in the year's mapping; None for an unknown template.

    Only the document template must carry the year's extension (unless `any_version`)."""
    root, extension = element.get("root"), element.get("extension")
    entries = spec.entries
    if root == entries.document_template.value.root:
        return DOCUMENT if any_version or extension == entries.document_template.value.extension else None
    if root == entries.category_section.value.root:
        return CATEGORY_SECTION
    return {r: kind for kind, r in entries.templates.value.items()}.get(root)


def decode_document(spec: QrdaSpec, root: etree._Element, any_version: bool = False) -> Node | None:
    """The document node with everything decoded below it; None when no document template is recognised."""
    holder = Node("placeholder", element=root)
    _Walker(spec, any_version).children(root, holder)
    return next((n for n in holder.children if n.kind == DOCUMENT), None)


class _Walker:
    def __init__(self, spec: QrdaSpec, any_version: bool):
        self.spec = spec
        self.any_version = any_version

    def kind(self, element: etree._Element) -> str | None:
        return template_kind(self.spec, element, self.any_version)

    def tree(self, element: etree._Element, parent: Node) -> tuple[Walk, Node | None]:
        result, node = self.single(element, parent)
        if result is Walk.ESCAPED:
            return Walk.FINISHED, None
        node = node or parent
        if result is Walk.FINISHED:
            return Walk.FINISHED, node
        return self.children(element, node)

    def single(self, element: etree._Element, parent: Node) -> tuple[Walk, Node | None]:
        if _local(element) != "templateId":
            return Walk.CONTINUE, None
        kind = self.kind(element)
        decoder = DECODERS.get(kind) if kind else None
        if decoder is None:
            return Walk.CONTINUE, None
        holder = element.getparent()
        node = Node(kind, parent=parent, element=holder, anchor=element)  # type: ignore[arg-type]
        result = decoder(self.spec, holder, node, etree.QName(element).namespace)
        if result is Walk.ESCAPED:
            return Walk.ESCAPED, None
        parent.children.append(node)
        return result, node

    def children(self, element: etree._Element, parent: Node) -> tuple[Walk, Node]:
        current = parent
        for child in self.walked(element):
            result, node = self.tree(child, current)
            if result is Walk.FINISHED:
                break
            current = node or current
        return Walk.CONTINUE, parent

    def walked(self, element: etree._Element) -> list[etree._Element]:
        """Child elements to walk: templateIds without a decoder or seen before are left out, and none at
        all when every template of the element is unknown."""
        seen: set[str | None] = set()
        kept = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if _local(child) == "templateId":
                kind = self.kind(child)
                if kind in DECODERS and kind not in seen:
                    kept.append(child)
                seen.add(kind)
            else:
                kept.append(child)
        if seen and all(kind is None for kind in seen):
            return []
        return kept


# --- decoders: read a template's values from the element holding it --------------------------------


def _all(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None, path: str, name: str,
         replace: bool = False) -> None:
    for value in spec.path(path).values(element, ns):  # type: ignore[arg-type]
        node.put(name, value, replace)


def _first(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None, path: str, name: str) -> None:
    value = spec.path(path).first(element, ns)  # type: ignore[arg-type]
    if value is not None:
        node.put(name, value)


def _document(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
    names = spec.entries.program_names.value
    for raw in spec.path("program_name").values(element, ns):
        known = names.get(raw.upper())
        node.put("programName", known.program if known else raw.lower(), replace=False)
        node.put("entityType", known.entity_type if known else "individual", replace=False)
        node.put("rawProgramName", raw, replace=False)
    _all(spec, element, node, ns, "cehrt_id", "cehrtId")
    entity = node.get("entityType") or ""
    mvp = spec.entries.mvp.value
    if entity in mvp.entity_types and program_of(spec, node) in mvp.programs:
        _first(spec, element, node, ns, "mvp_id", "mvpId")
    identity = spec.entries.identifiers.value.get(entity)  # type: ignore[call-overload]
    if identity and identity.entity_id and (entity != "subgroup" or program_of(spec, node) in mvp.programs):
        _first(spec, element, node, ns, identity.entity_id, "entityId")
    if identity and "entityId" in identity.fields and "taxpayerIdentificationNumber" not in identity.fields:
        node.put("nationalProviderIdentifier", ", ".join(spec.path("npi").values(element, ns)))
        node.put("taxpayerIdentificationNumber", ", ".join(spec.path("tin").values(element, ns)))
    else:
        _first(spec, element, node, ns, "tin", "taxpayerIdentificationNumber")
        if identity and "nationalProviderIdentifier" in identity.fields:
            _first(spec, element, node, ns, "npi", "nationalProviderIdentifier")
    return Walk.CONTINUE


def program_of(spec: QrdaSpec, document: Node) -> str | None:
    """The program of the document's (first) program name when it is one of the year's names, else None."""
    raw = document.get("rawProgramName")
    known = spec.entries.program_names.value.get(raw.upper()) if raw else None
    return known.program if known else None


def _section(category: str) -> Decoder:
    def decode(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
        node.put("category", category)
        if category == "quality":
            _first(spec, element, node, ns, "category_section_extension", "categorySection")
        return Walk.CONTINUE
    return decode


def _reporting_parameters(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
    for start in spec.path("performance_start").values(element, ns):
        node.put("performanceStart", start, replace=False)
        node.put("performanceYear", start[:4])
    _all(spec, element, node, ns, "performance_end", "performanceEnd")
    return Walk.FINISHED


def _measure_reference(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
    for guid in spec.path("measure_guid").values(element, ns):
        node.put("measureGuid", guid.lower(), replace=False)
    return Walk.CONTINUE


def _measure_data(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
    codes = spec.entries.population_codes.value
    for code in spec.path("population_type").values(element, ns):
        if code in codes:
            node.put("type", code, replace=False)
    _all(spec, element, node, ns, "population_id", "populationId")
    return Walk.CONTINUE if node.get("type") is not None else Walk.ESCAPED


def _reader(path: str, name: str, result: Walk, first: bool = False) -> Decoder:
    def decode(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
        if first:
            _first(spec, element, node, ns, path, name)
        else:
            _all(spec, element, node, ns, path, name)
        return result
    return decode


def _performance_rate(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
    _first(spec, element, node, ns, "performance_rate", "rate")
    if node.get("rate") is None:
        _first(spec, element, node, ns, "performance_rate_null", "nullRate")
    _first(spec, element, node, ns, "performance_rate_uuid", "performanceRateUuid")
    return Walk.FINISHED


def _named(name: str) -> Decoder:
    def decode(spec: QrdaSpec, element: etree._Element, node: Node, ns: str | None) -> Walk:
        node.put("name", name)
        return Walk.CONTINUE
    return decode


DECODERS: dict[str | None, Decoder] = {
    DOCUMENT: _document,
    "measure_section": _section("quality"),
    "ia_section": _section("ia"),
    "pi_section": _section("pi"),
    "reporting_parameters": _reporting_parameters,
    "measure_reference": _measure_reference,
    "measure_data": _measure_data,
    "aggregate_count": _reader("aggregate_count", "aggregateCount", Walk.FINISHED),
    "performance_rate": _performance_rate,
    "reporting_stratum": _reader("population_id", "populationId", Walk.FINISHED),
    "sex": _reader("supplemental_code", "supplementalData", Walk.CONTINUE),
    "ethnicity": _reader("supplemental_code", "supplementalData", Walk.CONTINUE),
    "race": _reader("supplemental_code", "supplementalData", Walk.CONTINUE),
    "payer": _reader("payer_code", "supplementalData", Walk.CONTINUE),
    "pi_numerator_denominator": _reader("measure_id", "measureId", Walk.CONTINUE),
    "pi_numerator": _named("numerator"),
    "pi_denominator": _named("denominator"),
    "pi_measure_performed": _reader("measure_id", "measureId", Walk.CONTINUE),
    "ia_measure": _reader("measure_id", "measureId", Walk.CONTINUE, first=True),
    "measure_performed": _reader("measure_performed", "measurePerformed", Walk.FINISHED),
}
"""How each template kind is read; kinds without a decoder (category section, continuous variable) are
known but not decoded."""
