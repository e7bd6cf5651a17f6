"""Traces: the tree of rule steps behind every number, and its views."""

from engine.trace.node import MatchedRow, Read, RoundingApplied, TraceNode

__all__ = ["MatchedRow", "Read", "RoundingApplied", "TraceNode"]
