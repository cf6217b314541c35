"""Read a CASE/UCO case export back into a :class:`~sentinela.formats.export_records.CaseDocument`.

This is the read side of the ``case_uco`` exporter, used to prove that an export keeps the
data (the contract tests) and to read a partner's CASE export of the same shape. It reads the
JSON-LD as plain JSON by node type and property name (compact IRIs with the standard
``case-investigation:``/``uco-*:`` prefixes), not through an RDF library: the shapes are the
ones the exporter writes and the sample in ../shared/testdata follows.

A case export is one case, so the file is read whole (``json.load``); unlike VICS hash sets it
does not grow with the national store.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.case_uco_nodes import (
    as_list,
    facet_digests,
    ids,
    literal,
    parse_tags,
)
from sentinela.formats.export_records import (
    CaseDocument,
    CaseSummary,
    CustodyRecord,
    ExhibitRecord,
    Producer,
)
from sentinela.formats.fields import parse_flag
from sentinela.formats.records import Category, HashRecord, Occurrence

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_KINDS = {"EnCase": "e01", "RAW": "raw"}


def _types(node: dict[str, Any]) -> set[str]:
    return {t for t in as_list(node.get("@type")) if isinstance(t, str)}


def _facet(node: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for facet in as_list(node.get("uco-core:hasFacet")):
        if isinstance(facet, dict) and kind in _types(facet):
            return facet
    return None


def _time(value: object, path: Path, where: str) -> datetime:
    text = literal(value)
    try:
        parsed = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        raise FormatError(f"malformed dateTime {text!r}", path=str(path), position=where) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except OSError as error:
        raise FormatError(f"cannot read file: {error.strerror or error}", path=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FormatError(f"malformed JSON: {error}", path=str(path), position="document") from None
    graph = data.get("@graph") if isinstance(data, dict) else None
    if not isinstance(graph, list) or not all(isinstance(n, dict) and "@id" in n for n in graph):
        raise FormatError("no '@graph' array of nodes", path=str(path), position="@graph")
    return graph


class _Graph:
    def __init__(self, nodes: list[dict[str, Any]], path: Path) -> None:
        self.nodes = nodes
        self.by_id = {node["@id"]: node for node in nodes}
        self.path = path

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [node for node in self.nodes if kind in _types(node)]

    def name(self, node_id: str | None) -> str:
        node = self.by_id.get(node_id or "", {})
        return str(node.get("uco-core:name", ""))


def _exhibits(graph: _Graph) -> tuple[list[ExhibitRecord], dict[str, str]]:
    exhibits: list[ExhibitRecord] = []
    containers: dict[str, str] = {}
    actions = graph.of_type("case-investigation:InvestigativeAction")
    for record in graph.of_type("case-investigation:ProvenanceRecord"):
        label = record.get("case-investigation:exhibitNumber")
        if not isinstance(label, str) or label != record.get(
            "case-investigation:rootExhibitNumber"
        ):
            continue
        tags = parse_tags(record.get("uco-core:tag"))
        container_id = next(iter(ids(record.get("uco-core:object"))), "")
        container = graph.by_id.get(container_id, {})
        content = _facet(container, "uco-observable:ContentDataFacet") or {}
        image = _facet(container, "uco-observable:ImageFacet") or {}
        custody = tuple(
            CustodyRecord(
                action=str(action.get("uco-core:name", "")),
                actor=graph.name(next(iter(ids(action.get("uco-action:performer"))), None)),
                occurred_at=_time(action.get("uco-action:startTime"), graph.path, action["@id"]),
                note=str(action.get("uco-core:description", "")),
            )
            for action in actions
            if record["@id"] in ids(action.get("uco-action:object"))
        )
        seized_at = tags.get("seized-at")
        exhibits.append(
            ExhibitRecord(
                label=label,
                kind=tags.get("exhibit-kind")
                or _KINDS.get(str(image.get("uco-observable:imageType")), ""),
                digests=facet_digests(content),
                size=int(content.get("uco-observable:sizeInBytes", 0)),
                seized_from=str(record.get("uco-core:description", "")),
                seized_at=_time(seized_at, graph.path, label) if seized_at else None,
                custody=custody,
            )
        )
        containers[container_id] = label
    return exhibits, containers


def _occurrence(
    file: dict[str, Any],
    facet: dict[str, Any],
    source: str | None,
    offset: int | None,
) -> Occurrence:
    tags = parse_tags(file.get("uco-core:tag"))
    return Occurrence(
        file_path=facet.get("uco-observable:filePath"),
        file_name=facet.get("uco-observable:fileName"),
        source_id=source,
        created=literal(facet.get("uco-observable:observableCreatedTime")),
        written=literal(facet.get("uco-observable:modifiedTime")),
        accessed=literal(facet.get("uco-observable:accessedTime")),
        unallocated=parse_flag(tags.get("unallocated"), "unallocated"),
        deleted=parse_flag(tags.get("deleted"), "deleted"),
        physical_location=offset,
    )


def _records(graph: _Graph, containers: dict[str, str]) -> list[HashRecord]:
    links: dict[str, tuple[str | None, int | None]] = {}
    for rel in graph.of_type("uco-observable:ObservableRelationship"):
        if rel.get("uco-core:kindOfRelationship") != "Contained_Within":
            continue
        source = next(iter(ids(rel.get("uco-core:source"))), "")
        target = next(iter(ids(rel.get("uco-core:target"))), "")
        offset = (_facet(rel, "uco-observable:DataRangeFacet") or {}).get(
            "uco-observable:rangeOffset"
        )
        links[source] = (containers.get(target), offset if isinstance(offset, int) else None)
    notes: dict[str, dict[str, str]] = {}
    for note in graph.of_type("uco-core:Annotation"):
        for target in ids(note.get("uco-core:object")):
            notes[target] = parse_tags(note.get("uco-core:tag"))
    grouped: dict[str, dict[str, Any]] = {}
    for file in graph.of_type("uco-observable:File"):
        if file["@id"] in containers:
            continue
        content = _facet(file, "uco-observable:ContentDataFacet") or {}
        digests = facet_digests(content)
        key = digests.get("sha256") or digests.get("md5")
        if key is None:
            continue
        entry = grouped.setdefault(
            key, {"file": file, "content": content, "digests": digests, "occurrences": []}
        )
        facet = _facet(file, "uco-observable:FileFacet")
        if facet is not None:
            exhibit, offset = links.get(file["@id"], (None, None))
            entry["occurrences"].append(_occurrence(file, facet, exhibit, offset))
    records = []
    for number, entry in enumerate(grouped.values(), start=1):
        position = f"record {number}"
        tags = notes.get(entry["file"]["@id"], {})
        category = tags.get("category")
        try:
            records.append(
                HashRecord(
                    digests=entry["digests"],
                    position=position,
                    category=Category(*category.split(":", 1)) if category else None,
                    series=tags.get("series"),
                    victim_identified=parse_flag(
                        tags.get("victim-identified"), "victim-identified"
                    ),
                    offender_identified=parse_flag(
                        tags.get("offender-identified"), "offender-identified"
                    ),
                    distributed=parse_flag(tags.get("distributed"), "distributed"),
                    size=entry["content"].get("uco-observable:sizeInBytes"),
                    mime=entry["content"].get("uco-observable:mimeType"),
                    occurrences=tuple(entry["occurrences"]),
                )
            )
        except (InvalidInputError, InvalidHashError) as error:
            raise FormatError(str(error), path=str(graph.path), position=position) from None
    return records


def read_case_uco(path: Path) -> CaseDocument:
    """Read a CASE/UCO case export.

    Raises:
        FormatError: unreadable or malformed JSON, no ``@graph`` or no ``Investigation``, or a
            malformed value (naming the node).
    """
    graph = _Graph(_load(path), path)
    investigations = graph.of_type("case-investigation:Investigation")
    if not investigations:
        raise FormatError(
            "no case-investigation:Investigation node", path=str(path), position="@graph"
        )
    investigation = investigations[0]
    tags = parse_tags(investigation.get("uco-core:tag"))
    exhibits, containers = _exhibits(graph)
    records = _records(graph, containers)
    tools = graph.of_type("uco-tool:AnalyticTool")
    organizations = graph.of_type("uco-identity:Organization")
    exported = tags.get("exported-at")
    seized = [e.seized_at for e in exhibits if e.seized_at is not None]
    return CaseDocument(
        case=CaseSummary(
            case_id="-".join(str(investigation["@id"]).split("-")[-5:]),
            number=str(investigation.get("uco-core:name", "")),
            title=str(investigation.get("uco-core:description", "")),
            unit=tags.get("unit", ""),
            scheme=tags.get("scheme", ""),
            total_media_files=sum(len(r.occurrences) for r in records),
            seizure_date=min(seized) if seized else None,
        ),
        exhibits=tuple(exhibits),
        records=tuple(records),
        producer=Producer(
            application=str(tools[0].get("uco-core:name", "")) if tools else "",
            version=str(tools[0].get("uco-tool:version", "")) if tools else "",
            organization=str(organizations[0].get("uco-core:name", "")) if organizations else "",
        ),
        created_at=_time(exported, path, "exported-at") if exported else _EPOCH,
    )
