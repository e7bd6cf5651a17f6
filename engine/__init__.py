"""MIPS rulebook engine: loads year rulebooks, scores cases, traces and explains every number."""

__version__ = "0.1.0"
