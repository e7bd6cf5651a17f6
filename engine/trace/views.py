"""Views of a trace: nested data (for JSON), a flat list of steps, and an indented text tree."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from engine.trace.node import TraceNode


def plain(value: Any) -> Any:
    """Trace values as JSON-ready data (Decimals stay exact; tuples become lists)."""
    if isinstance(value, (dict, MappingProxyType)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def kept(value: Any) -> Any:
    """Trace values as they are, for engine.jsonout (which writes tuples and records itself)."""
    return value


def node_data(node: TraceNode, plain: Callable[[Any], Any] = plain) -> dict[str, Any]:
    """One step and its children as data; `plain` converts the values it read and produced."""
    data: dict[str, Any] = {
        "rule": node.rule_id,
        "description": node.description,
        "at": f"{node.file}:{node.line}",
        "source": node.source,
        "status": node.status,
    }
    if node.note:
        data["note"] = node.note
    data["reads"] = [
        {"name": r.name, "kind": r.kind, "value": plain(r.value)}
        | ({"status": r.status} if r.kind == "param" else {})
        for r in node.reads
    ]
    data["output"] = plain(node.output)
    if node.rounding:
        data["rounding"] = {"places": node.rounding.places, "mode": node.rounding.mode,
                            "before": plain(node.rounding.before), "after": plain(node.rounding.after)}
    if node.row:
        row = node.row
        data["row"] = {"table": row.table, "id": row.id, "label": row.label, "at": f"{row.file}:{row.line}",
                       "conditions": plain(row.conditions), "situation": plain(row.situation),
                       "source": row.source, "status": row.status}
    if node.selection is not None:
        data["selection"] = [{"item": c.label, "selected": c.selected, "why": c.why} for c in node.selection]
    if node.children:
        data["children"] = [node_data(child, plain) for child in node.children]
    return data


def tree_data(roots: list[TraceNode], plain: Callable[[Any], Any] = plain) -> list[dict[str, Any]]:
    return [node_data(root, plain) for root in roots]


def flat(roots: list[TraceNode]) -> list[TraceNode]:
    """Every step once, in evaluation (depth-first) order."""
    found: list[TraceNode] = []
    pending = roots[::-1]
    while pending:
        node = pending.pop()
        found.append(node)
        if node.children:
            pending += reversed(node.children)
    return found


def text_tree(roots: list[TraceNode]) -> str:
    """An indented tree: rule, output, where it is written, and the table row that matched."""
    lines: list[str] = []

    def visit(node: TraceNode, depth: int) -> None:
        pad = "  " * depth
        extra = f"  [row {node.row.id}]" if node.row else ""
        if node.rounding:
            extra += f"  [rounded {node.rounding.mode} to {node.rounding.places} places from {show(node.rounding.before)}]"
        lines.append(f"{pad}{node.rule_id} = {show(node.output)}  ({node.file}:{node.line}){extra}")
        for child in node.children:
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    return "\n".join(lines)


def show(value: Any) -> str:
    """A value as text: decimals exact, booleans and missing values in rulebook words."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dict, MappingProxyType)):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)
