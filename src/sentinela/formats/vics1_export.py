"""VICS 1.1/1.2/1.3 (OData v3), on request, for tools that read only the older model.

Both document kinds: ``#Media`` hash sets and ``#Cases`` exports. 1.x differs from 2.0 in the
context key (``odata.metadata``), ``MediaSize`` written as a string, PhotoDNA carried in
``AlternativeHashes``, and ``odata.id`` / navigation-link annotations that 1.x readers expect.
1.x has no region: the only scheme it expresses is Project VIC US (plus NIST's code 8, which
readers take as the NSRL-CAID scheme). Read back by the ``vics`` importer.
"""

from __future__ import annotations

from typing import BinaryIO, ClassVar

from sentinela.formats.export_base import Exporter, ExportOptions, ExportRefusedError
from sentinela.formats.export_records import CaseDocument, ExportDocument
from sentinela.formats.vics2_cases_export import case_header
from sentinela.formats.vics2_media_export import VICS2_CARRIES, VICS_HASH_TYPES
from sentinela.formats.vics_writer import (
    V1_CONTEXT,
    V1_SCHEMES,
    check_v1_version,
    dump,
    media_objects,
    write_array,
)


def _scheme(document: ExportDocument) -> str:
    return document.case.scheme if isinstance(document, CaseDocument) else document.scheme


class Vics1Exporter(Exporter):
    """Writes VICS 1.x hash sets and case exports (version from :class:`ExportOptions`)."""

    name: ClassVar[str] = "vics1"
    title: ClassVar[str] = "Project VIC VICS 1.1/1.2/1.3 (#Media and #Cases)"
    entities: ClassVar[frozenset[str]] = frozenset({"case", "hash_set"})
    suffix: ClassVar[str] = ".json"
    reader: ClassVar[str] = "vics"
    carries: ClassVar[frozenset[str]] = VICS2_CARRIES
    hash_types: ClassVar[frozenset[str]] = VICS_HASH_TYPES

    def check(self, document: ExportDocument, options: ExportOptions) -> None:
        """Refuse unknown 1.x versions and schemes other than Project VIC US."""
        super().check(document, options)
        check_v1_version(options.vics_version)
        scheme = _scheme(document)
        if scheme not in V1_SCHEMES:
            raise ExportRefusedError(
                f"category scheme {scheme!r} cannot be written as VICS 1.x (it has no region;"
                " only project_vic_us): use VICS 2.0 or a destination with a reviewed mapping"
            )

    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write a 1.x document of the version in ``options``."""
        self.check(document, options)
        version = options.vics_version
        if isinstance(document, CaseDocument):
            context = V1_CONTEXT.format(version=version, entity="Cases")
            out.write(b'{"odata.metadata":' + dump(context) + b',\n"value":[')
            out.write(dump(case_header(document))[:-1] + b',"Media":')
            objects = media_objects(
                document.records,
                scheme=document.case.scheme,
                v1=True,
                content_paths=document.content_paths,
            )
            count = write_array(out, objects)
            out.write(b"}]}\n")
            return count
        context = V1_CONTEXT.format(version=version, entity="Media")
        out.write(b'{"odata.metadata":' + dump(context) + b',\n"value":')
        count = write_array(out, media_objects(document.records, scheme=document.scheme, v1=True))
        out.write(b"}\n")
        return count
