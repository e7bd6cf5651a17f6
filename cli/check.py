"""`mips check`: may or must an entity register, and is a clinician MIPS eligible, by the year's rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from cli.main import emit
from engine import jsonout
from engine.api import rulebook_for
from engine.calendar import load_calendar, read_moment
from engine.check import ask, intent_from_file, intent_from_options
from engine.errors import MipsError
from engine.explain.render import render_answer
from engine.rulebook.registry import available_years

TEMPLATES = {"text": "check.txt.j2", "markdown": "check.md.j2", "html": "check.html.j2"}
INTENT = click.argument("intent_file", required=False, metavar="[INTENT]",
                        type=click.Path(path_type=Path, dir_okay=False))
YEAR = click.option("--year", type=int, help="Performance year (with options instead of an INTENT file).")
ENTITY = click.option("--entity", metavar="TYPE", help="individual, group, virtual_group, apm_entity or subgroup.")
CLINICIANS = click.option("--clinicians", type=int, help="Number of clinicians in the entity (TIN).")
SMALL = click.option("--small-practice/--not-small-practice", "small_practice", default=None,
                     help="Small-practice status, when known instead of --clinicians.")
ON = click.option("--on", "on", metavar="DATE|DATETIME",
                  help="Answer as of this moment: 2026-06-30 (midnight Eastern) or 2026-06-30T19:59-04:00. Default: now.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default="text",
                      show_default=True)


@click.group("check")
def check_group() -> None:
    """Answer a registration or eligibility question from an INTENT file (YAML or JSON) or from options."""


@check_group.command("registration")
@INTENT
@YEAR
@ENTITY
@CLINICIANS
@SMALL
@click.option("--option", "reporting_option", metavar="OPTION", help="Reporting option: traditional, mvp, app, app_plus.")
@click.option("--mvp", metavar="ID", help="MVP id, e.g. G0057 (implies --option mvp).")
@click.option("--cahps/--no-cahps", default=None, help="Whether the entity intends to administer the CAHPS for MIPS Survey.")
@click.option("--specialty", metavar="COMPOSITION", help="Group specialty composition to attest: single_specialty or multispecialty.")
@click.option("--ssp-aco", "ssp_aco", is_flag=True, default=None, help="The APM Entity is a Shared Savings Program ACO.")
@click.option("--mips-eligible", "mips_eligible_clinicians", type=int, help="How many of the clinicians are MIPS eligible.")
@ON
@FORMAT
def registration(intent_file: Path | None, year: int | None, on: str | None, fmt: str, **options: Any) -> None:
    """May or must the entity register (MVP, CAHPS for MIPS Survey), what must it do, by when, and why."""
    _answer("registration", intent_file, year, on, fmt, options)


@check_group.command("eligibility")
@INTENT
@YEAR
@ENTITY
@CLINICIANS
@SMALL
@click.option("--clinician-type", metavar="TYPE", help="Clinician type, e.g. physician, nurse_practitioner.")
@click.option("--allowed-charges", type=Decimal, metavar="DOLLARS", help="Medicare Part B allowed charges.")
@click.option("--beneficiaries", type=int, help="Medicare Part B beneficiaries cared for.")
@click.option("--services", type=int, help="Covered professional services furnished.")
@click.option("--newly-enrolled/--not-newly-enrolled", default=None, help="First enrolled in Medicare this year.")
@click.option("--qp/--not-qp", "qualifying_apm_participant", default=None, help="A Qualifying APM Participant.")
@click.option("--partial-qp/--not-partial-qp", "partial_qp", default=None, help="A Partial Qualifying APM Participant.")
@click.option("--elects-mips/--does-not-elect-mips", "partial_qp_elects_mips", default=None,
              help="The Partial QP elected to take part in MIPS.")
@click.option("--opt-in/--no-opt-in", "opt_in", default=None, help="Elected to opt in to MIPS.")
@ON
@FORMAT
def eligibility(intent_file: Path | None, year: int | None, on: str | None, fmt: str, **options: Any) -> None:
    """Is the clinician or group MIPS eligible, and does a payment adjustment apply? Each rule and source named."""
    facts = {k: options.pop(k) for k in ("clinician_type", "allowed_charges", "beneficiaries", "services",
                                         "newly_enrolled", "qualifying_apm_participant", "partial_qp",
                                         "partial_qp_elects_mips", "opt_in")}
    options["eligibility"] = facts
    _answer("eligibility", intent_file, year, on, fmt, options)


def _answer(question: str, intent_file: Path | None, year: int | None, on: str | None, fmt: str,
            options: dict[str, Any]) -> None:
    given = [name for name, value in options.items()
             if value is not None and not (isinstance(value, dict) and not any(v is not None for v in value.values()))]
    document, name = None, ""
    if intent_file is not None:
        if given or year is not None:
            raise MipsError(f"give the question either in {intent_file} or as options, not both "
                            f"(options given: {', '.join('--' + n.replace('_', '-') for n in given + (['year'] if year else []))})")
        intent, document, name = intent_from_file(intent_file)
    else:
        if year is None or options.get("entity") is None:
            raise MipsError("give an INTENT file, or at least --year and --entity")
        intent = intent_from_options({"performance_year": year, **options})
    if str(intent.performance_year) not in {str(y) for y in available_years()}:
        years = ", ".join(str(y) for y in available_years())
        raise MipsError(f"no rulebook for performance year {intent.performance_year}; available years: {years}")
    rulebook = rulebook_for(str(intent.performance_year))
    zone = load_calendar(rulebook.year).program_zone
    moment = (read_moment(on, zone) if on else datetime.now(ZoneInfo(zone)).replace(second=0, microsecond=0)
              ).astimezone(ZoneInfo(zone))
    answer = ask(intent, question, rulebook, moment, name, document)
    emit(jsonout.dumps(answer.to_data()) if fmt == "json" else render_answer(answer, TEMPLATES[fmt]))
