"""CSV and JSON exports of computed metrics."""

from __future__ import annotations

import csv
import io
import json

from sentinela.services.context import ServiceContext
from sentinela.stats.catalogue import build_metric_registry, catalogue_document
from sentinela.stats.export import csv_cell, json_bytes, json_document, long_csv, table_csv
from tests.stats.helpers import Fixture, compute


def test_cells() -> None:
    assert [csv_cell(v) for v in (None, True, 3, 0.25, "x")] == ["", "true", "3", "0.25", "x"]
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("-1") == "'-1" and csv_cell("@a") == "'@a"


def test_table_and_long_csv(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    result = compute(sqlite_ctx, "offenders_identified")
    assert table_csv(result, "by_unit") == ("unit,offenders,named\nUnit A,1,1\nUnit B,1,0\n")
    rows = list(csv.DictReader(io.StringIO(long_csv([result], "2026.1"))))
    # 2 figures + 2 rows x 3 columns.
    assert len(rows) == 8
    assert rows[0] == {
        "catalogue_version": "2026.1",
        "metric": "offenders_identified",
        "metric_version": "1",
        "period": "2026",
        "unit_filter": "",
        "as_of": "2027-02-01T00:00:00+00:00",
        "table": "figures",
        "row": "",
        "column": "offenders",
        "value": "2",
    }


def test_json_document(sqlite_ctx: ServiceContext, sqlite_fx: Fixture) -> None:
    result = compute(sqlite_ctx, "victims_identified")
    doc = json_document(
        [result], catalogue=catalogue_document(build_metric_registry()), period="2026", unit=None
    )
    data = json.loads(json_bytes(doc))
    assert data["format_version"] == 1
    assert [d["name"] for d in data["definitions"]] == ["victims_identified"]
    assert data["results"][0]["as_of"] == "2027-02-01T00:00:00+00:00"
    assert json_bytes(doc) == json_bytes(doc)
