"""VICS 2.0 ``#Media``: a hash set, such as the national classification, for forensic tools.

The region in the context string tells the reader the category scheme (see
:mod:`sentinela.formats.vics_writer`), so the document's scheme decides it and every record's
category must be in that scheme. Read back by the ``vics`` importer.
"""

from __future__ import annotations

from typing import BinaryIO, ClassVar

from sentinela.formats.export_base import (
    Exporter,
    ExportOptions,
    hash_set_document,
)
from sentinela.formats.export_records import ExportDocument
from sentinela.formats.vics_writer import V2_CONTEXT, dump, media_objects, region_for, write_array

VICS2_CARRIES = frozenset(
    {
        "digests",
        "category",
        "series",
        "victim_identified",
        "offender_identified",
        "distributed",
        "size",
        "mime",
        "name",
        "source_id",
        "updated_at",
        "occurrences",
        "vpdq",
    }
)
VICS_HASH_TYPES = frozenset({"md5", "sha1", "sha256", "pdq", "photodna", "vpdq"})


class Vics2MediaExporter(Exporter):
    """Writes VICS 2.0 ``#Media`` hash sets."""

    name: ClassVar[str] = "vics2_media"
    title: ClassVar[str] = "Project VIC VICS 2.0 hash set (#Media)"
    entities: ClassVar[frozenset[str]] = frozenset({"hash_set"})
    suffix: ClassVar[str] = ".json"
    reader: ClassVar[str] = "vics"
    carries: ClassVar[frozenset[str]] = VICS2_CARRIES
    hash_types: ClassVar[frozenset[str]] = VICS_HASH_TYPES

    def check(self, document: ExportDocument, options: ExportOptions) -> None:
        """Refuse case documents and schemes without a VICS region."""
        super().check(document, options)
        region_for(hash_set_document(document, self.name).scheme)

    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write the context, then the ``value`` array one record at a time."""
        self.check(document, options)
        doc = hash_set_document(document, self.name)
        context = V2_CONTEXT.format(region=region_for(doc.scheme), entity="Media")
        out.write(b'{"@odata.context":' + dump(context) + b',\n"value":')
        count = write_array(out, media_objects(doc.records, scheme=doc.scheme, v1=False))
        out.write(b"}\n")
        return count
