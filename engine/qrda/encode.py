"""Assemble the QPP JSON of a validated QRDA III tree, field by field as CMS's converter writes it.

Every measurement set gets `source: qrda3`; the MVP id, when the file names one, is the programName
of every set. Populations become counts: NUMER performanceMet, DENOM eligiblePopulation, DENEX
eligiblePopulationExclusion, DENEXCEP eligiblePopulationException, and performanceNotMet is DENOM less
the other three. Some eCQMs are summed over their population sets, one is spread into strata
(`summed_measures`, `single_to_multi_measures` in the year's mapping), and multi-rate eCQMs become
strata matched by population UUID.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.qrda.nodes import DOCUMENT, Node
from engine.qrda.spec import QrdaSpec
from engine.qrda.validate import cms_date
from engine.reference.models import EcqmPopulation, QualityMeasure

JsonPath = tuple[str | int, ...]
FIELDS = {"numerator": "performanceMet", "denominator": "eligiblePopulation",
          "denominator_exclusion": "eligiblePopulationExclusion",
          "denominator_exception": "eligiblePopulationException"}
"""QPP JSON field of each population counted in a measurement (initial population and NUMEX are not)."""
SECTIONS = ("measure_section", "pi_section", "ia_section")
SUBMISSION_METHOD = "electronicHealthRecord"
SOURCE = "qrda3"


class Encoder:
    """Writes one document's QPP JSON and remembers which node each part of it comes from."""

    def __init__(self, spec: QrdaSpec, measures: dict[str, QualityMeasure]):
        self.spec = spec
        self.measures = measures
        self.origins: dict[JsonPath, Node] = {}
        self.population = {code: name for code, name in spec.entries.population_codes.value.items()}

    def document(self, document: Node) -> dict[str, Any]:
        assert document.kind == DOCUMENT
        out: dict[str, Any] = {}
        self.origins[()] = document
        parameters = document.find_first("reporting_parameters")
        if parameters is not None and parameters.get("performanceYear"):
            out["performanceYear"] = int(parameters.get("performanceYear") or "")
        entity = document.get("entityType")
        out["entityType"] = entity
        identity = self.spec.entries.identifiers.value.get(entity)  # type: ignore[arg-type]
        for field in identity.fields if identity else ():
            value = document.get(field)
            if value is not None:
                out[field] = value
        sets = []
        seen: set[str] = set()
        for child in document.children:
            if child.kind in SECTIONS and child.kind not in seen:
                seen.add(child.kind)
                sets.append(self.section(child, document, ("measurementSets", len(sets))))
        out["measurementSets"] = sets
        return out

    def section(self, node: Node, document: Node, path: JsonPath) -> dict[str, Any]:
        self.origins[path] = node
        category = node.get("category")
        out: dict[str, Any] = {"category": category, "submissionMethod": SUBMISSION_METHOD}
        cehrt = self.spec.entries.cehrt_id.value
        program = self._program(document)
        if category in cehrt.categories and program in cehrt.programs and document.get("cehrtId"):
            out["cehrtId"] = document.get("cehrtId")
        measurements = []
        for child in node.children:
            encode = self._measurement_encoder(child.kind)
            if encode is not None:
                at = path + ("measurements", len(measurements))
                self.origins[at] = child
                measurements.append(encode(child))
        out["measurements"] = measurements
        out["programName"] = document.get("mvpId") or document.get("programName")
        parameters = node.find_first("reporting_parameters")
        if parameters is not None:
            for key in ("performanceStart", "performanceEnd"):
                day = cms_date(parameters.get(key))
                out[key] = day.isoformat() if day else parameters.get(key)
        out["source"] = SOURCE
        return out

    def _program(self, document: Node) -> str | None:
        raw = document.get("rawProgramName")
        known = self.spec.entries.program_names.value.get(raw.upper()) if raw else None
        return known.program if known else None

    def _measurement_encoder(self, kind: str) -> Callable[[Node], dict[str, Any]] | None:
        return {"measure_reference": self.quality, "ia_measure": self.attestation,
                "pi_numerator_denominator": self.proportion, "pi_measure_performed": self.attestation}.get(kind)

    # --- measurements ---------------------------------------------------------------------------------

    def quality(self, node: Node) -> dict[str, Any]:
        measure = self.measures[node.get("measureGuid") or ""]
        entries = self.spec.entries
        if measure.id in entries.summed_measures.value:
            value = self._summed(node)
        elif measure.id in entries.single_to_multi_measures.value:
            value = {"isEndToEndReported": True, "strata": [
                self._counts(node, True, measure) if p.uuids is not None else self._zeros(measure, p)
                for p in measure.e_measure_populations]}
        elif measure.metric_type.lower() == "singleperformancerate":
            value = {"isEndToEndReported": True} | self._counts(node, False, measure)
        else:
            value = {"isEndToEndReported": True,
                     "strata": [self._counts(group, True, measure) for group in self._groups(node, measure)]}
        return {"measureId": measure.id, "value": value}

    def _data(self, node: Node, population: str) -> list[Node]:
        return [c for c in node.of_kind("measure_data") if self.population.get(c.get("type") or "") == population]

    def _count(self, data: Node | None) -> int:
        count = data.find_first("aggregate_count") if data is not None else None
        return int(count.get("aggregateCount") or "0") if count is not None else 0

    def _summed(self, node: Node) -> dict[str, Any]:
        sums = {p: sum(self._count(d) for d in self._data(node, p)) for p in FIELDS}
        return {"isEndToEndReported": True, "performanceMet": sums["numerator"],
                "performanceNotMet": sums["denominator"] - sums["numerator"] - sums["denominator_exclusion"]
                - sums["denominator_exception"],
                "eligiblePopulation": sums["denominator"],
                "eligiblePopulationExclusion": sums["denominator_exclusion"],
                "eligiblePopulationException": sums["denominator_exception"]}

    def _counts(self, node: Node, stratified: bool, measure: QualityMeasure) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first = {p: next(iter(self._data(node, p)), None) for p in FIELDS}
        if first["numerator"] is not None:
            out["performanceMet"] = self._count(first["numerator"])
        for population in ("denominator_exclusion", "denominator_exception"):
            if first[population] is not None:
                out[FIELDS[population]] = self._count(first[population])
        if first["denominator"] is not None:
            out["performanceNotMet"] = (self._count(first["denominator"]) - self._count(first["numerator"])
                                        - self._count(first["denominator_exclusion"])
                                        - self._count(first["denominator_exception"]))
        for data in node.of_kind("measure_data"):
            field = FIELDS.get(self.population.get(data.get("type") or "", ""))
            if field is not None:
                out[field] = self._count(data)
        if stratified and first["numerator"] is not None:
            uuid = (first["numerator"].get("populationId") or "").upper()
            out["stratum"] = next((p.stratum for p in measure.e_measure_populations
                                   if p.uuids is not None and p.uuids.numerator == uuid), uuid)
        return out

    def _zeros(self, measure: QualityMeasure, population: EcqmPopulation) -> dict[str, Any]:
        out: dict[str, Any] = {"performanceMet": 0}
        if any(p.uuids is not None and p.uuids.denominator_exclusion for p in measure.e_measure_populations):
            out["eligiblePopulationExclusion"] = 0
        out |= {"performanceNotMet": 0, "eligiblePopulation": 0, "stratum": population.stratum}
        return out

    def _groups(self, node: Node, measure: QualityMeasure) -> list[Node]:
        """The measure data of a multi-rate eCQM grouped per stratum by population UUID (CMS's order)."""
        populations = [p.uuids for p in measure.e_measure_populations]
        groups = [Node("measure_reference") for _ in populations]
        index: dict[str | None, int] = {}
        position = 0
        for uuids in populations:
            if uuids is not None and uuids.numerator is not None:
                for uuid in (uuids.denominator, uuids.denominator_exception, uuids.denominator_exclusion,
                             uuids.numerator, uuids.initial_population):
                    index[uuid] = position
                position += 1
        for data in node.of_kind("measure_data"):
            at = index.get((data.get("populationId") or "").upper())
            if at is not None:
                groups[at].children.append(data)
        return groups

    def attestation(self, node: Node) -> dict[str, Any]:
        """An improvement activity or a PI attestation: its id and its Y/N answer as true/false."""
        out: dict[str, Any] = {"measureId": node.get("measureId")}
        performed = node.find_first("measure_performed")
        if performed is not None:
            given = performed.get("measurePerformed") or ""
            codes = {k.lower(): v for k, v in self.spec.entries.attestation_codes.value.items()}
            out["value"] = codes.get(given.lower(), given)
        return out

    def proportion(self, node: Node) -> dict[str, Any]:
        value: dict[str, Any] = {}
        seen: set[str] = set()
        for child in node.children:
            if child.kind in ("pi_numerator", "pi_denominator") and child.kind not in seen:
                seen.add(child.kind)
                count = child.find_first("aggregate_count")
                if count is not None and count.get("aggregateCount") is not None:
                    value[child.get("name") or ""] = int(count.get("aggregateCount") or "0")
        return {"measureId": node.get("measureId"), "value": value}
