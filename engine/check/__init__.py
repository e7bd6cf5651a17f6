"""Registration and eligibility questions answered by the year's rules, traced like a score."""

from engine.check.answer import Answer, ask
from engine.check.intent import Intent, intent_from_file, intent_from_options

__all__ = ["Answer", "Intent", "ask", "intent_from_file", "intent_from_options"]
