"""The ICSE CSV writer: 16 columns, unknown flags left empty, quoting, refusals."""

from __future__ import annotations

import csv
import io

import pytest

from sentinela.formats.export_base import ExportRefusedError
from sentinela.formats.icse_csv_export import HEADER, IcseCsvExporter
from sentinela.formats.records import Category

from .export_helpers import empty_record, hash_set_document, png_record, render
from .helpers import DATA


def test_header_matches_the_reference_layout() -> None:
    reference = (DATA / "icse_hash_export_synthetic.csv").read_text().splitlines()[0]
    assert ";".join(HEADER) == reference


def test_rows_keep_unknown_flags_empty_and_quote_separators() -> None:
    record = png_record(
        occurrences=(), category=Category("interpol_baseline", "baseline"), baseline=True,
        series="Series; with a separator", media_type="image",
    )  # fmt: skip
    text = render(IcseCsvExporter(), hash_set_document([record], "interpol_baseline")).decode()
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    values = dict(zip(header, row, strict=True))
    assert values["Series name"] == "Series; with a separator"
    assert (
        values["Victim identified"],
        values["Offender identified"],
        values["Is distributed"],
    ) == ("Y", "N", "")
    assert (values["Media Type"], values["Baseline"], values["File Available"]) == (
        "Image",
        "Yes",
        "False",
    )


def test_records_without_md5_or_sha1_are_refused() -> None:
    record = empty_record(occurrences=(), digests={"sha256": "0" * 64})
    with pytest.raises(ExportRefusedError, match="MD5 or a SHA-1"):
        render(IcseCsvExporter(), hash_set_document([record], "interpol_baseline"))
