"""Traces: the tree of rule steps behind every number, and its views."""

from engine.trace.node import Choice, MatchedRow, Read, RoundingApplied, TraceNode

__all__ = ["Choice", "MatchedRow", "Read", "RoundingApplied", "TraceNode"]
