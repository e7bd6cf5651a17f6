"""Write the QRDA III fixtures of tests/qrda/good and tests/qrda/bad from the 2025 implementation guide's
templates and the eCQM UUIDs of the project's 2025 reference data.

Run `python tests/qrda/build_fixtures.py` after changing it; the files are committed so that a test
shows the XML it reads.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[1] / "rulebooks" / "2025" / "reference" / "quality_measures.jsonl"
DOCUMENT = "2.16.840.1.113883.10.20.27.1.2"


def _measures() -> dict[str, dict]:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    return {m["id"]: m for m in map(json.loads, lines)}


def header(program: str = "MIPS_INDIV", extension: str = "2024-12-01", npi: str | None = "1234567893",
           tin: str | None = "123456789", entity: tuple[str, str] | None = None, cehrt: str | None = "0015C1234567890",
           mvp: str | None = None, extra: str = "") -> str:
    performer = ""
    if npi:
        performer += f'<id root="2.16.840.1.113883.4.6" extension="{npi}"/>'
    org = f'<id root="2.16.840.1.113883.4.2" extension="{tin}"/>' if tin else ""
    if entity:
        org += f'<id root="{entity[0]}" extension="{entity[1]}"/>'
    participants = ""
    for root, value in (("2.16.840.1.113883.3.2074.1", cehrt), ("2.16.840.1.113883.3.249.5.6", mvp)):
        if value:
            participants += (f'\n  <participant typeCode="DEV"><associatedEntity classCode="RGPR">'
                             f'<id root="{root}" extension="{value}"/></associatedEntity></participant>')
    program_id = f'<id root="2.16.840.1.113883.3.249.7" extension="{program}"/>' if program else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <realmCode code="US"/>
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.10.20.27.1.1" extension="2017-06-01"/>
  <templateId root="{DOCUMENT}" extension="{extension}"/>
  <id root="7A7D8C2E-3B1F-4C55-9E2A-5D0B3C1A9F10"/>
  <code code="55184-6" codeSystem="2.16.840.1.113883.6.1"/>
  <title>QRDA Category III Report</title>
  <effectiveTime value="20260115093000"/>
  <informationRecipient><intendedRecipient>{program_id}</intendedRecipient></informationRecipient>{participants}
  <documentationOf typeCode="DOC"><serviceEvent classCode="PCPR"><effectiveTime><low value="20250101"/><high value="20251231"/></effectiveTime>
    <performer typeCode="PRF"><time><low value="20250101"/><high value="20251231"/></time><assignedEntity>{performer}
      <representedOrganization>{org}</representedOrganization></assignedEntity></performer></serviceEvent></documentationOf>{extra}
  <component><structuredBody>
"""


FOOTER = "  </structuredBody></component>\n</ClinicalDocument>\n"


def parameters(start: str = "20250101", end: str = "20251231") -> str:
    low = f'<low value="{start}"/>' if start else ""
    high = f'<high value="{end}"/>' if end else ""
    return (f'      <entry typeCode="DRIV"><act classCode="ACT" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.17.3.8"/><code code="252116004" codeSystem="2.16.840.1.113883.6.96"/>'
            f'<effectiveTime>{low}{high}</effectiveTime></act></entry>\n')


def count(value: str) -> str:
    return (f'<entryRelationship typeCode="SUBJ" inversionInd="true"><observation classCode="OBS" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.3"/><code code="MSRAGG" codeSystem="2.16.840.1.113883.5.4"/>'
            f'<value xsi:type="INT" value="{value}"/><methodCode code="COUNT" codeSystem="2.16.840.1.113883.5.84"/>'
            f'</observation></entryRelationship>')


