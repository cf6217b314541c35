"""The annual report as PDF, drawn with matplotlib (no other PDF library needed).

Why matplotlib: the charts are already matplotlib drawings (``charts.py``), it ships with a
pure-Python PDF writer (``PdfPages``), and with the creation date removed its output is the
same bytes for the same report. Pages: a cover with the headline figures, one page per
table (its chart above, the table below, continued on further pages when long), and the
definitions as an appendix.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # matplotlib is imported when a PDF is drawn: it is slow to import
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

from sentinela.stats.annual import AnnualReport
from sentinela.stats.charts import draw
from sentinela.stats.results import MetricResult, Table, display

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 28
LINES_PER_PAGE = 62
WRAP = 98


def _save(pdf: PdfPages, fig: Figure) -> None:
    # PdfPages.savefig has no annotations; this wrapper keeps the untyped call in one place.
    save = cast("Callable[[Figure], None]", pdf.savefig)
    save(fig)


def _text_page(pdf: PdfPages, lines: list[str], title: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.07, 0.95, title, fontsize=14, weight="bold", va="top")
    fig.text(0.07, 0.91, "\n".join(lines), fontsize=8, va="top", family="monospace")
    _save(pdf, fig)


def _paged(pdf: PdfPages, lines: list[str], title: str) -> None:
    for start in range(0, max(1, len(lines)), LINES_PER_PAGE):
        suffix = "" if start == 0 else " (continued)"
        _text_page(pdf, lines[start : start + LINES_PER_PAGE], title + suffix)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WRAP, initial_indent=indent, subsequent_indent=indent) or [""]


def _cover(report: AnnualReport) -> list[str]:
    lines = [
        f"Definitions: catalogue {report.catalogue_version}",
        f"  fingerprint {report.catalogue_fingerprint}",
        f"As of: {report.as_of.isoformat()} (rows recorded later are not counted)",
        f"Figures SHA-256: {report.figures_sha256}",
        f"Sentinela {report.sentinela_version}",
        f"Reproduce: {report.reproduce}",
        "",
    ]
    for r in report.results:
        lines.append(f"{r.title}  [{r.metric} v{r.version}]")
        lines.extend(f"    {f.label}: {display(f.value, f.kind)}" for f in r.figures)
        lines.extend(line for note in r.notes for line in _wrap(note, "    "))
        lines.append("")
    return lines


def _table_pages(result: MetricResult, table: Table) -> Iterator[Figure]:
    from matplotlib.figure import Figure

    chunks = [table.rows[i : i + ROWS_PER_PAGE] for i in range(0, len(table.rows), ROWS_PER_PAGE)]
    for number, rows in enumerate(chunks or [()]):
        fig = Figure(figsize=A4)
        more = " (continued)" if number else ""
        heading = textwrap.fill(f"{result.title}: {table.title}{more}", 80)
        fig.text(0.07, 0.97, heading, fontsize=10, weight="bold", va="top")
        fig.text(
            0.07, 0.925, f"{result.metric} v{result.version}, {result.period.label}", fontsize=8
        )
        top = 0.9
        if number == 0 and table.chart is not None and table.body:
            draw(table, fig.add_axes((0.25, 0.55, 0.68, 0.35)))
            top = 0.48
        if rows:
            ax = fig.add_axes((0.05, 0.04, 0.9, top - 0.04))
            ax.axis("off")
            cells = [
                [display(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
                for row in rows
            ]
            grid = ax.table(
                cellText=cells,
                colLabels=[textwrap.fill(c.label, 14) for c in table.columns],
                loc="upper center",
                cellLoc="left",
            )
            grid.auto_set_font_size(False)
            grid.set_fontsize(7)
            grid.scale(1, 1.4)
            for (row, _), cell in grid.get_celld().items():
                if row == 0:  # header labels wrap onto up to three lines
                    cell.set_height(cell.get_height() * 2.6)
        else:
            fig.text(0.07, top, "No rows in this period.", fontsize=9)
        yield fig


def _definitions(report: AnnualReport) -> list[str]:
    lines = [*(line for rule in report.general_rules for line in _wrap(rule, "- ")), ""]
    for named in report.definitions:
        d = named.definition
        lines.append(f"{d.title}  [{named.name} v{d.version}]")
        for label, text in (
            ("Counts", d.counts),
            ("Date", d.date_basis),
            ("Duplicates", d.deduplication),
            ("Unit", d.unit),
            *(("Limitation", text) for text in d.limitations),
        ):
            lines.extend(_wrap(f"{label}: {text}", "    "))
        lines.append("")
    return lines


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF bytes (the same bytes for the same report)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.compression": 6, "font.size": 8}):
        with PdfPages(out, metadata={"CreationDate": None, "Creator": "Sentinela"}) as pdf:
            _paged(pdf, _cover(report), f"Annual statistics {report.year}")
            for result in report.results:
                for table in result.tables:
                    for fig in _table_pages(result, table):
                        _save(pdf, fig)
            _paged(pdf, _definitions(report), "Appendix: definitions")
    return out.getvalue()
