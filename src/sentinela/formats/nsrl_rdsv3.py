"""NIST NSRL RDSv3: the SQLite release, minimal or full ("curated") layout.

The minimal layout has a ``FILE`` *table*; the full layout has normalised tables and a ``FILE``
*view* over ``METADATA`` and ``PACKAGE_OBJECT``. Both expose
``FILE(sha256, sha1, md5, file_name, file_size, package_id)``, which is what is read: one
record per distinct ``(sha256, sha1, md5)`` (the same file appears once per package).

The database is opened read-only through a ``file:...?mode=ro`` URI, and rows are fetched in
batches from the cursor, so a release of hundreds of millions of rows streams in flat memory.
Every record gets the category ``nsrl:known``: NSRL means known software, not "benign"
(it holds hacking tools too), so triage de-prioritises these matches and never deletes them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.base import Importer, ImportOptions, ImportStream, Item
from sentinela.formats.fields import parse_digest, parse_int, parse_text, record_error
from sentinela.formats.records import Category, HashRecord, ImportMeta

SQLITE_MAGIC = b"SQLite format 3\x00"
KNOWN = Category("nsrl", "known")
_BATCH = 5000
_FULL_LAYOUT_TABLES = ("METADATA", "PACKAGE_OBJECT")
_QUERY = """
    SELECT sha256, sha1, md5, MIN(file_size), MIN(file_name)
    FROM FILE
    GROUP BY sha256, sha1, md5
"""


class NsrlRdsV3Importer(Importer):
    """Reads the distinct hashes of an RDSv3 SQLite database."""

    name: ClassVar[str] = "nsrl_rdsv3"
    title: ClassVar[str] = "NIST NSRL RDSv3 SQLite (minimal and full layouts)"

    def sniff(self, head: bytes, filename: str) -> bool:
        """Any SQLite 3 database; :meth:`open` then checks the NSRL tables."""
        return head.startswith(SQLITE_MAGIC)

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Check the layout, read ``VERSION``, and stream the distinct hashes.

        Raises:
            FormatError: not an SQLite database, or a required table or view is missing.
        """
        connection = _connect(path)
        try:
            _check_layout(connection, path)
            version = _read_version(connection, path)
        except BaseException:
            connection.close()
            raise
        meta = ImportMeta(format=self.name, path=str(path), version=version, scheme="nsrl")
        return ImportStream(meta, _records(connection, path), connection.close)


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FormatError("no such file", path=str(path))
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise FormatError(
            f"not a readable SQLite database: {error}", path=str(path), position="header"
        ) from None
    return connection


def _check_layout(connection: sqlite3.Connection, path: Path) -> None:
    """Raise naming the first missing table of the minimal or the full layout."""
    objects = {
        name.upper(): kind
        for name, kind in connection.execute(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
        )
    }
    for required in ("FILE", "VERSION"):
        if required not in objects:
            raise FormatError(
                f"not an NSRL RDSv3 database: table {required} is missing",
                path=str(path),
                position=f"table {required}",
            )
    if objects["FILE"] == "table":
        return
    for required in _FULL_LAYOUT_TABLES:
        if required not in objects:
            raise FormatError(
                f"NSRL RDSv3 full layout: table {required} (used by view FILE) is missing",
                path=str(path),
                position=f"table {required}",
            )


def _read_version(connection: sqlite3.Connection, path: Path) -> str | None:
    try:
        row = connection.execute(
            "SELECT version FROM VERSION ORDER BY release_date DESC LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise FormatError(f"cannot read VERSION: {error}", path=str(path)) from None
    return None if row is None else str(row[0])


def _records(connection: sqlite3.Connection, path: Path) -> Iterator[Item]:
    try:
        cursor = connection.execute(_QUERY)
    except sqlite3.DatabaseError as error:
        raise FormatError(f"cannot read FILE: {error}", path=str(path)) from None
    count = 0
    while True:
        try:
            rows = cursor.fetchmany(_BATCH)
        except sqlite3.DatabaseError as error:
            raise FormatError(
                f"database error: {error}", path=str(path), position=f"after record {count}"
            ) from None
        if not rows:
            return
        for sha256, sha1, md5, size, name in rows:
            count += 1
            position = f"record {count}"
            try:
                yield HashRecord(
                    digests={
                        "sha256": parse_digest("sha256", sha256, "sha256"),
                        "sha1": parse_digest("sha1", sha1, "sha1"),
                        "md5": parse_digest("md5", md5, "md5"),
                    },
                    position=position,
                    category=KNOWN,
                    size=parse_int(size, "file_size"),
                    name=parse_text(name, "file_name"),
                )
            except (InvalidInputError, InvalidHashError) as error:
                raise record_error(error, path, f"{position} (sha1 {sha1!r})") from None