def population(code: str, uuid: str, value: str, extra: str = "") -> str:
    sex = (f'<entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN">'
           f'<templateId root="2.16.840.1.113883.10.20.27.3.6" extension="2016-09-01"/>'
           f'<value xsi:type="CD" code="F" codeSystem="2.16.840.1.113883.5.1"/>{count(value)}</observation></entryRelationship>')
    return (f'<component><observation classCode="OBS" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.5" extension="2016-09-01"/>'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.16" extension="2019-05-01"/>'
            f'<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>'
            f'<value xsi:type="CD" code="{code}" codeSystem="2.16.840.1.113883.5.4"/>{count(value)}{sex}{extra}'
            f'<reference typeCode="REFR"><externalObservation classCode="OBS" moodCode="EVN"><id root="{uuid}"/>'
            f'</externalObservation></reference></observation></component>')


def rate(numerator: str, value: str = "0.8") -> str:
    return (f'<component><observation classCode="OBS" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.30" extension="2016-09-01"/>'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.25" extension="2022-05-01"/>'
            f'<code code="72510-1" codeSystem="2.16.840.1.113883.6.1"/><value xsi:type="REAL" value="{value}"/>'
            f'<reference typeCode="REFR"><externalObservation classCode="OBS" moodCode="EVN"><id root="{numerator}"/>'
            f'</externalObservation></reference></observation></component>')


def ecqm(guid: str, populations: list[str]) -> str:
    return (f'      <entry><organizer classCode="CLUSTER" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.1" extension="2016-09-01"/>'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.17" extension="2022-05-01"/>'
            f'<statusCode code="completed"/><reference typeCode="REFR"><externalDocument classCode="DOC" moodCode="EVN">'
            f'<id root="2.16.840.1.113883.4.738" extension="{guid}"/></externalDocument></reference>'
            + "".join(populations) + "</organizer></entry>\n")


def counts_of(measure: dict, stratum: int = 0, ipop: str = "1000", denom: str = "1000", numer: str = "800",
              denex: str = "100", denexcep: str = "50") -> list[str]:
    uuids = measure["e_measure_populations"][stratum]["uuids"]
    out = [population("IPOP", uuids["initial_population"], ipop), population("DENOM", uuids["denominator"], denom)]
    if uuids["denominator_exclusion"]:
        out.append(population("DENEX", uuids["denominator_exclusion"], denex))
    if uuids["denominator_exception"]:
        out.append(population("DENEXCEP", uuids["denominator_exception"], denexcep))
    out.append(population("NUMER", uuids["numerator"], numer))
    return out


def measure_section(*entries: str, category_extension: str = "2020-12-01", with_parameters: bool = True) -> str:
    category = f'<templateId root="2.16.840.1.113883.10.20.27.2.1" extension="{category_extension}"/>' \
        if category_extension else ""
    return (f'    <component><section>{category}<templateId root="2.16.840.1.113883.10.20.27.2.3" extension="2022-05-01"/>'
            f'<templateId root="2.16.840.1.113883.10.20.24.2.2"/><code code="55186-1" codeSystem="2.16.840.1.113883.6.1"/>'
            f'<title>Measure Section</title><text/>\n' + (parameters() if with_parameters else "") + "".join(entries)
            + "    </section></component>\n")


def pi_measure(measure: str, numerator: str, denominator: str) -> str:
    def part(template: str, code: str, value: str) -> str:
        return (f'<component><observation classCode="OBS" moodCode="EVN"><templateId root="{template}" '
                f'extension="2016-09-01"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>'
                f'<value xsi:type="CD" code="{code}" codeSystem="2.16.840.1.113883.5.4"/>{count(value)}'
                f'</observation></component>')
    return (f'      <entry><organizer classCode="CLUSTER" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.28" extension="2017-06-01"/>'
            f'<reference typeCode="REFR"><externalDocument classCode="DOC" moodCode="EVN">'
            f'<id root="2.16.840.1.113883.3.7031" extension="{measure}"/></externalDocument></reference>'
            f'{part("2.16.840.1.113883.10.20.27.3.31", "NUMER", numerator)}'
            f'{part("2.16.840.1.113883.10.20.27.3.32", "DENOM", denominator)}</organizer></entry>\n')


