"""Pathway selection: which of the year's reporting options scores a case, and why (a stage before evaluation)."""

from engine.pathways.select import Selection, select_pathway

__all__ = ["Selection", "select_pathway"]
