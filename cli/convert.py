"""`mips convert`: a QRDA III file as the QPP JSON CMS's converter produces, or its CMS-coded problems."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cli.main import emit
from engine.errors import CaseError
from engine.qrda.convert import convert_file
from engine.qrda.problems import cms_error_report


@click.command("convert")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="json: the QPP JSON (problems as CMS's error response); text: a summary (problems as messages).")
def convert_command(file: Path, fmt: str) -> None:
    """Convert a QRDA Category III file to QPP JSON as CMS's conversion tool does.

    Every problem is reported at once with CMS's error code, line, column and XPath, and the exit code
    is 1; nothing is written then.
    """
    conversion = convert_file(file)
    if conversion.problems:
        if fmt == "json":
            emit(_dumps(cms_error_report(conversion.file, conversion.problems)))
            sys.exit(1)
        raise CaseError([p.located(conversion.file) for p in conversion.problems])
    assert conversion.submission is not None
    emit(_dumps(conversion.submission) if fmt == "json" else _summary(conversion.file, conversion.submission))


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _summary(file: str, submission: dict[str, Any]) -> str:
    """A few lines a person can check: who, which year, and each measurement set with its measures."""
    who = ", ".join(f"{k} {submission[k]}" for k in ("taxpayerIdentificationNumber", "nationalProviderIdentifier",
                                                      "entityId") if k in submission)
    lines = [f"{file}: QRDA III converted to QPP JSON",
             f"performance year {submission.get('performanceYear')}, entity {submission.get('entityType')}"
             + (f" ({who})" if who else "")]
    for mset in submission.get("measurementSets", []):
        period = f"{mset.get('performanceStart')} to {mset.get('performanceEnd')}"
        cehrt = f", CEHRT {mset['cehrtId']}" if mset.get("cehrtId") else ""
        lines.append(f"  {mset.get('category')} ({mset.get('programName')}, {period}{cehrt}): "
                     f"{len(mset.get('measurements', []))} measure(s)")
        for m in mset.get("measurements", []):
            lines.append(f"    {m.get('measureId')}: {_value(m.get('value'))}")
    return "\n".join(lines)


def _value(value: Any) -> str:
    if isinstance(value, dict) and "strata" in value:
        return "; ".join(f"{s.get('stratum')}: {_value(s)}" for s in value["strata"])
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if k != "isEndToEndReported")
    return json.dumps(value)
