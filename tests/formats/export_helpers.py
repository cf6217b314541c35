"""Sample export documents (benign test-pattern hashes only) shared by the exporter tests."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sentinela.formats.export_base import Exporter, ExportOptions, carried_fields
from sentinela.formats.export_records import (
    CaseDocument,
    CaseSummary,
    CustodyRecord,
    ExhibitRecord,
    ExportDocument,
    HashSetDocument,
    Producer,
)
from sentinela.formats.records import Category, HashRecord, Occurrence, vpdq_digest

from .helpers import EMPTY_MD5, EMPTY_SHA1, EMPTY_SHA256, PNG_MD5, PNG_PDQ, PNG_SHA1, PNG_SHA256

WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PRODUCER = Producer(
    application="Sentinela",
    version="0.1.0",
    organization="National Cybercrime Unit (synthetic)",
    contact_name="Examiner B (synthetic)",
    contact_email="examiner.b@example.org",
)
PNG_OCCURRENCE = Occurrence(
    file_path="/DCIM/synthetic_test_pattern_64x64.png",
    file_name="synthetic_test_pattern_64x64.png",
    source_id="EXH-001",
    created="2024-12-24T09:00:00Z",
    written="2024-12-24T10:00:00Z",
    accessed="2024-12-25T10:00:00Z",
    deleted=False,
    physical_location=19968,
)


def png_record(**overrides: Any) -> HashRecord:
    """The test PNG as a categorised record with two occurrences."""
    fields: dict[str, Any] = {
        "digests": {"md5": PNG_MD5, "sha1": PNG_SHA1, "sha256": PNG_SHA256, "pdq": PNG_PDQ},
        "position": "sample 1",
        "category": Category("project_vic_us", "1"),
        "series": 'Synthetic series; "quoted"',
        "victim_identified": True,
        "offender_identified": False,
        "size": 10599,
        "mime": "image/png",
        "name": "synthetic_test_pattern_64x64.png",
        "source_id": "17",
        "updated_at": "2026-03-01T09:00:00.0000Z",
        "occurrences": (
            PNG_OCCURRENCE,
            Occurrence(
                file_path="/Backup/copy é.png",
                file_name="copy é.png",
                source_id="EXH-002",
                deleted=True,
                unallocated=True,
            ),
        ),
    }
    fields.update(overrides)
    return HashRecord(**fields)


def empty_record(**overrides: Any) -> HashRecord:
    """The empty file: uncategorised, no flags, one occurrence."""
    fields: dict[str, Any] = {
        "digests": {"md5": EMPTY_MD5, "sha1": EMPTY_SHA1, "sha256": EMPTY_SHA256},
        "position": "sample 2",
        "size": 0,
        "mime": "application/octet-stream",
        "source_id": "18",
        "occurrences": (
            Occurrence(file_path="/empty.dat", file_name="empty.dat", source_id="EXH-001"),
        ),
    }
    fields.update(overrides)
    return HashRecord(**fields)


VIDEO_VPDQ = f"0,100,{PNG_PDQ},0.000\n30,87,{'0f' * 32},1.000\n"
"""A two-frame vPDQ fingerprint (canonical text) of a synthetic video."""


def video_record(**overrides: Any) -> HashRecord:
    """A categorised video whose record carries its vPDQ fingerprint."""
    fields: dict[str, Any] = {
        "digests": {
            "md5": "5" * 32,
            "sha256": "6" * 64,
            "vpdq": vpdq_digest(VIDEO_VPDQ),
        },
        "position": "sample 3",
        "category": Category("project_vic_us", "2"),
        "size": 2048,
        "mime": "video/mp4",
        "source_id": "19",
        "vpdq": VIDEO_VPDQ,
        "occurrences": (
            Occurrence(file_path="/clip.mp4", file_name="clip.mp4", source_id="EXH-001"),
        ),
    }
    fields.update(overrides)
    return HashRecord(**fields)


def exhibits() -> tuple[ExhibitRecord, ...]:
    """Two exhibits: an E01 image with a custody chain and a folder."""
    return (
        ExhibitRecord(
            label="EXH-001",
            kind="e01",
            digests={"md5": "4c97fefa7a866cea04dd6b4dcb389ca3", "sha256": "0e" * 32},
            size=15173,
            seized_from="SD card (synthetic)",
            seized_at=datetime(2025, 1, 10, 9, 0, tzinfo=UTC),
            custody=(
                CustodyRecord(
                    "seized", "Officer A (synthetic)", datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
                ),
                CustodyRecord("received", "alice", datetime(2025, 1, 10, 14, 0, tzinfo=UTC), "lab"),
                CustodyRecord("exported", "alice", WHEN, "export 1 (vics2_cases)"),
            ),
        ),
        ExhibitRecord(
            label="EXH-002",
            kind="folder",
            digests={"md5": "1" * 32, "sha256": "2" * 64},
            size=4096,
            custody=(CustodyRecord("received", "bob", datetime(2025, 1, 11, 8, 0, tzinfo=UTC)),),
        ),
    )


def case_document(records: Iterable[HashRecord] | None = None, **overrides: Any) -> CaseDocument:
    """A case document holding the PNG and the empty file."""
    items = tuple(records) if records is not None else (png_record(), empty_record())
    summary = CaseSummary(
        case_id="d70397a5-316f-5790-adc9-8dde0abe38ac",
        number="SYN-0001",
        title="Synthetic case",
        unit="Unit A",
        scheme=overrides.pop("scheme", "project_vic_us"),
        total_media_files=sum(len(r.occurrences) for r in items),
        seizure_date=datetime(2025, 1, 10, 9, 0, tzinfo=UTC),
    )
    return CaseDocument(
        case=summary,
        exhibits=exhibits(),
        records=items,
        producer=PRODUCER,
        created_at=WHEN,
        **overrides,
    )


def hash_set_document(
    records: Iterable[HashRecord], scheme: str = "project_vic_us"
) -> HashSetDocument:
    """A hash-set document (records carry no occurrences)."""
    return HashSetDocument(
        name="national_classification",
        scheme=scheme,
        records=tuple(records),
        producer=PRODUCER,
        created_at=WHEN,
        agency="National Cybercrime Unit (synthetic)",
    )


def render(
    exporter: Exporter, document: ExportDocument, options: ExportOptions | None = None
) -> bytes:
    """The bytes ``exporter`` writes for ``document``."""
    out = io.BytesIO()
    exporter.write(document, out, options or ExportOptions())
    return out.getvalue()


def write(
    path: Path, exporter: Exporter, document: ExportDocument, options: ExportOptions | None = None
) -> Path:
    """Write ``document`` to ``path``."""
    path.write_bytes(render(exporter, document, options))
    return path


def carried(record: HashRecord, exporter: Exporter) -> dict[str, Any]:
    """The fields of ``record`` that ``exporter`` promises to keep."""
    return carried_fields(record, exporter)
