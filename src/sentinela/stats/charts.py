"""Charts drawn on the server with matplotlib: inline SVG for pages, the same drawing in PDFs.

Why server-side SVG, post-processed: the workspace loads no third-party front-end code, and
its Content-Security-Policy allows no inline styles. Matplotlib writes ``style="fill: ..."``
attributes and a ``<style>`` element, which that policy would block, so :func:`svg_chart`
rewrites them as SVG presentation attributes (``fill="..."``), which the policy allows.
Text is drawn as paths, so the SVG needs no fonts, and every chart has its table beside it
for screen readers and for checking. Output is deterministic (fixed hash salt, no date), so
the same table always gives the same bytes.

No pyplot: figures are built directly, so no global figure state is kept between requests.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: it costs ~0.3 s at start-up
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from sentinela.stats.results import Cell, Table

PALETTE = ("#1f5f99", "#e69f00", "#7a7a7a", "#009e73", "#cc79a7", "#56b4e9")
#: At most this many categories are drawn (the table beside the chart has them all).
MAX_BARS = 30
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_IDS = re.compile(r'(id="|url\(#|href="#)([A-Za-z_][\w.-]*)')


def _number(cell: Cell, kind: str) -> float:
    if cell is None or isinstance(cell, str):
        return 0.0
    value = float(cell)
    return value * 100 if kind == "share" else value


def draw(table: Table, ax: Axes) -> bool:
    """Draw ``table`` as its chart spec says on ``ax``; ``False`` when there is nothing."""
    from matplotlib.ticker import MaxNLocator

    spec = table.chart
    rows = table.body[:MAX_BARS]
    if spec is None or not rows:
        return False
    keys = [c.key for c in table.columns]
    kinds = {c.key: c.kind for c in table.columns}
    labels = {c.key: c.label for c in table.columns}
    categories = [str(r[keys.index(spec.x)]) for r in rows]
    width = 0.8 / len(spec.y)
    positions = range(len(categories))
    for i, key in enumerate(spec.y):
        values = [_number(r[keys.index(key)], kinds[key]) for r in rows]
        colour = PALETTE[i % len(PALETTE)]
        label = labels[key] + (" (%)" if kinds[key] == "share" else "")
        offset = [p - 0.4 + width * (i + 0.5) for p in positions]
        if spec.kind == "line":
            ax.plot(categories, values, marker="o", color=colour, label=label)
        elif spec.kind == "hbar":
            ax.barh(offset, values, height=width, color=colour, label=label)
        else:
            ax.bar(offset, values, width=width, color=colour, label=label)
    integer = all(kinds[key] == "count" for key in spec.y)
    if spec.kind == "hbar":
        ax.set_yticks(list(positions), categories)
        ax.invert_yaxis()
        ax.set_xlabel(spec.y_label)
        if integer:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        if integer:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if spec.kind == "bar":
            ax.set_xticks(list(positions), categories)
        ax.set_ylabel(spec.y_label)
        ax.tick_params(axis="x", labelrotation=30 if len(categories) > 6 else 0)
    ax.spines[["top", "right"]].set_visible(False)
    if len(spec.y) > 1:
        ax.legend(frameon=False, fontsize="small")
    return True


def chart_figure(table: Table) -> Figure | None:
    """A matplotlib figure of the table's chart, or ``None`` when there is nothing to draw."""
    from matplotlib.figure import Figure

    tall = table.chart is not None and table.chart.kind == "hbar"
    height = min(9.0, max(2.4, 0.8 + 0.3 * len(table.body[:MAX_BARS]))) if tall else 3.0
    fig = Figure(figsize=(6.4, height), layout="constrained")
    if not draw(table, fig.add_subplot()):
        return None
    return fig


def _attributes(match: re.Match[str]) -> str:
    parts = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            parts.append(f' {name.strip()}="{escape(value.strip(), quote=True)}"')
    return "".join(parts)


def svg_chart(table: Table, chart_id: str) -> str | None:
    """The table's chart as inline SVG markup (no styles, ids prefixed with ``chart_id``).

    Returns:
        The ``<svg>`` element, or ``None`` when the table has no chart or no rows.
    """
    import matplotlib

    with matplotlib.rc_context(
        {"svg.hashsalt": "sentinela-statistics", "svg.fonttype": "path", "font.size": 9}
    ):
        fig = chart_figure(table)
        if fig is None:
            return None
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    text = _PROLOG.sub("", out.getvalue(), count=1)
    text = _METADATA.sub("", _STYLE_ELEMENT.sub("", text))
    text = _STYLE_ATTR.sub(_attributes, text)
    text = _IDS.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", text)
    label = escape(table.title, quote=True)
    return text.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )
