"""Ask the year's rules a registration or eligibility question in-process, as `mips check` does.

`answer("registration", 2026, entity="group", mvp="G0057", clinicians=12)` returns the traced answer;
`topic(ans, "mvp_registration")` its data for one topic (verdict, why, todo, window) and `todo(...)`
the ids of the todo rules that apply, without their topic prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.api import rulebook_for
from engine.check import Answer, ask, intent_from_options

EASTERN = ZoneInfo("America/New_York")


def answer(question: str, year: int, on: datetime | None = None, **intent: Any) -> Answer:
    moment = on or datetime(year, 5, 1, 12, 0, tzinfo=EASTERN)
    return ask(intent_from_options({"performance_year": year, **intent}), question, rulebook_for(str(year)), moment)


def topic(ans: Answer, name: str) -> dict[str, Any]:
    return ans.topic_data(name)


def todo(ans: Answer, name: str) -> list[str]:
    return [t["rule"].removeprefix(f"{name}.todo.") for t in ans.topic_data(name)["todo"]]


def verdict(ans: Answer, name: str) -> str:
    return ans.topic_data(name)["verdict"]
