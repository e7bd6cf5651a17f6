"""Render templates from a result's trace; wording lives in templates/ and in the rulebook."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from engine.diskcache import cache_folder
from engine.combine import Combined
from engine.errors import EvaluationError
from engine.explain.reads import output_problem, read_problem
from engine.locations import data_folder
from engine.result import Result
from engine.rulebook.bibliography import bibliography_for
from engine.rulebook.citations import Resolved, resolve
from engine.trace.node import Describe
from engine.trace.views import flat, show, text_tree

if TYPE_CHECKING:
    import jinja2

TEMPLATES = data_folder("templates")
FORMATS = {"text": "explain.txt.j2", "markdown": "explain.md.j2", "html": "explain.html.j2"}


DISPLAY_PLACES = 4
"""Most decimal places shown in text (the trace and JSON keep every digit)."""
SOURCE_LISTS = 256
"""Most lists of sources kept per rulebook (one per set of texts a trace cites); beyond, all are made again."""
DESCRIBERS = 256
"""Most describers (one per scope) whose parameters' sources are kept per rulebook; beyond, all are found again."""


def number(value: Any, places: int | None = None) -> str:
    """A decimal as people read it: trailing zeros trimmed, at most DISPLAY_PLACES, or exactly `places`."""
    if value is None:
        return "missing"
    if not isinstance(value, Decimal):
        return show(value)
    if places is not None:
        return format(value.quantize(_quantum(places), rounding=ROUND_HALF_UP), "f")
    text = str(value)  # as format(value, "f") unless written with an exponent, and faster
    point = text.find(".")
    if "E" in text or (point >= 0 and len(text) - point - 1 > DISPLAY_PLACES):
        if value.as_tuple().exponent < -DISPLAY_PLACES:  # type: ignore[operator]
            value = value.quantize(_quantum(DISPLAY_PLACES), rounding=ROUND_HALF_UP)
        text = str(value)
        if "E" in text:
            text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        point = text.find(".")
    if point >= 0:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_QUANTA: dict[int, Decimal] = {}
"""The decimal of each number of places a value is shown with (0.01 for 2)."""


def _quantum(places: int) -> Decimal:
    found = _QUANTA.get(places)
    if found is None:
        found = _QUANTA[places] = Decimal(1).scaleb(-places)
    return found


def citation_text(citation: Any) -> str:
    """A resolved citation as people read it: title, pinpoint, then the reference or link to follow."""
    data = citation if isinstance(citation, dict) else citation.as_data()
    text = data["title"] + (f", {data['pinpoint']}" if data.get("pinpoint") else "")
    reference = data.get("reference")
    if reference and reference not in data["title"]:
        text += f" ({reference})"
    return text + (f" <{data['url']}>" if data.get("url") else "")


def citation_markdown(citation: Any) -> str:
    """A resolved citation in Markdown: the title linked to the source, then the pinpoint."""
    data = citation if isinstance(citation, dict) else citation.as_data()
    title = data["title"].replace("[", "(").replace("]", ")")
    linked = f"[{title}]({data['url']})" if data.get("url") else title
    return linked + (f", {data['pinpoint']}" if data.get("pinpoint") else "")


def citation_html(citation: Any) -> Markup:
    """A resolved citation in HTML: the title linked to the source, then the pinpoint and reference."""
    data = citation if isinstance(citation, dict) else citation.as_data()
    title = escape(data["title"])
    text = Markup(f'<a href="{escape(data["url"])}">{title}</a>') if data.get("url") else title
    if data.get("pinpoint"):
        text += Markup(", ") + data["pinpoint"]
    reference = data.get("reference")
    if reference and reference not in data["title"]:
        text += Markup(" (") + reference + Markup(")")
    return text


def citation_plain(citation: Any) -> str:
    """A resolved citation without its link (for reports that must load and point to nothing)."""
    data = citation if isinstance(citation, dict) else citation.as_data()
    return citation_text({k: v for k, v in data.items() if k != "url"})


CITATION_STYLES = {"text": citation_text, "plain": citation_plain, "markdown": citation_markdown,
                   "html": citation_html}