def attestation(template: str, measure: str, answer: str, root: str) -> str:
    return (f'      <entry><organizer classCode="CLUSTER" moodCode="EVN">'
            f'<templateId root="{template}" extension="2016-09-01"/>'
            f'<reference typeCode="REFR"><externalDocument classCode="DOC" moodCode="EVN">'
            f'<id root="{root}" extension="{measure}"/></externalDocument></reference>'
            f'<component><observation classCode="OBS" moodCode="EVN">'
            f'<templateId root="2.16.840.1.113883.10.20.27.3.27" extension="2016-09-01"/>'
            f'<code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/>'
            f'<value xsi:type="CD" code="{answer}" codeSystem="2.16.840.1.113883.12.136"/></observation></component>'
            f'</organizer></entry>\n')


def pi_section(*entries: str, with_parameters: bool = True) -> str:
    return ('    <component><section><templateId root="2.16.840.1.113883.10.20.27.2.5" extension="2020-12-01"/>'
            '<code code="55186-1" codeSystem="2.16.840.1.113883.6.1"/><title>Promoting Interoperability</title><text/>\n'
            + (parameters() if with_parameters else "") + "".join(entries) + "    </section></component>\n")


def ia_section(*entries: str, with_parameters: bool = True) -> str:
    return ('    <component><section><templateId root="2.16.840.1.113883.10.20.27.2.4" extension="2020-12-01"/>'
            '<code code="55186-1" codeSystem="2.16.840.1.113883.6.1"/><title>Improvement Activities</title><text/>\n'
            + (parameters() if with_parameters else "") + "".join(entries) + "    </section></component>\n")


def activity(measure: str, answer: str = "Y") -> str:
    return attestation("2.16.840.1.113883.10.20.27.3.33", measure, answer, "2.16.840.1.113883.3.7034")


def pi_attestation(measure: str, answer: str = "Y") -> str:
    return attestation("2.16.840.1.113883.10.20.27.3.29", measure, answer, "2.16.840.1.113883.3.7031")


