"""Server-side SVG charts: deterministic, free of inline styles, ids unique per chart."""

from __future__ import annotations

import re

from sentinela.stats.charts import svg_chart
from sentinela.stats.results import ChartSpec, Column, Table

TABLE = Table(
    "by_unit",
    'Units <b>"x"</b>',
    (Column("unit", "Unit", "text"), Column("n", "Count"), Column("s", "Share", "share")),
    (("Unit A", 3, 0.5), ("=1+1", 1, None), ("(all units)", 4, 0.4)),
    ChartSpec("hbar", "unit", ("n", "s")),
    has_total=True,
)


def test_svg_is_deterministic_and_policy_safe() -> None:
    svg = svg_chart(TABLE, "m-t")
    assert svg is not None and svg.startswith("<svg ")
    assert svg == svg_chart(TABLE, "m-t")
    assert "style=" not in svg and "<style" not in svg and "<?xml" not in svg
    assert 'aria-label="Units &lt;b&gt;&quot;x&quot;&lt;/b&gt;"' in svg
    ids = re.findall(r'id="([^"]+)"', svg)
    assert ids and all(i.startswith("m-t-") for i in ids)
    refs = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
    assert set(refs) <= set(ids)


def test_kinds_and_nothing_to_draw() -> None:
    for kind in ("bar", "line"):
        spec = ChartSpec(kind, "unit", ("n",))
        table = Table("t", "T", TABLE.columns, TABLE.rows, spec)
        assert svg_chart(table, "c") is not None
    assert svg_chart(Table("t", "T", TABLE.columns, ()), "c") is None
    assert svg_chart(Table("t", "T", TABLE.columns, TABLE.rows, None), "c") is None
    only_total = Table("t", "T", TABLE.columns, TABLE.rows[-1:], TABLE.chart, has_total=True)
    assert svg_chart(only_total, "c") is None
