"""What a rule output rests on: its step, the steps below it, and the steps of every rule output it read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.trace.node import TraceNode


def steps_behind(steps: Mapping[str, TraceNode], outputs: Mapping[str, Any], name: str) -> list[TraceNode]:
    """Every step the output `name` depends on (itself included), each once; `steps` maps rule id to step and
    `outputs` maps an output name to its (rule, column)."""
    entry = outputs.get(name)
    start = steps.get(entry[0].id) if entry else None
    found: dict[str, TraceNode] = {}
    stack = [start] if start is not None else []
    while stack:
        node = stack.pop()
        if node.rule_id in found:
            continue
        found[node.rule_id] = node
        stack += node.children
        for read in node.reads:
            target = outputs.get(read.name) if read.kind == "rule" else None
            step = steps.get(target[0].id) if target else None
            if step is not None:
                stack.append(step)
    return list(found.values())
