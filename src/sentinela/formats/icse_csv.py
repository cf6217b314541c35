"""INTERPOL ICSE hash export: ``;``-separated CSV with a header line.

The layout (as described by the IPED developers, ../shared/FORMATS.md section 5) has 16
columns: ``MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim identified;Offender
identified;Series name;Investigation name;Agency;Number of submissions;File Available;Media
Type;Baseline``. An older 12-column variant lacks ``ZZ40``, ``Lace``, ``Investigation name`` and
``Agency``; columns are therefore found by header name.

``Baseline`` (Yes/No) sets both the record's ``baseline`` flag and its category in the
``interpol_baseline`` scheme. ``ZZ40`` and ``Lace`` are proprietary signatures Sentinela does
not use; they are ignored. PhotoDNA is kept opaque.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.base import Importer, ImportOptions, ImportStream, Item
from sentinela.formats.fields import (
    FieldError,
    parse_digest,
    parse_flag,
    parse_text,
    record_error,
    strip_bom,
)
from sentinela.formats.records import Category, HashRecord, ImportMeta

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

REQUIRED_COLUMNS = ("MD5", "SHA1", "Image ID", "Baseline")
_HASH_COLUMNS = (("MD5", "md5"), ("SHA1", "sha1"), ("PhotoDNA", "photodna"))
_MEDIA_TYPES = {"image": "image", "video": "video"}


class IcseCsvImporter(Importer):
    """Reads INTERPOL ICSE hash exports."""

    name: ClassVar[str] = "icse_csv"
    title: ClassVar[str] = "INTERPOL ICSE hash export (CSV, ';'-separated)"

    def sniff(self, head: bytes, filename: str) -> bool:
        """The header line starts with ``MD5;SHA1;`` and names the ``Baseline`` column."""
        first = strip_bom(head).lstrip().split(b"\n", 1)[0]
        return first.upper().startswith(b"MD5;SHA1;") and b"Baseline" in first

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Read the header line and stream the rows.

        Raises:
            FormatError: unreadable file or a header missing a required column.
        """
        try:
            handle = path.open("r", encoding="utf-8-sig", errors="strict", newline="")
        except OSError as error:
            raise FormatError(
                f"cannot read file: {error.strerror or error}", path=str(path)
            ) from None
        reader = csv.reader(handle, delimiter=";", strict=True)
        try:
            header = [column.strip() for column in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as error:
            handle.close()
            raise FormatError(
                f"malformed CSV: {error}", path=str(path), position="line 1"
            ) from None
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            handle.close()
            raise FormatError(
                f"not an ICSE export: missing columns {', '.join(missing)}",
                path=str(path),
                position="line 1",
            )
        meta = ImportMeta(format=self.name, path=str(path), scheme="interpol_baseline")
        return ImportStream(meta, _records(reader, header, path), handle.close)


def _records(reader: CsvReader, header: list[str], path: Path) -> Iterator[Item]:
    columns = {name: index for index, name in enumerate(header)}
    line = 1
    while True:
        try:
            row = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise FormatError(
                f"malformed CSV: {error}", path=str(path), position=f"line {line + 1}"
            ) from None
        if row is None:
            return
        line = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        position = f"line {line}"
        try:
            if len(row) != len(header):
                raise FieldError(f"expected {len(header)} fields, got {len(row)}")
            yield _record({name: row[index] for name, index in columns.items()}, position)
        except (InvalidInputError, InvalidHashError) as error:
            raise record_error(error, path, position) from None


def _record(row: dict[str, str], position: str) -> HashRecord:
    digests = {
        hash_type: parse_digest(hash_type, row[column], column)
        for column, hash_type in _HASH_COLUMNS
        if row.get(column, "").strip()
    }
    baseline = parse_flag(row["Baseline"], "Baseline")
    category = None
    if baseline is not None:
        category = Category("interpol_baseline", "baseline" if baseline else "not_baseline")
    media_type = (row.get("Media Type") or "").strip().lower()
    if media_type and media_type not in _MEDIA_TYPES:
        raise FieldError(f"Media Type must be Image or Video, got {row['Media Type']!r}")
    return HashRecord(
        digests=digests,
        position=position,
        category=category,
        baseline=baseline,
        series=parse_text(row.get("Series name"), "Series name"),
        distributed=parse_flag(row.get("Is distributed"), "Is distributed"),
        victim_identified=parse_flag(row.get("Victim identified"), "Victim identified"),
        offender_identified=parse_flag(row.get("Offender identified"), "Offender identified"),
        media_type=_MEDIA_TYPES.get(media_type),
        source_id=parse_text(row["Image ID"], "Image ID"),
    )
