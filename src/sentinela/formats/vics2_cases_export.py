"""VICS 2.0 ``#Cases``: one case, each Media with its MediaFiles, for a partner's tools.

The case object's scalar fields come first and ``TotalMediaFiles`` is known before the
records are streamed, so the reader's header pass finds the case without buffering the
media. Each Media carries its category in the case's scheme, the series and the
victim-identified flag; ``MediaFiles`` holds one entry per occurrence, with the exhibit label
as ``SourceID``. ``RelativeFilePath`` appears only in an authorised content export.
Read back by the ``vics`` importer.
"""

from __future__ import annotations

from typing import Any, BinaryIO, ClassVar

from sentinela.formats.export_base import Exporter, ExportOptions, case_document
from sentinela.formats.export_records import CaseDocument, ExportDocument
from sentinela.formats.vics2_media_export import VICS2_CARRIES, VICS_HASH_TYPES
from sentinela.formats.vics_writer import V2_CONTEXT, dump, media_objects, region_for, write_array


def case_header(document: CaseDocument) -> dict[str, Any]:
    """The case-level fields of a VICS ``Case`` object (both versions)."""
    case, producer = document.case, document.producer
    fields: dict[str, Any] = {
        "CaseID": case.case_id,
        "CaseNumber": case.number,
        "ContactOrganization": producer.organization or case.unit,
        "ContactName": producer.contact_name,
        "ContactEmail": producer.contact_email,
        "SeizureDate": case.seizure_date.isoformat() if case.seizure_date else None,
        "SourceApplicationName": producer.application,
        "SourceApplicationVersion": producer.version,
        "TotalMediaFiles": case.total_media_files,
    }
    return {key: value for key, value in fields.items() if value not in (None, "")}


class Vics2CasesExporter(Exporter):
    """Writes VICS 2.0 ``#Cases`` exports."""

    name: ClassVar[str] = "vics2_cases"
    title: ClassVar[str] = "Project VIC VICS 2.0 case export (#Cases)"
    entities: ClassVar[frozenset[str]] = frozenset({"case"})
    suffix: ClassVar[str] = ".json"
    reader: ClassVar[str] = "vics"
    carries: ClassVar[frozenset[str]] = VICS2_CARRIES
    hash_types: ClassVar[frozenset[str]] = VICS_HASH_TYPES

    def check(self, document: ExportDocument, options: ExportOptions) -> None:
        """Refuse hash-set documents and case schemes without a VICS region."""
        super().check(document, options)
        region_for(case_document(document, self.name).case.scheme)

    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write the context and the case fields, then stream ``Media``."""
        self.check(document, options)
        doc = case_document(document, self.name)
        context = V2_CONTEXT.format(region=region_for(doc.case.scheme), entity="Cases")
        header = dump(case_header(doc))
        out.write(b'{"@odata.context":' + dump(context) + b',\n"value":[')
        out.write(header[:-1] + b',"Media":')
        objects = media_objects(
            doc.records, scheme=doc.case.scheme, v1=False, content_paths=doc.content_paths
        )
        count = write_array(out, objects)
        out.write(b"}]}\n")
        return count
