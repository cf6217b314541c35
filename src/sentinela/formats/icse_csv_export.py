"""INTERPOL ICSE hash export CSV: the 16-column, ``;``-separated layout (../shared/FORMATS.md 5).

The ``Baseline`` column is the category: every categorised record must be in the
``interpol_baseline`` scheme (``baseline`` -> ``Yes``, ``not_baseline`` -> ``No``). Records in
any other scheme are refused; the feed service maps categories through a destination's
reviewed table before they reach this writer, and never guesses.

Unknown flags are written as empty cells rather than ``N``: "not known" and "no" are different
statements to the receiving analyst, and the ``icse_csv`` importer reads an empty cell back as
unknown. ``ZZ40`` and ``Lace`` are left empty (Sentinela does not compute them),
``Investigation name`` is left empty (case numbers do not leave the country in a national
feed), ``Number of submissions`` is ``1`` (this agency's submission) and ``File Available`` is
``False``: a feed never ships content. Read back by the ``icse_csv`` importer.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO, ClassVar

from sentinela.formats.export_base import (
    Exporter,
    ExportOptions,
    ExportRefusedError,
    hash_set_document,
)
from sentinela.formats.export_records import ExportDocument
from sentinela.formats.records import HashRecord

BASELINE_SCHEME = "interpol_baseline"
HEADER = (
    "MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim identified;Offender identified;"
    "Series name;Investigation name;Agency;Number of submissions;File Available;Media Type;"
    "Baseline"
).split(";")
_BASELINE = {"baseline": "Yes", "not_baseline": "No"}
_MEDIA_TYPES = {"image": "Image", "video": "Video"}


def _flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _baseline(record: HashRecord) -> str:
    category = record.category
    if category is None:
        return "" if record.baseline is None else ("Yes" if record.baseline else "No")
    if category.scheme != BASELINE_SCHEME:
        raise ExportRefusedError(
            f"{record.position}: category {category} is not an INTERPOL baseline category;"
            " map it through a destination's reviewed table first"
        )
    return _BASELINE[category.code]


def icse_row(record: HashRecord, agency: str) -> list[str]:
    """Render one record as the 16 ICSE cells.

    Raises:
        ExportRefusedError: no MD5 or SHA-1, or a category outside ``interpol_baseline``.
    """
    digests = record.digests
    if "md5" not in digests and "sha1" not in digests:
        raise ExportRefusedError(f"{record.position}: ICSE rows need an MD5 or a SHA-1")
    return [
        digests.get("md5", ""),
        digests.get("sha1", ""),
        "",
        digests.get("photodna", ""),
        "",
        record.source_id or "",
        _flag(record.distributed),
        _flag(record.victim_identified),
        _flag(record.offender_identified),
        record.series or "",
        "",
        agency,
        "1",
        "False",
        _MEDIA_TYPES.get(record.media_type or "", ""),
        _baseline(record),
    ]


class IcseCsvExporter(Exporter):
    """Writes ICSE hash export CSV files."""

    name: ClassVar[str] = "icse_csv"
    title: ClassVar[str] = "INTERPOL ICSE hash export (CSV, ';'-separated)"
    entities: ClassVar[frozenset[str]] = frozenset({"hash_set"})
    suffix: ClassVar[str] = ".csv"
    reader: ClassVar[str] = "icse_csv"
    carries: ClassVar[frozenset[str]] = frozenset(
        {
            "digests",
            "category",
            "baseline",
            "series",
            "victim_identified",
            "offender_identified",
            "distributed",
            "media_type",
            "source_id",
        }
    )
    hash_types: ClassVar[frozenset[str]] = frozenset({"md5", "sha1", "photodna"})

    def check(self, document: ExportDocument, options: ExportOptions) -> None:
        """Refuse case documents and schemes other than ``interpol_baseline``."""
        super().check(document, options)
        scheme = hash_set_document(document, self.name).scheme
        if scheme != BASELINE_SCHEME:
            raise ExportRefusedError(
                f"ICSE exports carry the INTERPOL baseline flag; scheme {scheme!r} must be mapped"
                " to interpol_baseline through a destination's reviewed table"
            )

    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write the header line, then one line per record."""
        self.check(document, options)
        doc = hash_set_document(document, self.name)
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            writer = csv.writer(text, delimiter=";", lineterminator="\n")
            writer.writerow(HEADER)
            count = 0
            for record in doc.records:
                writer.writerow(icse_row(record, doc.agency))
                count += 1
        finally:
            text.detach()
        return count
