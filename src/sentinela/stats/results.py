"""What a metric computes: headline figures and tables, each table drawable as one chart.

Why tables are the unit of output: the dashboard shows every chart with its table beside it,
the CSV export is the tables, and the annual report prints them. A chart is only a drawing
of a table (:class:`ChartSpec` names the columns), so a chart can never show a number that
the table and the exports do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

#: The kinds of value a column holds. Stable names: they appear in the JSON export.
COLUMN_KINDS: tuple[str, ...] = ("text", "count", "share", "hours", "number", "flag")
#: The chart kinds the renderer knows.
CHART_KINDS: tuple[str, ...] = ("bar", "hbar", "line")

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Column:
    """One column: a stable key, a label for people, and the kind of value."""

    key: str
    label: str
    kind: str = "count"


@dataclass(frozen=True)
class ChartSpec:
    """How to draw a table: the category column and the value columns."""

    kind: str
    x: str
    y: tuple[str, ...]
    y_label: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table; ``chart`` is ``None`` when it is not worth drawing.

    ``has_total``: the last row is the total of the country (not drawn in the chart).
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: ChartSpec | None = None
    has_total: bool = False

    @property
    def body(self) -> tuple[tuple[Cell, ...], ...]:
        """The rows without the total row."""
        return self.rows[:-1] if self.has_total and self.rows else self.rows

    def column(self, key: str) -> list[Cell]:
        """The values of one column, in row order."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Cell]]:
        """The rows as ``{column key: value}`` mappings."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """A headline number with its label (``value`` is ``None`` when undefined, e.g. 0/0)."""

    key: str
    label: str
    value: Cell
    kind: str = "count"


@dataclass(frozen=True)
class PeriodView:
    """A period as shown and exported (first and last day, both included)."""

    label: str
    first_day: date
    last_day: date


@dataclass(frozen=True)
class MetricResult:
    """One metric, computed over one scope, under one version of its definition."""

    metric: str
    version: int
    title: str
    period: PeriodView
    unit: str | None
    as_of: datetime
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default=())

    def figure(self, key: str) -> Cell:
        """A headline value by key.

        Raises:
            KeyError: no such figure.
        """
        for f in self.figures:
            if f.key == key:
                return f.value
        raise KeyError(key)

    def table(self, key: str) -> Table:
        """A table by key.

        Raises:
            KeyError: no such table.
        """
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


def display(value: Cell, kind: str = "count") -> str:
    """A cell as people read it: shares as percentages, undefined as a dash."""
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "share" and isinstance(value, int | float):
        return f"{value * 100:.1f} %"
    if kind == "hours" and isinstance(value, int | float):
        return f"{value:.1f} h"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value
