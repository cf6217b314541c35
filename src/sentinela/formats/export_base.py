"""Base class of the exporters, the write side of the exchange formats.

Why exporters have a registry of their own
(:func:`sentinela.formats.exporters.build_exporter_registry`) rather than sharing the
importers' entries: one file format can need several writers (VICS
2.0 ``#Cases`` and ``#Media`` are different documents, and 1.x differs again), while the
importer reads them all under the single name ``vics``. Registering writers in the importers'
registry would either force those writers into the importer classes (modules of a thousand
lines) or give the same format two different names in one registry. Two registries keyed by
stable names keep one module per implementation; each exporter names the importer that reads
its output back (:attr:`Exporter.reader`), and the contract tests hold it to that.

Why an exporter declares :attr:`Exporter.carries`: no format keeps everything (ICSE has no
size or MIME type, VICS has no baseline flag). The declaration says which
:class:`~sentinela.formats.records.HashRecord` fields survive the round trip, so the contract
test can compare exactly those, and a reader of the code knows what a partner will not get.

Why exporters write to a binary stream and take records as an iterable: a national hash set
has millions of items; the writer holds one record at a time.
"""

from __future__ import annotations

import dataclasses
from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from sentinela.errors import InvalidInputError
from sentinela.formats.base import ExchangeFormat
from sentinela.formats.export_records import CaseDocument, ExportDocument, HashSetDocument
from sentinela.formats.records import HashRecord

ENTITIES = frozenset({"case", "hash_set"})


class ExportRefusedError(InvalidInputError):
    """The document cannot be written in this format without losing or inventing data.

    Examples: a category scheme the format cannot express, a VICS record without an MD5.
    The message lists what is wrong; nothing is written.
    """


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices the caller makes that the document does not decide.

    Attributes:
        vics_version: the VICS 1.x version to write ("1.1", "1.2" or "1.3"); 2.0 has its own
            exporters.
        kb_base: the IRI base of CASE/UCO nodes (``kb:`` prefix).
    """

    vics_version: str = "1.3"
    kb_base: str = "https://sentinela.invalid/kb/"


class Exporter(ExchangeFormat):
    """Writes one document kind in one file format.

    Implementations are stateless; one instance serves every export. How to write one:

    1. add ``formats/<name>_export.py`` with a subclass setting ``name``, ``title``,
       ``entities``, ``suffix``, ``reader``, ``carries`` and ``hash_types``;
    2. make :meth:`check` refuse, with :class:`ExportRefusedError`, any document the format
       cannot express (never guess a category or drop a field silently);
    3. make :meth:`write` stream: one record in memory at a time;
    4. list the class in :func:`sentinela.formats.exporters.build_exporter_registry` and add
       a round-trip case to ``tests/contracts/test_exporters.py``.
    """

    entities: ClassVar[frozenset[str]]
    suffix: ClassVar[str]
    reader: ClassVar[str]
    carries: ClassVar[frozenset[str]]
    hash_types: ClassVar[frozenset[str]]

    def check(self, document: ExportDocument, options: ExportOptions) -> None:
        """Refuse documents this format cannot express (checked before any byte is written).

        Raises:
            ExportRefusedError: the document's kind, scheme or version is not supported.
        """
        kind = "case" if isinstance(document, CaseDocument) else "hash_set"
        if kind not in self.entities:
            raise ExportRefusedError(f"format {self.name!r} cannot export a {kind}")

    @abstractmethod
    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write ``document`` to ``out``.

        Returns:
            The number of media records written.

        Raises:
            ExportRefusedError: a record cannot be expressed (raised before or while writing;
                the caller discards the partial file).
        """

    def file_name(self, stem: str) -> str:
        """The file name of an export of ``stem`` (a case number or a set name)."""
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)
        return f"{safe}_{self.name}{self.suffix}"


def hash_set_document(document: ExportDocument, exporter: str) -> HashSetDocument:
    """Return ``document`` as a hash-set document.

    Raises:
        ExportRefusedError: it is a case document.
    """
    if not isinstance(document, HashSetDocument):
        raise ExportRefusedError(f"format {exporter!r} exports hash sets, not cases")
    return document


def case_document(document: ExportDocument, exporter: str) -> CaseDocument:
    """Return ``document`` as a case document.

    Raises:
        ExportRefusedError: it is a hash-set document.
    """
    if not isinstance(document, CaseDocument):
        raise ExportRefusedError(f"format {exporter!r} exports cases, not hash sets")
    return document


def carried_fields(record: HashRecord, exporter: Exporter) -> dict[str, Any]:
    """The fields of ``record`` that ``exporter`` keeps (digests limited to its hash types).

    What the exporter writes for ``record``, its reader reads back with exactly these values
    (the contract tests hold every exporter to it); feeds compare items by them.
    """
    values = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name in exporter.carries
    }
    if "digests" in values:
        values["digests"] = {k: v for k, v in record.digests.items() if k in exporter.hash_types}
    return values
