"""NIST NSRL RDS 2.x text: ``NSRLFile.txt``.

Quoted CSV with a header line and CRLF line ends. Columns are found by header name, so both
the current order (``"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode",
"OpSystemCode","SpecialCode"``) and the older one The Sleuth Kit still detects (with ``MD4``)
work. File names keep the vendor's encoding, so undecodable bytes are replaced rather than
failing the import; hashes are ASCII and validated strictly.

The file is read line by line. The same file appears once per product and NIST sorts by
SHA-1, so adjacent duplicates are collapsed; the import service upserts the rest.
``SpecialCode`` "M" (malicious) and "S" (special) become the ``nsrl`` codes ``malicious`` and
``special``; everything else is ``known``.
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
    parse_int,
    parse_text,
    record_error,
    strip_bom,
)
from sentinela.formats.records import Category, HashRecord, ImportMeta

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

_HASH_COLUMNS = {"SHA-1": "sha1", "MD5": "md5", "SHA-256": "sha256"}
_SPECIAL_CODES = {"": "known", "M": "malicious", "S": "special"}


class NsrlRds2Importer(Importer):
    """Reads ``NSRLFile.txt`` from an RDS 2.x release."""

    name: ClassVar[str] = "nsrl_rds2"
    title: ClassVar[str] = "NIST NSRL RDS 2.x text (NSRLFile.txt)"

    def sniff(self, head: bytes, filename: str) -> bool:
        """The header line starts with the quoted ``SHA-1`` column."""
        return strip_bom(head).lstrip().upper().startswith(b'"SHA-1",')

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Read the header line and stream the rows.

        Raises:
            FormatError: unreadable file, or a header without ``SHA-1`` and ``MD5`` columns.
        """
        try:
            handle = path.open("r", encoding="utf-8-sig", errors="replace", newline="")
        except OSError as error:
            raise FormatError(
                f"cannot read file: {error.strerror or error}", path=str(path)
            ) from None
        reader = csv.reader(handle, strict=True)
        try:
            header = [column.strip() for column in next(reader, [])]
        except csv.Error as error:
            handle.close()
            raise FormatError(
                f"malformed CSV: {error}", path=str(path), position="line 1"
            ) from None
        if "SHA-1" not in header or "MD5" not in header:
            handle.close()
            raise FormatError(
                "not an NSRLFile.txt: the header needs SHA-1 and MD5 columns",
                path=str(path),
                position="line 1",
            )
        meta = ImportMeta(format=self.name, path=str(path), scheme="nsrl")
        return ImportStream(meta, _records(reader, header, path), handle.close)


def _records(reader: CsvReader, header: list[str], path: Path) -> Iterator[Item]:
    columns = {name: index for index, name in enumerate(header)}
    hashes = [
        (columns[name], hash_type, name)
        for name, hash_type in _HASH_COLUMNS.items()
        if name in columns
    ]
    name_at, size_at, code_at = (columns.get(c) for c in ("FileName", "FileSize", "SpecialCode"))
    previous: dict[str, str] | None = None
    line = 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as error:
            raise FormatError(
                f"malformed CSV: {error}", path=str(path), position=f"line {line + 1}"
            ) from None
        if row is None:
            return
        line = reader.line_num
        if not row:
            continue
        position = f"line {line}"
        try:
            if len(row) != len(header):
                raise FieldError(f"expected {len(header)} fields, got {len(row)}")
            digests = {
                hash_type: parse_digest(hash_type, row[i], name) for i, hash_type, name in hashes
            }
            if digests == previous:
                continue
            previous = digests
            code = row[code_at].strip().upper() if code_at is not None else ""
            if code not in _SPECIAL_CODES:
                raise FieldError(f"unknown SpecialCode {code!r}")
            yield HashRecord(
                digests=digests,
                position=position,
                category=Category("nsrl", _SPECIAL_CODES[code]),
                size=parse_int(row[size_at], "FileSize") if size_at is not None else None,
                name=parse_text(row[name_at], "FileName") if name_at is not None else None,
            )
        except (InvalidInputError, InvalidHashError) as error:
            raise record_error(error, path, position) from None