def fixtures() -> dict[str, str]:
    m = _measures()
    quality = measure_section(ecqm(m["236"]["e_measure_uuid"], counts_of(m["236"]) + [rate(
        m["236"]["e_measure_populations"][0]["uuids"]["numerator"])]),
        ecqm(m["001"]["e_measure_uuid"], counts_of(m["001"], numer="150")))
    pi = pi_section(pi_measure("PI_EP_1", "750", "800"), pi_measure("PI_PEA_1", "600", "800"),
                    pi_attestation("PI_INFBLO_1"), pi_attestation("PI_ONCDIR_1"), pi_attestation("PI_PPHI_1"))
    ia = ia_section(activity("IA_AHE_1"), activity("IA_AHE_3"))
    apm = ("2.16.840.1.113883.3.249.5.4", "A1234")
    stratified = measure_section(
        ecqm(m["239"]["e_measure_uuid"], [p for i in range(3) for p in counts_of(m["239"], i, numer=str(700 + i))]),
        ecqm(m["370"]["e_measure_uuid"], counts_of(m["370"], numer="40", ipop="100", denom="90", denex="5")),
        ecqm(m["005"]["e_measure_uuid"], counts_of(m["005"], numer="500", denom="700", denex="20", denexcep="30")))
    good = {
        "individual-2025.xml": header() + quality + pi + ia + FOOTER,
        "group-2025.xml": header("MIPS_GROUP", npi=None) + quality + pi + ia + FOOTER,
        "virtual-group-2025.xml": header("MIPS_VIRTUALGROUP", npi=None,
                                         entity=("2.16.840.1.113883.3.249.5.2", "VG-000123")) + quality + ia + FOOTER,
        "apm-app-2025.xml": header("MIPS_APP1_APMENTITY", npi=None, tin=None, entity=apm) + quality + ia + FOOTER,
        "apm-app-plus-2025.xml": header("APP_PLUS_APMENTITY", npi=None, tin=None, entity=apm) + quality + FOOTER,
        "subgroup-mvp-2025.xml": header("MIPS_SUBGROUP", npi=None, tin="123456789",
                                        entity=("2.16.840.1.113883.3.249.5.5", "SG-00000042"), mvp="G0053")
        + measure_section(ecqm(m["001"]["e_measure_uuid"], counts_of(m["001"]))) + ia + FOOTER,
        "multi-stratum-2025.xml": header() + stratified + FOOTER,
    }
    base = header() + quality + pi + ia
    bad = {
        "2-not-xml.xml": header() + "<component>" + FOOTER,
        "5-not-qrda.xml": '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n'
                          '  <templateId root="2.16.840.1.113883.10.20.24.1.2" extension="2024-02-01"/>\n</ClinicalDocument>\n',
        "5-wrong-version.xml": header(extension="2022-12-01") + quality + FOOTER,
        "5-year-2026.xml": (header() + quality + FOOTER).replace('value="20250101"', 'value="20260101"').replace(
            'value="20251231"', 'value="20261231"'),
        "6-unknown-measure.xml": header() + measure_section(ecqm("2c928083-0000-0000-0000-000000000000",
                                                                 counts_of(m["001"]))) + FOOTER,
        "9-count-not-whole.xml": header() + measure_section(ecqm(m["001"]["e_measure_uuid"],
                                                                 counts_of(m["001"], numer="80.5"))) + FOOTER,
        "23-no-section.xml": header() + FOOTER,
        "24-no-program.xml": header(program="") + quality + FOOTER,
        "25-unknown-program.xml": header(program="MIPS_SOLO") + quality + FOOTER,
        "26-two-pi-sections.xml": base + pi + FOOTER,
        "27-two-measure-sections.xml": base + quality + FOOTER,
        "41-pi-count-not-whole.xml": header() + pi_section(pi_measure("PI_EP_1", "7.5", "800")) + FOOTER,
        "44-ia-without-parameters.xml": header() + ia_section(activity("IA_AHE_1"), with_parameters=False) + FOOTER,
        "59-wrong-population-uuid.xml": header() + measure_section(ecqm(m["001"]["e_measure_uuid"], counts_of(
            m["001"]))).replace(m["001"]["e_measure_populations"][0]["uuids"]["numerator"],
                                "00000000-0000-0000-0000-000000000001") + FOOTER,
        "61-rate-without-numerator.xml": header() + measure_section(ecqm(m["001"]["e_measure_uuid"], counts_of(
            m["001"]) + [rate("X").replace('<reference typeCode="REFR"><externalObservation classCode="OBS" '
                                           'moodCode="EVN"><id root="X"/></externalObservation></reference>', "")])) + FOOTER,
        "102-restricted-pi.xml": header() + pi_section(pi_measure("PI_HIE_5", "10", "20"),
                                                       pi_measure("PI_HIE_1", "10", "20")) + FOOTER,
        "bomb.xml": '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>\n'
                    '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol1;</title></ClinicalDocument>\n',
    }
    junk = base.replace("<statusCode code=\"completed\"/><reference", "<statusCode code=\"completed\"/>"
                        "<component><observation><templateId root=\"1.2.3.4.5\"/><value code=\"NUMER\"/>"
                        "<entryRelationship><observation><templateId root=\"2.16.840.1.113883.10.20.27.3.3\"/>"
                        "<value value=\"oops\"/></observation></entryRelationship></observation></component>"
                        "<reference", 1)
    good["junk-ignored-2025.xml"] = junk + FOOTER
    return {**{f"good/{k}": v for k, v in good.items()}, **{f"bad/{k}": v for k, v in bad.items()}}


def main() -> None:
    for name, text in fixtures().items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