def styled_citations(citations: tuple[Resolved, ...], style: str = "text") -> str:
    """Resolved citations as people read them: title, pinpoint and link in text (the link in angle
    brackets), Markdown or HTML, or without the link (`plain`), joined by '; '."""
    parts = [CITATION_STYLES[style](citation) for citation in citations]
    return Markup("; ").join(parts) if style == "html" else "; ".join(parts)


def source_citations(source: str | None, style: str = "text") -> str:
    """A `source:` value resolved in the project's bibliography and shown in `style`; a value naming no
    known key is shown as written."""
    resolved = resolve(source, bibliography_for())
    return styled_citations(resolved, style) if resolved else (source or "")


def signed(value: Any) -> str:
    text = number(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


@lru_cache(maxsize=1)
def environment(folder: Path = TEMPLATES) -> jinja2.Environment:
    """The templates' environment; compiled templates are kept in the engine's cache folder between runs
    (jinja2 compiles a template again when its source or jinja2's version changes). The templates are the
    package's own: each is loaded once per process, without checking its file again at each render.
    jinja2 is imported here, when a first template is rendered: output in JSON renders none."""
    import jinja2

    from engine.explain.environment import TemplateEnvironment

    compiled = cache_folder("templates")
    env = TemplateEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=_bytecode_cache(compiled) if compiled is not None else None,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["num"] = number
    env.filters["signed"] = signed
    env.filters["show"] = show
    env.filters["cite"] = citation_text
    env.filters["cite_source"] = source_citations
    env.filters["cite_md"] = citation_markdown
    return env


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates on disk; one that cannot be read or written is compiled again, never an error."""
    import jinja2

    class CompiledTemplates(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry is only a miss
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                return

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder))


class TraceView:
    """What templates may read: rule outputs and steps of the trace, and the rulebook's labels."""

    def __init__(self, result: Result, replaced: dict[str, str] | None = None):
        self.result = result
        self.style = "text"
        """How citations are shown: text, markdown or html (set for the template rendered)."""
        self.replaced = replaced or {}
        """Categories whose score another way of scoring gave (category -> that way's name)."""
        self.rulebook = result.rulebook
        self.inputs = result.rulebook.case_inputs
        self._flat: list[Any] = []
        self._steps: dict[str, Any] = {}
        self._roots = -1
        self._index()
        self._citations: dict[str | None, tuple[Resolved, ...]] = self.rulebook.derived.setdefault(
            ("explain.citations",), {})

    def out(self, name: str) -> Any:
        rule, column = self.rulebook.outputs.get(name) or self._owner(name)
        node = self._steps.get(rule.id)
        output = (node if node is not None else self.step(name)).output
        return output[column] if column is not None else output

    def has(self, name: str) -> bool:
        """The trace holds this rule output (it was needed for this case)."""
        entry = self.rulebook.outputs.get(name)
        return entry is not None and entry[0].id in self._steps

    def choices(self, name: str) -> dict[str, Any]:
        """A selection step's choices by item label (kept or dropped, and why)."""
        return {choice.label: choice for choice in self.step(name).selection or []}

    def choices_through(self, name: str) -> dict[str, Any]:
        """Choices by item label of the selection step producing `name` and of each selection step it
        selects from, in turn: an item is kept when every step that considered it kept it, else the step
        that dropped it says why."""
        merged: dict[str, Any] = {}
        while name in self.rulebook.outputs and self.rulebook.outputs[name][0].select is not None:
            for choice in self.step(name).selection or []:
                if choice.label not in merged or (merged[choice.label].selected and not choice.selected):
                    merged[choice.label] = choice
            name = self.rulebook.outputs[name][0].select.source
        return merged

    def step(self, name: str) -> Any:
        """The step of the rule producing `name`; a rule this case did not need is evaluated now."""
        rule = self._owner(name)[0]
        if rule.id not in self._steps:
            self.result.value(name)
            self._index()
        return self._steps[rule.id]

    def _index(self) -> None:
        """Every step of the trace, and each rule's step; again when steps evaluated later joined the trace."""
        if len(self.result.trace) != self._roots:
            self._roots = len(self.result.trace)
            self._flat = flat(self.result.trace)
            self._steps = {node.step.id: node for node in self._flat}

    def read(self, name: str, read_name: str) -> Any:
        """The value a step read (a parameter, fact or rule output), as recorded in the trace; when the
        rule can read it but did not need it for this case, its value now."""
        for read in self.step(name).reads:
            if read.name == read_name:
                return read.value
        problem = read_problem(self.rulebook, name, read_name)
        if problem:
            raise EvaluationError(f"cannot explain this result: {problem}")
        return self.result.evaluation.value(read_name)

    def _owner(self, name: str) -> tuple[Any, str | None]:
        entry = self.rulebook.outputs.get(name)
        if entry is None:
            raise EvaluationError(f"cannot explain this result: {output_problem(self.rulebook, name)}")
        return entry

    def conditions(self, name: str) -> list[Any]:
        """The rule outputs a step read, in the order it read them, as their steps; the last one decided
        a chain of `A if condition else ...`."""
        steps = []
        for read in self.step(name).reads:
            entry = self.rulebook.outputs.get(read.name)
            if read.kind == "rule" and entry is not None and entry[0].id in self._steps:
                steps.append(self._steps[entry[0].id])
        return steps

    def reads(self, name: str) -> dict[str, Any]:
        """Every value a step read, by name (facts, parameters, rule outputs)."""
        return {read.name: read.value for read in self.step(name).reads}

    def unconfirmed_at(self, *names: str) -> list[dict[str, Any]]:
        """Unconfirmed things steps rest on directly: the rule itself, its table row, the parameters and rule
        outputs it read, each as `what` (named with its value) and `citations` (its source resolved); steps
        not in the trace (not needed for this case, or not in this year) add nothing."""
        found: list[tuple[str, str | None]] = []
        for name in names:
            if not self.has(name):
                continue
            node = self.step(name)
            if node.status == "unconfirmed":
                found.append((f"rule {node.rule_id}", node.source))
            if node.row and node.row.status == "unconfirmed":
                found.append((f"table row '{node.row.id}'", node.row.source))
            found += [(f"parameter {r.name} = {show(r.value)}", r.source)
                      for r in node.reads if r.kind == "param" and r.status == "unconfirmed"]
            found += [(f"rule {r.name} = {show(r.value)}", r.source)
                      for r in node.reads if r.kind == "rule" and r.status == "unconfirmed"]
        notes: list[dict[str, Any]] = []
        for what, source in found:
            if all(note["what"] != what for note in notes):
                notes.append({"what": what, "citations": self.cite(source)})
        return notes

    def read_status(self, name: str, read_name: str) -> str | None:
        """The status of a parameter or rule output a step read (None for facts and items)."""
        for read in self.step(name).reads:
            if read.name == read_name:
                return read.status
        raise KeyError(f"step '{name}' did not read '{read_name}'")

    def reason(self, code: str | None) -> Any:
        return self.inputs.reweighting_reasons.get(code) if code else None

    def cited(self, source: str | None) -> str:
        """A `source:` value resolved in the rulebook's bibliography, shown in the style of the output."""
        return styled_citations(self.cite(source), self.style)

    def cite(self, source: str | None) -> tuple[Resolved, ...]:
        """A `source:` value resolved in the rulebook's bibliography (once per rulebook and value)."""
        resolved = self._citations.get(source)
        if resolved is None:
            resolved = self._citations[source] = resolve(source, self.rulebook.bibliography)
        return resolved

    def sources(self) -> list[dict[str, Any]]:
        """Every policy source the result rests on (rules, table rows and parameters of the trace), once each
        with its pinpoints, in the order the trace first cites it; the project's own entries are left out."""
        self._index()
        texts: dict[str | None, None] = {}  # each source text once, in the order the trace first cites it
        describer, cited = None, {}
        for node in self._flat:
            texts[node.step.source] = None
            if node.row:
                texts[node.row.source] = None
            if node.values:
                if node.describer is not describer:  # a run of steps of one scope shares one
                    describer = node.describer
                    cited = self._param_sources(describer)
                for name in node.values:
                    try:
                        source = cited[name]
                    except KeyError:
                        kind, source, _ = node.describe(name)
                        source = cited[name] = source if kind == "param" else None
                    if source is not None:
                        texts[source] = None
        known = self.rulebook.derived.setdefault(("explain.sources",), {})
        key = tuple(texts)
        found = known.get(key)
        if found is None:
            if len(known) >= SOURCE_LISTS:
                known.clear()
            found = known[key] = self._sources_of(key)
        return [entry | {"pinpoints": list(entry["pinpoints"])} for entry in found]

    def _param_sources(self, describer: Describe) -> dict[str, str | None]:
        """The source of each parameter a describer's steps read, and None for the other names they read
        (kept with the rulebook and filled as names are met; a describer gives each name one kind and source)."""
        kept = self.rulebook.derived.setdefault(("explain.param_sources",), {})
        found = kept.get(describer)
        if found is None:
            if len(kept) >= DESCRIBERS:
                kept.clear()
            found = kept[describer] = {}
        return found

    def _sources_of(self, texts: tuple[str | None, ...]) -> list[dict[str, Any]]:
        """The sources `texts` cite, once each with its pinpoints, in the order first cited."""
        found: dict[str, dict[str, Any]] = {}
        for text in texts:
            for citation in self.cite(text):
                if citation.kind == "project":
                    continue
                entry = found.get(citation.key)
                if entry is None:
                    entry = found[citation.key] = citation.as_data() | {"pinpoints": []}
                    entry.pop("pinpoint", None)
                if citation.pinpoint and citation.pinpoint not in entry["pinpoints"]:
                    entry["pinpoints"].append(citation.pinpoint)
        return list(found.values())



def render(result: Result, template: str, trace: bool = False, fragment: bool = False,
           replaced: dict[str, str] | None = None, **extra: Any) -> str:
    """Render one template with the trace view of a result (the trace as a text tree if `trace`;
    `fragment`: without the page around it; `replaced`: categories whose score another way of scoring gave;
    `extra`: names a page may add)."""
    view = TraceView(result, replaced)
    view.style = template_style(template)
    return environment().get_template(template).render(**extra,
        v=view, summary=result.summary(), categories=result.rulebook.categories,
        labels={c: s.label for c, s in view.inputs.categories.items()},
        unconfirmed=result.unconfirmed, rulebook=result.rulebook, case_file=result.case_file,
        pathway=result.selection, trace_text=text_tree(result.trace) if trace else None, fragment=fragment)


def template_style(template: str) -> str:
    """The citation style of a template, by its name: NAME.html.j2, NAME.md.j2, else text."""
    return "html" if template.endswith(".html.j2") else "markdown" if template.endswith(".md.j2") else "text"


def render_answer(answer: Any, template: str) -> str:
    """Render a template for the traced answer to a registration or eligibility question (engine.check)."""
    view = TraceView(answer)
    view.style = template_style(template)
    return environment().get_template(template).render(
        v=view, summary=answer.summary(), unconfirmed=answer.unconfirmed, rulebook=answer.rulebook,
        trace_text=text_tree(answer.trace))


def explain(result: Result | Combined, fmt: str) -> str:
    if isinstance(result, Combined):
        return render_combined(result, COMBINED_FORMATS[fmt], FORMATS[fmt])
    return render(result, FORMATS[fmt])


COMBINED_FORMATS = {"text": "combined.txt.j2", "markdown": "combined.md.j2", "html": "combined.html.j2"}


def render_combined(combined: Combined, template: str, each: str, trace: bool = False) -> str:
    """Render the comparison of several results, with each result rendered by the `each` template (with its
    trace as a text tree if `trace`)."""
    labels = {c: s.label for c, s in combined.rulebook.case_inputs.categories.items()}
    return environment().get_template(template).render(
        combined=combined, summary=combined.summary(), labels=labels, rulebook=combined.rulebook,
        rendered={c.label: render(c.result, each, trace, True, {k: c.alternative or "" for k in c.replaced})
                  for c in combined.candidates},
        comparison_text=text_tree(combined.comparison) if trace else None)
