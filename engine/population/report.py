"""Render an impact report as text or as one self-contained HTML page (inline SVG charts, no network)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markupsafe import Markup

from engine.explain.render import environment

TEMPLATES = {"text": "impact.txt.j2", "html": "impact.html.j2"}
WIDTH, HEIGHT, MARGIN, LEFT = 640, 230, 34, 70


def render(report: dict[str, Any], fmt: str) -> str:
    """The impact report in `fmt` (text or html)."""
    return templates().get_template(TEMPLATES[fmt]).render(r=report)


def templates() -> Any:
    """The project's template environment with the helpers population reports use."""
    env = environment()
    env.globals.update(histogram_svg=histogram_svg, zip=zip)
    env.filters["thousands"] = thousands
    return env


def thousands(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def histogram_svg(histogram: dict[str, Any], title: str, unit: str, names: tuple[str, str]) -> Markup:
    """Side-by-side bars per bin (before in grey, after in blue), with axis labels; plain inline SVG."""
    edges: list[Decimal] = histogram["edges"]
    before, after = histogram["before"], histogram["after"]
    bins = len(before)
    top = max(max(before), max(after), 1)
    plot_w, plot_h = WIDTH - LEFT - MARGIN, HEIGHT - 2 * MARGIN
    slot = plot_w / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 10}" role="img" '
             f'aria-label="{_esc(title)}" class="chart">',
             f'<text x="{LEFT}" y="14" class="chart-title">{_esc(title)}</text>']
    for i, (b, a) in enumerate(zip(before, after)):
        x = LEFT + i * slot
        for offset, count, css, name in ((0.08, b, "before", names[0]), (0.5, a, "after", names[1])):
            h = plot_h * count / top
            parts.append(f'<rect x="{x + slot * offset:.1f}" y="{MARGIN + plot_h - h:.1f}" width="{slot * 0.42:.1f}" '
                         f'height="{h:.1f}" class="{css}"><title>{_esc(name)}: {count:,} rows, '
                         f'{_num(edges[i])} to {_num(edges[i + 1])} {unit}</title></rect>')
    base = MARGIN + plot_h
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" class="axis"/>')
    parts.append(f'<line x1="{LEFT}" y1="{MARGIN}" x2="{LEFT}" y2="{base}" class="axis"/>')
    step = max(1, bins // 5)
    for i in range(0, bins + 1, step):
        x = LEFT + i * slot
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" class="tick" text-anchor="middle">{_num(edges[i])}</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{MARGIN + 4}" class="tick" text-anchor="end">{top:,}</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{MARGIN - 10}" class="tick" text-anchor="end">rows</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{base + 4}" class="tick" text-anchor="end">0</text>')
    parts.append(f'<text x="{LEFT + plot_w}" y="{base + 32}" class="tick" text-anchor="end">{_esc(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _esc(text: str) -> str:
    return str(Markup.escape(text))
