"""CASE/UCO JSON-LD for a case: investigation, exhibits, custody, files, provenance.

The graph, in the order it is written:

* the ``Investigation`` (the case number as its name, the title as its description);
* the owning unit (``Organization``), the application (``AnalyticTool``) and every person who
  appears in a custody event (``Person``);
* per exhibit: the container (``File`` + ``Image`` for raw and E01 images, ``Directory`` for
  folders) with its hashes, a ``ProvenanceRecord`` whose ``exhibitNumber`` is the label, and one
  ``InvestigativeAction`` per custody event (seized, received, imaged, ingested, exported...),
  chained with ``wasInformedBy``;
* per occurrence of each media item: a ``File`` with its ``FileFacet`` and hashes, related to
  its exhibit by ``Contained_Within`` (with the byte offset when known), and per media item an
  ``Annotation`` carrying the category, series and victim flags as tags;
* per exhibit: a ``ProvenanceRecord`` (``<label>/files``) listing the files extracted from it.

The media are streamed: only the file IRIs of each exhibit are kept until the end. Read back
by :func:`sentinela.formats.case_uco_reader.read_case_uco`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, ClassVar

from sentinela.formats.case_uco_nodes import (
    CONTEXT_PREFIXES,
    IMAGE_TYPES,
    NodeIds,
    content_facet,
    ref,
    tag,
    when,
)
from sentinela.formats.export_base import (
    Exporter,
    ExportOptions,
    ExportRefusedError,
    case_document,
)
from sentinela.formats.export_records import CaseDocument, ExhibitRecord, ExportDocument
from sentinela.formats.records import HashRecord, Occurrence
from sentinela.formats.vics_writer import dump


def _exhibit_nodes(node: NodeIds, exhibit: ExhibitRecord) -> list[dict[str, Any]]:
    label = exhibit.label
    container: dict[str, Any] = {
        "@id": node("exhibit", label),
        "@type": ["uco-observable:Directory"]
        if exhibit.kind == "folder"
        else [
            "uco-observable:File",
            *(["uco-observable:Image"] if exhibit.kind in IMAGE_TYPES else []),
        ],
        "uco-core:name": label,
        "uco-core:hasFacet": [
            content_facet(node, f"exhibit|{label}", exhibit.digests, exhibit.size, None)
        ],
    }
    if exhibit.kind in IMAGE_TYPES:
        container["uco-core:hasFacet"].append(
            {
                "@id": node("image-facet", label),
                "@type": "uco-observable:ImageFacet",
                "uco-observable:imageType": IMAGE_TYPES[exhibit.kind],
            }
        )
    tags = [tag("exhibit-kind", exhibit.kind)]
    if exhibit.seized_at is not None:
        tags.append(tag("seized-at", exhibit.seized_at.isoformat()))
    record: dict[str, Any] = {
        "@id": node("provenance-record", label),
        "@type": "case-investigation:ProvenanceRecord",
        "case-investigation:exhibitNumber": label,
        "case-investigation:rootExhibitNumber": label,
        "uco-core:object": [ref(container["@id"])],
        "uco-core:tag": tags,
    }
    if exhibit.seized_from:
        record["uco-core:description"] = exhibit.seized_from
    nodes = [container, record]
    previous: str | None = None
    for index, event in enumerate(exhibit.custody):
        action: dict[str, Any] = {
            "@id": node("investigative-action", f"{label}|{index}"),
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": event.action,
            "uco-action:startTime": when(event.occurred_at),
            "uco-action:performer": ref(node("person", event.actor)),
            "uco-action:object": [ref(record["@id"])],
            "uco-action:result": [ref(record["@id"])],
        }
        if event.note:
            action["uco-core:description"] = event.note
        if previous is not None:
            action["case-investigation:wasInformedBy"] = [ref(previous)]
        previous = action["@id"]
        nodes.append(action)
    return nodes


def _people(doc: CaseDocument) -> list[str]:
    names = {event.actor for exhibit in doc.exhibits for event in exhibit.custody}
    if doc.producer.contact_name:
        names.add(doc.producer.contact_name)
    return sorted(names)


def _head_nodes(doc: CaseDocument, node: NodeIds) -> Iterator[dict[str, Any]]:
    objects = [
        ref(node(kind, key))
        for exhibit in doc.exhibits
        for kind, key in (
            ("provenance-record", exhibit.label),
            ("provenance-record", f"{exhibit.label}/files"),
            *(
                ("investigative-action", f"{exhibit.label}|{i}")
                for i in range(len(exhibit.custody))
            ),
        )
    ]
    yield {
        "@id": f"kb:investigation-{doc.case.case_id}",
        "@type": "case-investigation:Investigation",
        "uco-core:name": doc.case.number,
        "uco-core:description": doc.case.title,
        "case-investigation:investigationForm": "case",
        "uco-core:tag": [
            tag("unit", doc.case.unit),
            tag("scheme", doc.case.scheme),
            tag("exported-at", doc.created_at.isoformat()),
        ],
        "uco-core:object": objects,
    }
    yield {
        "@id": node("organization", doc.case.unit),
        "@type": "uco-identity:Organization",
        "uco-core:name": doc.producer.organization or doc.case.unit,
    }
    yield {
        "@id": node("tool", doc.producer.application),
        "@type": "uco-tool:AnalyticTool",
        "uco-core:name": doc.producer.application,
        "uco-tool:version": doc.producer.version or "unknown",
    }
    for person in _people(doc):
        yield {
            "@id": node("person", person),
            "@type": "uco-identity:Person",
            "uco-core:name": person,
        }
    for exhibit in doc.exhibits:
        yield from _exhibit_nodes(node, exhibit)


def _file_node(
    node: NodeIds, record: HashRecord, key: str, occurrence: Occurrence | None
) -> dict[str, Any]:
    facets: list[dict[str, Any]] = []
    tags: list[str] = []
    if occurrence is not None:
        facet: dict[str, Any] = {
            "@id": node("file-facet", key),
            "@type": "uco-observable:FileFacet",
        }
        optional = {
            "uco-observable:fileName": occurrence.file_name,
            "uco-observable:filePath": occurrence.file_path,
            "uco-observable:observableCreatedTime": occurrence.created and when(occurrence.created),
            "uco-observable:modifiedTime": occurrence.written and when(occurrence.written),
            "uco-observable:accessedTime": occurrence.accessed and when(occurrence.accessed),
            "uco-observable:allocationStatus": "deleted" if occurrence.deleted else None,
        }
        facet.update({k: v for k, v in optional.items() if v})
        facets.append(facet)
        for name, value in (
            ("deleted", occurrence.deleted),
            ("unallocated", occurrence.unallocated),
        ):
            if value is not None:
                tags.append(tag(name, value))
    facets.append(content_facet(node, key, record.digests, record.size, record.mime))
    file: dict[str, Any] = {
        "@id": node("file", key),
        "@type": "uco-observable:File",
        "uco-core:hasFacet": facets,
    }
    if tags:
        file["uco-core:tag"] = tags
    return file


def _annotation(
    node: NodeIds, record: HashRecord, key: str, files: list[str]
) -> dict[str, Any] | None:
    tags: list[str] = []
    if record.category is not None:
        tags.append(tag("category", record.category))
    if record.series:
        tags.append(tag("series", record.series))
    for name, value in (
        ("victim-identified", record.victim_identified),
        ("offender-identified", record.offender_identified),
        ("distributed", record.distributed),
    ):
        if value is not None:
            tags.append(tag(name, value))
    if not tags:
        return None
    statement = f"Category {record.category}" if record.category else "Uncategorised"
    return {
        "@id": node("annotation", key),
        "@type": "uco-core:Annotation",
        "uco-core:statement": statement + (f"; series {record.series}" if record.series else ""),
        "uco-core:tag": tags,
        "uco-core:object": [ref(f) for f in files],
    }


class CaseUcoExporter(Exporter):
    """Writes a case as CASE/UCO JSON-LD."""

    name: ClassVar[str] = "case_uco"
    title: ClassVar[str] = "CASE/UCO JSON-LD (investigation, exhibits, custody, files)"
    entities: ClassVar[frozenset[str]] = frozenset({"case"})
    suffix: ClassVar[str] = ".jsonld"
    reader: ClassVar[str] = "case_uco"
    carries: ClassVar[frozenset[str]] = frozenset(
        {
            "digests",
            "category",
            "series",
            "victim_identified",
            "offender_identified",
            "distributed",
            "size",
            "mime",
            "occurrences",
        }
    )
    hash_types: ClassVar[frozenset[str]] = frozenset({"md5", "sha1", "sha256"})

    def write(self, document: ExportDocument, out: BinaryIO, options: ExportOptions) -> int:
        """Write the graph, streaming the media records."""
        self.check(document, options)
        doc = case_document(document, self.name)
        node = NodeIds(doc.case.number)
        context = dict(CONTEXT_PREFIXES, kb=options.kb_base)
        out.write(b'{"@context":' + dump(context) + b',\n"@graph":[\n')
        for index, head in enumerate(_head_nodes(doc, node)):
            out.write((b"" if index == 0 else b",\n") + dump(head))
        labels = {exhibit.label: node("exhibit", exhibit.label) for exhibit in doc.exhibits}
        extracted: dict[str, list[str]] = {label: [] for label in labels}
        count = 0
        for count, record in enumerate(doc.records, start=1):
            for item in self._record_nodes(node, record, count, labels, extracted):
                out.write(b",\n" + dump(item))
        for label, files in extracted.items():
            out.write(
                b",\n"
                + dump(
                    {
                        "@id": node("provenance-record", f"{label}/files"),
                        "@type": "case-investigation:ProvenanceRecord",
                        "uco-core:description": f"Files extracted from {label}",
                        "case-investigation:exhibitNumber": f"{label}/files",
                        "case-investigation:rootExhibitNumber": label,
                        "uco-core:object": [ref(f) for f in files],
                    }
                )
            )
        out.write(b"\n]}\n")
        return count

    def _record_nodes(
        self,
        node: NodeIds,
        record: HashRecord,
        index: int,
        labels: dict[str, str],
        extracted: dict[str, list[str]],
    ) -> Iterator[dict[str, Any]]:
        content = record.digests.get("sha256") or record.digests.get("md5") or str(index)
        files: list[str] = []
        for position, occurrence in enumerate(record.occurrences or (None,)):
            key = f"{content}|{position}"
            file = _file_node(node, record, key, occurrence)
            files.append(file["@id"])
            yield file
            if occurrence is None or occurrence.source_id is None:
                continue
            target = labels.get(occurrence.source_id)
            if target is None:
                raise ExportRefusedError(
                    f"{record.position}: occurrence in exhibit {occurrence.source_id!r},"
                    " which the case document does not list"
                )
            extracted[occurrence.source_id].append(file["@id"])
            relationship: dict[str, Any] = {
                "@id": node("relationship", key),
                "@type": "uco-observable:ObservableRelationship",
                "uco-core:source": ref(file["@id"]),
                "uco-core:target": ref(target),
                "uco-core:kindOfRelationship": "Contained_Within",
                "uco-core:isDirectional": True,
            }
            if occurrence.physical_location is not None:
                relationship["uco-core:hasFacet"] = [
                    {
                        "@id": node("data-range-facet", key),
                        "@type": "uco-observable:DataRangeFacet",
                        "uco-observable:rangeOffset": occurrence.physical_location,
                        **(
                            {"uco-observable:rangeSize": record.size}
                            if record.size is not None
                            else {}
                        ),
                    }
                ]
            yield relationship
        annotation = _annotation(node, record, content, files)
        if annotation is not None:
            yield annotation
