"""The trace as compact JSON text, written straight from its nodes.

It writes what `jsonout.dumps(tree_data(roots), indent=None)` writes, byte for byte, without building the nested
data first: the parts of a step that are the same in every case (its rule's words, source and status,
and how each name it reads is described) are turned into text once per process and reused.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from engine.jsonout import compact_writer, number, text
from engine.trace.node import ItemStep, Step, TraceNode

LIMIT = 50_000
"""Most pieces of text kept; beyond, all are dropped and made again on use."""

_headers: dict[int, tuple[Any, str]] = {}
_reads: dict[tuple[str, str, str | None], tuple[str, str, str]] = {}
_texts: dict[Callable[[str], Any], dict[str, tuple[str, str, str]]] = {}
"""The text around each name's value, by the describer of the steps that read it (a describer gives each
name one kind and status)."""


def trace_json(roots: list[TraceNode], before: str = "", after: str = "") -> str:
    """The compact JSON array of the trace's steps (between the texts `before` and `after`, joined once)."""
    out: list[str] = [before]
    value = compact_writer(out)
    append = out.append
    append("[")
    for index, root in enumerate(roots):
        if index:
            append(",")
        _node(root, out, value)
    append("]")
    append(after)
    return "".join(out)


def _node(node: TraceNode, out: list[str], value: Callable[[Any], None]) -> None:
    append = out.append
    step = node.step
    found = _headers.get(id(step))
    append(found[1] if found is not None and found[0] is step else _header(step))
    if node.values:
        describer = node.describer
        texts = _texts.get(describer)
        if texts is None:
            if len(_texts) >= LIMIT:
                _texts.clear()
            texts = _texts[describer] = {}
        first = 0
        for name, read in node.values.items():
            around = texts.get(name)
            if around is None:
                kind, _, status = describer(name)
                around = texts[name] = _read(name, kind, status)
            kind = type(read)
            if kind is str:
                append(f"{around[first]}{encode_basestring(read)}{around[2]}")
            elif kind is Decimal:
                digits = str(read)  # number(read) unless "-0" or written with an exponent
                append(f"{around[first]}{number(read) if 'E' in digits or digits == '-0' else digits}{around[2]}")
            elif kind is bool:
                append(f"{around[first]}{'true' if read else 'false'}{around[2]}")
            elif read is None:
                append(f"{around[first]}null{around[2]}")
            else:
                append(around[first])
                value(read)
                append(around[2])
            first = 1
    output = node.output
    kind = type(output)
    if kind is str:
        append('],"output":' + encode_basestring(output))
    elif kind is Decimal:
        append('],"output":' + number(output))
    elif kind is bool:
        append('],"output":true' if output else '],"output":false')
    elif output is None:
        append('],"output":null')
    else:
        append('],"output":')
        value(output)
    if node.rounding:
        r = node.rounding
        append(',"rounding":')
        value({"places": r.places, "mode": r.mode, "before": r.before, "after": r.after})
    if node.row:
        row = node.row
        append(',"row":')
        value({"table": row.table, "id": row.id, "label": row.label, "at": f"{row.file}:{row.line}",
               "conditions": row.conditions, "situation": row.situation, "source": row.source,
               "status": row.status})
    if node.selection is not None:
        append(',"selection":')
        value([{"item": c.label, "selected": c.selected, "why": c.why} for c in node.selection])
    children = node.children
    if children:
        append(',"children":[')
        _node(children[0], out, value)
        for child in children[1:]:
            append(",")
            _node(child, out, value)
        append("]}")
    else:
        append("}")


def _header(step: Step) -> str:
    """`{"rule": ..., "description": ..., "at": ..., "source": ..., "status": ..., ["note": ...,] "reads":[`
    (kept for the next case unless the step is one item's)."""
    made = (f'{{"rule":{text(step.id)},"description":{text(step.description)},'
            f'"at":{text(f"{step.origin.file}:{step.origin.line}")},"source":{text(step.source)},'
            f'"status":{text(step.status)}' + (f',"note":{text(step.note)}' if step.note else "") + ',"reads":[')
    if type(step) is not ItemStep:  # a rule's text serves every case; an item's only this one
        if len(_headers) >= LIMIT:
            _headers.clear()
        _headers[id(step)] = (step, made)
    return made


def _read(name: str, kind: str, status: str | None) -> tuple[str, str, str]:
    """The text before the value of one read (as the step's first read, and after another), and after it."""
    key = (name, kind, status)
    found = _reads.get(key)
    if found is None:
        if len(_reads) >= LIMIT:
            _reads.clear()
        before = f'{{"name":{text(name)},"kind":{text(kind)},"value":'
        found = _reads[key] = (before, "," + before, f',"status":{text(status) if status is not None else "null"}}}'
                               if kind == "param" else "}")
    return found
