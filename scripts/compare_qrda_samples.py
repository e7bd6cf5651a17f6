"""Convert CMS's QRDA III sample files and compare with what CMS's converter gave for them.

Usage: python scripts/compare_qrda_samples.py FOLDER [FOLDER ...]

Each `NAME.xml` in a folder (searched recursively) is converted by this engine and compared with
CMS's answer beside it, as CMS's command-line converter writes it: `NAME-qpp.json` (the QPP JSON) or
`NAME-error.json` (the error codes, compared in order). Files without either are listed as unchecked.
Prints one line per file and a summary; exits 1 when any file differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))  # run as a plain script from a checkout, installed or not

from engine.errors import MipsError  # noqa: E402
from engine.qrda.convert import convert_file  # noqa: E402


def compare(xml: Path) -> tuple[str, str]:
    """(outcome, detail) for one sample: match, differ or unchecked."""
    expected_json = xml.with_name(xml.stem + "-qpp.json")
    expected_errors = xml.with_name(xml.stem + "-error.json")
    try:
        conversion = convert_file(xml)
    except MipsError as exc:
        return "differ", f"not converted: {exc}"
    ours = [p.code for p in conversion.problems]
    if expected_json.is_file():
        cms = json.loads(expected_json.read_text(encoding="utf-8"))
        if ours:
            return "differ", f"CMS converts it; this engine reports codes {ours}: {conversion.problems[0].message}"
        if conversion.submission == cms:
            return "match", "same QPP JSON"
        return "differ", "QPP JSON differs: " + "; ".join(_differences(cms, conversion.submission))
    if expected_errors.is_file():
        cms_codes = [d["errorCode"] for e in json.loads(expected_errors.read_text(encoding="utf-8"))["errors"]
                     for d in e.get("details", [])]
        if ours == cms_codes:
            return "match", f"same error codes {ours}"
        return "differ", f"CMS error codes {cms_codes}, this engine {ours}"
    return "unchecked", "no -qpp.json or -error.json beside it"


def _differences(cms: Any, ours: Any, path: str = "") -> list[str]:
    if isinstance(cms, dict) and isinstance(ours, dict):
        found = []
        for key in sorted(set(cms) | set(ours)):
            if key not in ours:
                found.append(f"{path}.{key} missing")
            elif key not in cms:
                found.append(f"{path}.{key} extra")
            else:
                found += _differences(cms[key], ours[key], f"{path}.{key}")
        return found
    if isinstance(cms, list) and isinstance(ours, list) and len(cms) == len(ours):
        return [d for i, (a, b) in enumerate(zip(cms, ours)) for d in _differences(a, b, f"{path}[{i}]")]
    return [] if cms == ours else [f"{path or '.'}: CMS {json.dumps(cms)[:80]}, this engine {json.dumps(ours)[:80]}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+", help="folders holding CMS's sample files")
    args = parser.parse_args(argv)
    counts = {"match": 0, "differ": 0, "unchecked": 0}
    for folder in args.folders:
        for xml in sorted(folder.rglob("*.xml")):
            outcome, detail = compare(xml)
            counts[outcome] += 1
            print(f"{outcome:9} {xml}: {detail}")
    print(f"{sum(counts.values())} files: {counts['match']} match, {counts['differ']} differ, "
          f"{counts['unchecked']} unchecked")
    return 1 if counts["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
