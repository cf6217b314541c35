"""CSV and JSON exports of computed metrics.

Two CSV shapes: one table as it is shown (``table_csv``: a header row and the rows), and
everything at once in long form (``long_csv``: one value per line, so tables with different
columns fit in one file and pivot in any spreadsheet). Every export names the catalogue
version and each metric's definition version, the period, the unit and the as-of instant,
so a figure that leaves Sentinela keeps the meaning it was computed with.

Text that a spreadsheet would run as a formula (a unit or host name starting with ``=``,
``+``, ``-`` or ``@``) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sentinela.stats.results import Cell, MetricResult

#: The JSON export's format name and version. Bump the version on any change of shape.
EXPORT_FORMAT = "sentinela_statistics"
EXPORT_FORMAT_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LONG_COLUMNS = (
    "catalogue_version",
    "metric",
    "metric_version",
    "period",
    "unit_filter",
    "as_of",
    "table",
    "row",
    "column",
    "value",
)


def csv_cell(value: Cell) -> str:
    """A cell as CSV text: empty for undefined, ``true``/``false``, shares unrounded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}" if value.startswith(_FORMULA_START) else value
    return repr(value) if isinstance(value, float) else str(value)


def table_csv(result: MetricResult, table_key: str) -> str:
    """One table of one metric, as shown: a header of column keys, then the rows.

    Raises:
        KeyError: the metric has no such table.
    """
    table = result.table(table_key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def long_csv(results: Sequence[MetricResult], catalogue_version: str) -> str:
    """Every figure and table cell of ``results``, one value per line (see the module doc)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    for r in results:
        head = [
            catalogue_version,
            r.metric,
            str(r.version),
            r.period.label,
            csv_cell(r.unit),
            r.as_of.isoformat(),
        ]
        for figure in r.figures:
            writer.writerow([*head, "figures", "", figure.key, csv_cell(figure.value)])
        for table in r.tables:
            for index, row in enumerate(table.rows):
                for column, value in zip(table.columns, row, strict=True):
                    writer.writerow([*head, table.key, index, column.key, csv_cell(value)])
    return out.getvalue()


def json_document(
    results: Sequence[MetricResult],
    *,
    catalogue: dict[str, Any],
    period: str,
    unit: str | None,
) -> dict[str, Any]:
    """The JSON export: format, catalogue (version, rules, definitions) and the results."""
    names = {r.metric for r in results}
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "catalogue_version": catalogue["catalogue_version"],
        "general_rules": catalogue["general_rules"],
        "period": period,
        "unit": unit,
        "definitions": [d for d in catalogue["metrics"] if d["name"] in names],
        "results": [asdict(r) for r in results],
    }


def json_bytes(document: dict[str, Any]) -> bytes:
    """Canonical JSON (sorted keys, ISO dates): equal documents give equal bytes."""
    return json.dumps(document, sort_keys=True, indent=2, default=_iso).encode() + b"\n"


def _iso(value: Any) -> str:
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text
    raise TypeError(f"cannot export {type(value).__name__}")
