"""Answer a registration or eligibility question: evaluate the year's rules over the intent's facts.

The rules are the rulebook's own (`mvp_registration.*`, `cahps_registration.*`, `eligibility.*`),
evaluated by the same Evaluation as a score, so the answer has the same trace. Each topic of a
question is a rule prefix with a `verdict`; its `todo.*` rules say what to do (those whose value is
true), its `window` names the calendar event that says by when, and the rules the verdict read say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import engine
from engine.case.facts import build_facts
from engine.case.facts import RegistrationFacts
from engine.case.models import Case, Entity, Practice
from engine.check.intent import Intent, check_intent
from engine.check.windows import WindowStatus, window_status
from engine.errors import MipsError
from engine.evaluate import Evaluation
from engine.result import Unconfirmed, collect_unconfirmed
from engine.rulebook.compiled import Rulebook
from engine.trace import TraceNode
from engine.trace.views import flat, plain, tree_data

VERDICT, TODO, WINDOW, ASKED = "verdict", "todo.", "window", "asked"
QUESTIONS = {"registration": lambda prefix: prefix.endswith("_registration"),
             "eligibility": lambda prefix: prefix == "eligibility"}
"""Which rule prefixes (topics) answer each question: every `*_registration.verdict` of the year for
registration, `eligibility.verdict` for eligibility."""


@dataclass
class Answer:
    question: str
    intent: Intent
    intent_file: str
    rulebook: Rulebook
    evaluation: Evaluation
    trace: list[TraceNode]
    topics: tuple[str, ...]
    windows: dict[str, WindowStatus]
    moment: datetime
    unconfirmed: list[Unconfirmed]
    registration: RegistrationFacts

    def value(self, name: str) -> Any:
        rule, column = self.rulebook.outputs[name]
        output = self.evaluation.run(rule)
        return output[column] if column is not None else output

    def topic_data(self, topic: str) -> dict[str, Any]:
        """A topic's verdict, why (the rules its verdict read), what to do and by when."""
        steps = {node.rule_id: node for node in flat(self.trace)}
        verdict = steps[f"{topic}.{VERDICT}"]
        why = []
        for read in verdict.reads:
            entry = self.rulebook.outputs.get(read.name)
            if read.kind == "rule" and entry is not None and entry[0].id in steps:
                why.append(_step(steps[entry[0].id]))
        todo = [_step(node) for rule_id, node in steps.items()
                if rule_id.startswith(f"{topic}.{TODO}") and node.output is True]
        data: dict[str, Any] = {"topic": topic, "verdict": verdict.output, **_step(verdict), "why": why, "todo": todo}
        if f"{topic}.adjustment_applies" in self.rulebook.outputs:
            data["adjustment_applies"] = self.value(f"{topic}.adjustment_applies")
        window = self.windows.get(topic)
        data["window"] = window.to_data() if window else None
        return data

    def summary(self) -> dict[str, Any]:
        rb = self.rulebook
        return {
            "question": self.question,
            "performance_year": rb.year,
            "asked_at": self.moment.isoformat(),
            "asked_at_text": self.moment.strftime("%a %Y-%m-%d %H:%M %Z"),
            "intent": self.intent.model_dump(mode="json", exclude_none=True),
            "mvp": {"id": self.registration.mvp, "title": self.registration.mvp_title,
                    "has_cahps": self.registration.mvp_has_cahps,
                    "outcome_admin_claims_measures": list(self.registration.mvp_outcome_admin_claims),
                    "data": self.registration.mvp_data_source} if self.registration.mvp else None,
            "intent_file": self.intent_file or None,
            "answers": [self.topic_data(topic) for topic in self.topics],
            "unconfirmed": [u.__dict__ for u in self.unconfirmed],
            "rulebook": {"year": rb.year, "title": rb.title, "status": rb.status, "sha256": rb.sha256},
            "engine_version": engine.__version__,
        }

    def to_data(self) -> dict[str, Any]:
        return plain(self.summary()) | {"trace": tree_data(self.trace)}


def _step(node: TraceNode) -> dict[str, Any]:
    return {"rule": node.rule_id, "description": node.description, "value": node.output,
            "at": f"{node.file}:{node.line}", "source": node.source, "status": node.status}


def ask(intent: Intent, question: str, rulebook: Rulebook, moment: datetime, intent_file: str = "",
        document: Any = None) -> Answer:
    """Evaluate the year's rules for one question and return the traced answer; an unconfirmed
    `todo` rule that does not apply to the entity is not listed as one the answer rests on."""
    topics = _topics(question, rulebook)
    intent, registration = check_intent(intent, question, rulebook, document, intent_file or "options")
    case = Case.model_construct(
        performance_year=rulebook.year, entity=Entity.model_construct(type=intent.entity),
        practice=Practice.model_construct(clinician_count=intent.clinicians, small_practice=intent.small_practice),
        eligibility=intent.eligibility)
    evaluation = Evaluation(rulebook, build_facts(case, rulebook.case_inputs, registration=registration))
    roots = evaluation.run_all([f"{t}.{VERDICT}" for t in topics], tuple(f"{t}." for t in topics))
    asked = [t for t in topics if evaluation.run(rulebook.outputs[f"{t}.{VERDICT}"][0]) != "not_asked"]
    asked.sort(key=lambda t: f"{t}.{ASKED}" not in rulebook.outputs)
    windows = {}
    for topic in asked:
        if f"{topic}.{WINDOW}" in rulebook.outputs:
            event_id = evaluation.run(rulebook.outputs[f"{topic}.{WINDOW}"][0])
            if event_id is not None:
                windows[topic] = window_status(rulebook.year, event_id, moment)
    steps = {node.rule_id: node for node in flat(roots)}
    unconfirmed = [u for u in collect_unconfirmed(roots, rulebook)
                   if not (u.kind == "rule" and f".{TODO}" in u.name and steps[u.name].output is not True)]
    for status in windows.values():
        event = status.event
        if event.status == "unconfirmed" and all(u.name != event.id for u in unconfirmed):
            unconfirmed.append(Unconfirmed("calendar event", event.id, event.origin, event.source, event.note))
    return Answer(question, intent, intent_file, rulebook, evaluation, roots, tuple(asked), windows, moment,
                  unconfirmed, registration)


def _topics(question: str, rulebook: Rulebook) -> list[str]:
    """The rule prefixes answering the question in this year's rulebook; none is a clear error."""
    belongs = QUESTIONS[question]
    topics = [name[: -len(VERDICT) - 1] for name in rulebook.outputs
              if name.endswith(f".{VERDICT}") and belongs(name[: -len(VERDICT) - 1])]
    if not topics:
        raise MipsError(f"the {rulebook.year} rulebook ({rulebook.root}) has no {question} rules; "
                        "years with them: see `mips rulebook show YEAR`")
    return topics
