"""What exporters write: a case document or a hash-set document, built by the services.

Exporters never touch the database. The export services read it, check who may export what,
and hand an exporter one of these documents; the exporter only renders it. That keeps every
format testable without a database, and lets the contract tests prove the one property that
matters to a partner agency: what we write, our own importer reads back as the same data.

Media items are the importers' own :class:`~sentinela.formats.records.HashRecord` (with
:class:`~sentinela.formats.records.Occurrence` for each place the content was found), so an
export -> import round trip compares like with like. Case-level facts that no importer record
carries (exhibits, custody) have their own frozen dataclasses here.

Records are an ``Iterable``, read once: a national hash set holds millions of items and is
streamed from the database straight into the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sentinela.formats.records import HashRecord

__all__ = [
    "CaseDocument",
    "CaseSummary",
    "CustodyRecord",
    "ExhibitRecord",
    "ExportDocument",
    "HashSetDocument",
    "Producer",
]


@dataclass(frozen=True, slots=True)
class Producer:
    """Who wrote the file: the application, the exporting person and their unit."""

    application: str = "Sentinela"
    version: str = ""
    organization: str = ""
    contact_name: str = ""
    contact_email: str = ""


@dataclass(frozen=True, slots=True)
class CustodyRecord:
    """One chain-of-custody event of an exhibit."""

    action: str
    actor: str
    occurred_at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class ExhibitRecord:
    """An exhibit as it was registered, with its container hashes and custody.

    Attributes:
        label: the exhibit label (EXH-001); VICS ``SourceID`` and CASE ``exhibitNumber``.
        kind: folder, archive, raw or e01.
        digests: the container's hashes (hash type -> lower-case hex).
        size: the container size in bytes.
        seized_from: person or place.
        seized_at: when it was seized, if known.
        custody: the custody events in order.
    """

    label: str
    kind: str
    digests: dict[str, str] = field(hash=False)
    size: int
    seized_from: str = ""
    seized_at: datetime | None = None
    custody: tuple[CustodyRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """Case-level metadata.

    Attributes:
        case_id: a stable identifier (a UUID string) for the VICS ``CaseID``.
        number: the case number.
        title: the case title.
        unit: the owning unit.
        scheme: the category scheme the case grades in; every record's category is in it.
        total_media_files: the number of occurrences (VICS ``TotalMediaFiles``), known before
            the records are streamed.
        seizure_date: the earliest seizure of the case's exhibits, if known (CASE/UCO derives
            it from the exhibits).
    """

    case_id: str
    number: str
    title: str
    unit: str
    scheme: str
    total_media_files: int
    seizure_date: datetime | None = None


@dataclass(frozen=True)
class CaseDocument:
    """A case export: the case, its exhibits, and every media item with its occurrences.

    ``content_paths`` maps a record's SHA-256 (or MD5 when it has none) to the relative path
    (Windows separators, as VICS writes it) of the media file shipped beside the JSON; it is
    empty unless a content export was authorised.
    """

    case: CaseSummary
    exhibits: tuple[ExhibitRecord, ...]
    records: Iterable[HashRecord]
    producer: Producer
    created_at: datetime
    content_paths: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HashSetDocument:
    """A hash-set export (the national classification, or a feed delta).

    Attributes:
        name: what the set is ("national_classification", "icse feed 12").
        scheme: the category scheme of every categorised record.
        records: the items, streamed.
        producer: who wrote it.
        created_at: when.
        agency: the agency named in formats that carry one (ICSE ``Agency``).
    """

    name: str
    scheme: str
    records: Iterable[HashRecord]
    producer: Producer
    created_at: datetime
    agency: str = ""


ExportDocument = CaseDocument | HashSetDocument
