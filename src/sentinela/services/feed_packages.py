"""Feed packages on disk: the delta file, the manifest, and the checks that prove a chain.

A package is a folder ``<destination>-<sequence>`` holding the delta file (the new and
updated items, in the destination's format) and ``manifest.json``::

    {"format_version": 1, "kind": "sentinela_feed", "destination": "icse",
     "format": "icse_csv", "scheme": "interpol_baseline", "agency": "...",
     "sequence": 3, "created_at": "...", "created_by": "...",
     "previous": {"sequence": 2, "manifest_sha256": "..."},   # null for the first feed
     "counts": {"new": 2, "updated": 1, "withdrawn": 1, "records": 3, "state": 41},
     "files": [{"name": "icse-000003.csv", "sha256": "...", "size": 812, "records": 3}],
     "withdrawn": ["17"],
     "state_digest": "..."}

The *state* after a feed is what the destination holds once it has applied every feed so far:
``item key -> canonical JSON`` of the fields the format carries. ``state_digest`` is the
SHA-256 of the sorted ``key<TAB>json`` lines. A verifier recomputes it from the packages
alone, reading each delta file back with our own importer, so a missing, truncated or edited
package, a skipped sequence number or a broken ``previous`` link is found without trusting the
database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats import build_format_registry, get_importer
from sentinela.formats.export_base import Exporter, ExportOptions, carried_fields
from sentinela.formats.export_records import ExportDocument
from sentinela.formats.records import HashRecord

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
PARTIAL = ".partial"


def state_line(record: HashRecord, exporter: Exporter) -> str:
    """Canonical JSON of what ``exporter`` carries of ``record`` (the item's state)."""
    values = carried_fields(record, exporter)
    values.pop("occurrences", None)
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str)


def state_digest(state: dict[str, str]) -> str:
    """SHA-256 of the sorted ``key<TAB>line`` lines of ``state``."""
    digest = hashlib.sha256()
    for key in sorted(state, key=key_order):
        digest.update(f"{key}\t{state[key]}\n".encode())
    return digest.hexdigest()


def key_order(key: str) -> tuple[int, str]:
    """Sort order of item keys: numeric keys (media ids) by value, then the others."""
    return (int(key), "") if key.isdigit() else (1 << 62, key)


def package_name(destination: str, sequence: int) -> str:
    """The folder name of a package."""
    return f"{destination}-{sequence:06d}"


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as written (indented, sorted keys, trailing newline)."""
    return json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"


class _HashingWriter(io.BufferedIOBase):
    """A binary sink that hashes and counts what goes through it into a file."""

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__()
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        return self.handle.write(chunk)


@dataclass(frozen=True)
class WrittenFile:
    """A file written into a package or export folder."""

    name: str
    sha256: str
    size: int
    records: int


def write_document(
    path: Path, exporter: Exporter, document: ExportDocument, options: ExportOptions
) -> WrittenFile:
    """Write ``document`` to a new file ``path`` (never overwriting), hashing it on the way.

    The bytes go to ``<path>.partial`` first and are renamed into place only when complete.

    Raises:
        ExportRefusedError: the exporter refused a record; nothing is left behind.
    """
    partial = path.with_name(path.name + PARTIAL)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    try:
        with os.fdopen(fd, "wb") as handle:
            sink = _HashingWriter(handle)
            count = exporter.write(document, cast(BinaryIO, sink), options)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return WrittenFile(path.name, sink.digest.hexdigest(), sink.size, count)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class PackageCheck:
    """What verifying one package found."""

    manifest: dict[str, Any]
    records: list[HashRecord]
    problems: list[str]


def check_package(folder: Path, manifest_sha256: str, exporter: Exporter) -> PackageCheck:
    """Check a package against the manifest hash recorded for it and read its records back.

    Returns:
        The manifest, the records of its delta file(s), and every problem found (empty when
        the package is intact).
    """
    problems: list[str] = []
    path = folder / MANIFEST
    try:
        raw = path.read_bytes()
    except OSError as error:
        return PackageCheck({}, [], [f"{path}: cannot read manifest ({error.strerror or error})"])
    if hashlib.sha256(raw).hexdigest() != manifest_sha256:
        problems.append(f"{path}: manifest differs from the one recorded (SHA-256 mismatch)")
    try:
        manifest = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return PackageCheck({}, [], [*problems, f"{path}: manifest is not valid JSON"])
    records: list[HashRecord] = []
    importer = get_importer(build_format_registry(), exporter.reader)
    for entry in manifest.get("files", []):
        file = folder / str(entry.get("name", ""))
        if not file.is_file():
            problems.append(f"{file}: missing")
            continue
        if file_sha256(file) != entry.get("sha256") or file.stat().st_size != entry.get("size"):
            problems.append(f"{file}: content differs from the manifest (SHA-256 or size)")
            continue
        try:
            found = [r for r in importer.iter_records(file) if isinstance(r, HashRecord)]
        except (FormatError, InvalidHashError, InvalidInputError) as error:
            problems.append(f"{file}: unreadable ({error})")
            continue
        if len(found) != entry.get("records"):
            problems.append(f"{file}: {len(found)} records, manifest says {entry.get('records')}")
        records.extend(found)
    return PackageCheck(manifest, records, problems)


def apply_delta(
    state: dict[str, str],
    records: Iterable[HashRecord],
    withdrawn: Iterable[str],
    exporter: Exporter,
) -> None:
    """Apply one package to ``state`` (in place): upsert its records, drop withdrawn keys."""
    for item in records:
        state[item.source_id or ""] = state_line(item, exporter)
    for key in withdrawn:
        state.pop(key, None)
