"""Convert one QRDA III file: read safely, find its year, decode, check as CMS does, write the QPP JSON.

    conversion = convert_file(Path("report.xml"))
    conversion.submission   # the QPP JSON as a dict, or None when the file has problems
    conversion.problems     # every CMS-coded problem, located

Nothing is half-converted: a file with any problem gives no submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from engine.errors import MipsError
from engine.qrda.decode import decode_document
from engine.qrda.encode import Encoder, JsonPath
from engine.qrda.nodes import Node
from engine.qrda.problems import QrdaProblem
from engine.qrda.spec import QrdaSpec, load_qrda_spec, qrda_years
from engine.qrda.validate import Context, document_program, validate_tree
from engine.qrda.xml_source import XmlDocument, XmlReadError, parse_xml, read_xml, xpath_of
from engine.reference.loader import load_reference
from engine.reference.models import QualityMeasure
from engine.rulebook.registry import display_path


@dataclass
class Conversion:
    """The outcome of converting one file."""

    file: str
    year: int | None = None
    submission: dict[str, Any] | None = None
    problems: list[QrdaProblem] = field(default_factory=list)
    origins: dict[JsonPath, tuple[int | None, int | None, str]] = field(default_factory=dict)
    """Where in the XML each part of the QPP JSON comes from: JSON path -> (line, column, XPath)."""


def convert_file(path: Path) -> Conversion:
    """Convert a QRDA III file (see the module docstring)."""
    name = display_path(path)
    if not path.is_file():
        raise MipsError(f"{name}: no such file")
    try:
        document = read_xml(path)
    except XmlReadError as exc:
        return Conversion(name, problems=[_not_xml(exc)])
    return convert_document(document, name)


def convert_bytes(data: bytes, name: str) -> Conversion:
    """Convert QRDA III content already read (tests, other front ends)."""
    try:
        document = parse_xml(data)
    except XmlReadError as exc:
        return Conversion(name, problems=[_not_xml(exc)])
    return convert_document(document, name)


def convert_document(document: XmlDocument, name: str) -> Conversion:
    latest = _latest_spec()
    root = document.root
    problem = _not_qrda(latest, root)
    if problem:
        return Conversion(name, problems=[problem])
    year = _performance_year(document.root)
    stated = year is not None
    year = year if year is not None else _year_of_version(root)
    if year is None:
        return Conversion(name, problems=[QrdaProblem(latest.code("performance_year_missing"), "the file gives no "
                                                      "performance year (no Reporting Parameters Act with a start "
                                                      "date) and its QRDA III template version is not one of a "
                                                      "year this engine reads")])
    if year not in qrda_years():
        known = ", ".join(str(y) for y in qrda_years())
        return Conversion(name, year, problems=[QrdaProblem(latest.code("not_qrda"), f"the file reports performance "
                                                            f"year {year}; QRDA III files are read for performance "
                                                            f"years {known}")])
    spec = load_qrda_spec(year)
    problem = _wrong_version(spec, root)
    if problem:
        return Conversion(name, year, problems=[problem])
    measures = _ecqms(year)
    tree = decode_document(spec, root)
    assert tree is not None, "the document template was checked above"
    context = Context(spec, measures, document, document_program(spec, tree))
    problems = validate_tree(tree, context)
    if not stated and not problems:
        problems = [context.problem("performance_year_missing", "the file gives no performance year: no Reporting "
                                    "Parameters Act with a start date (effectiveTime/low/@value)", tree)]
    if problems:
        return Conversion(name, year, problems=problems)
    encoder = Encoder(spec, measures)
    submission = encoder.document(tree)
    origins = {path: (*_position(document, node), xpath_of(node.element) if node.element is not None else "")
               for path, node in encoder.origins.items()}
    return Conversion(name, year, submission, [], origins)


def _position(document: XmlDocument, node: Node) -> tuple[int | None, int | None]:
    return document.position(node.anchor) if node.anchor is not None else (None, None)


def _latest_spec() -> QrdaSpec:
    years = qrda_years()
    if not years:
        raise MipsError("no QRDA III mapping found (rulebooks/YEAR/qrda.yaml); the rulebooks folder is incomplete")
    return load_qrda_spec(years[-1])


def _not_xml(exc: XmlReadError) -> QrdaProblem:
    return QrdaProblem(_latest_spec().code("not_xml"), exc.message + "; export the QRDA III file again from the "
                       "EHR", exc.line, exc.column)


def _document_templates(spec: QrdaSpec, root: etree._Element) -> list[etree._Element]:
    namespace = etree.QName(root).namespace
    tag = etree.QName(namespace, "templateId").text if namespace else "templateId"
    return [t for t in root.findall(tag) if t.get("root") == spec.entries.document_template.value.root]


def _not_qrda(spec: QrdaSpec, root: etree._Element) -> QrdaProblem | None:
    """CMS code 5 when the root is not a ClinicalDocument with the QRDA Category III Report template."""
    local = etree.QName(root).localname
    template = spec.entries.document_template.value.root
    if local != "ClinicalDocument":
        return QrdaProblem(spec.code("not_qrda"), f"not a QRDA Category III document: the root element is <{local}>, "
                           "not <ClinicalDocument>", root.sourceline, None, xpath_of(root))
    if not _document_templates(spec, root):
        return QrdaProblem(spec.code("not_qrda"), f"not a QRDA Category III document: the ClinicalDocument has no "
                           f"templateId {template} (CMS QRDA Category III Report); a QRDA I or other CDA document "
                           "cannot be converted", root.sourceline, None, xpath_of(root))
    return None


def _wrong_version(spec: QrdaSpec, root: etree._Element) -> QrdaProblem | None:
    """CMS code 5 when the document template's extension is not the one of the year's guide."""
    entry = spec.entries.document_template
    guide = spec.entries.implementation_guide.value
    given = [t.get("extension") for t in _document_templates(spec, root)]
    code = spec.code("not_qrda")
    if entry.value.extension is None:
        note = f" ({entry.note.strip()})" if entry.note else ""
        return QrdaProblem(code, f"performance year {spec.year} cannot be converted yet: the QRDA III template "
                           f"version of {spec.year} is {entry.status}{note}", root.sourceline, None, xpath_of(root))
    if entry.value.extension in given:
        return None
    shown = ", ".join(g or "(none)" for g in given)
    users = _years_using(given)
    hint = f" (the version of performance year {users})" if users else ""
    return QrdaProblem(code, f"the file follows QRDA III report template version {shown}{hint}, but performance "
                       f"year {spec.year} files follow version {entry.value.extension} of the {guide.title}: export "
                       f"the file again with your EHR's {spec.year} QRDA III format", root.sourceline, None,
                       xpath_of(root))


def _years_using(extensions: list[str | None]) -> str:
    years = [str(y) for y in qrda_years() if load_qrda_spec(y).entries.document_template.value.extension in extensions]
    return " and ".join(years)


def _performance_year(root: etree._Element) -> int | None:
    """The year CMS writes: the first four digits of the first Reporting Parameters Act's start (breadth
    first), read with the latest mapping's templates whatever the document template's version."""
    tree = decode_document(_latest_spec(), root, any_version=True)
    parameters = tree.find_first("reporting_parameters") if tree is not None else None
    text = parameters.get("performanceYear") or "" if parameters is not None else ""
    return int(text) if len(text) == 4 and text.isdigit() else None


def _year_of_version(root: etree._Element) -> int | None:
    """The latest year whose document template version the file carries (when it states no year)."""
    for year in reversed(qrda_years()):
        spec = load_qrda_spec(year)
        if spec.entries.document_template.value.extension in [t.get("extension")
                                                              for t in _document_templates(spec, root)]:
            return year
    return None


def _ecqms(year: int) -> dict[str, QualityMeasure]:
    reference = load_reference(year)
    return {m.e_measure_uuid.lower(): m for m in reference.quality_measures.values() if m.e_measure_uuid}

