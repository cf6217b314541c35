"""CASE/UCO JSON-LD node builders shared by the ``case_uco`` writer and reader.

Node shapes follow the validated sample in ../shared/testdata/case_ingest_chain_of_custody.jsonld
and CASE 1.5 (``case_validate`` from case-utils checks every export in the tests):

* every IRI ends in a UUID (``case_validate`` reports an IRI that does not as ``sh:Info`` and
  the graph then fails to conform); the UUIDs are version 5, derived from the case number and
  a stable key, so exporting the same case twice yields the same IRIs;
* ``hashMethod`` is a plain string from UCO's vocabulary (MD5, SHA1, SHA256); PDQ is not in
  that vocabulary and is left out rather than failing validation;
* facts CASE has no property for (the category, series and victim flags, the exhibit kind,
  an occurrence's deleted/unallocated flags) are ``uco-core:tag`` strings
  ``sentinela:<key>=<value>``, which the reader parses back.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

CONTEXT_PREFIXES = {
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
    "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HASH_METHODS = {"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256"}
HASH_TYPES = {method: kind for kind, method in HASH_METHODS.items()}
IMAGE_TYPES = {"e01": "EnCase", "raw": "RAW"}
TAG_PREFIX = "sentinela:"

# A fixed namespace: node IRIs are uuid5(namespace, "<case>|<kind>|<key>").
_NAMESPACE = uuid.UUID("8c0f7d5e-4a43-5b55-9f0e-3f4a2f1f6a11")


class NodeIds:
    """Deterministic node IRIs for one case."""

    def __init__(self, case_number: str) -> None:
        self._case = case_number

    def __call__(self, kind: str, key: str = "") -> str:
        """``kb:<kind>-<uuid5>`` for ``key`` inside this case."""
        return f"kb:{kind}-{uuid.uuid5(_NAMESPACE, f'{self._case}|{kind}|{key}')}"


def ref(node_id: str) -> dict[str, str]:
    """A JSON-LD reference to a node."""
    return {"@id": node_id}


def when(value: datetime | str) -> dict[str, str]:
    """A typed ``xsd:dateTime`` literal (UTC datetimes are written with ``Z``)."""
    text = value if isinstance(value, str) else value.isoformat().replace("+00:00", "Z")
    return {"@type": "xsd:dateTime", "@value": text}


def tag(key: str, value: object) -> str:
    """``sentinela:<key>=<value>`` (booleans as ``true``/``false``)."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{TAG_PREFIX}{key}={text}"


def parse_tags(tags: object) -> dict[str, str]:
    """The ``sentinela:`` tags of a node as ``{key: value}``; other tags are ignored."""
    items = tags if isinstance(tags, list) else [tags] if isinstance(tags, str) else []
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, str) and item.startswith(TAG_PREFIX) and "=" in item:
            key, _, value = item[len(TAG_PREFIX) :].partition("=")
            found[key] = value
    return found


def content_facet(
    node_ids: NodeIds, key: str, digests: dict[str, str], size: int | None, mime: str | None
) -> dict[str, Any]:
    """A ``ContentDataFacet`` with the hashes UCO's vocabulary names."""
    facet: dict[str, Any] = {
        "@id": node_ids("content-data-facet", key),
        "@type": "uco-observable:ContentDataFacet",
    }
    if mime:
        facet["uco-observable:mimeType"] = mime
    if size is not None:
        facet["uco-observable:sizeInBytes"] = size
    hashes = [
        {
            "@id": node_ids("hash", f"{key}|{kind}"),
            "@type": "uco-types:Hash",
            "uco-types:hashMethod": method,
            "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": digests[kind]},
        }
        for kind, method in HASH_METHODS.items()
        if kind in digests
    ]
    if hashes:
        facet["uco-observable:hash"] = hashes
    return facet


def facet_digests(facet: dict[str, Any]) -> dict[str, str]:
    """The digests of a ``ContentDataFacet`` (hash type -> lower-case hex)."""
    found: dict[str, str] = {}
    hashes = facet.get("uco-observable:hash", [])
    for entry in hashes if isinstance(hashes, list) else [hashes]:
        if not isinstance(entry, dict):
            continue
        kind = HASH_TYPES.get(str(entry.get("uco-types:hashMethod", "")).upper())
        value = entry.get("uco-types:hashValue")
        text = value.get("@value") if isinstance(value, dict) else value
        if kind and isinstance(text, str):
            found[kind] = text.lower()
    return found


def as_list(value: object) -> list[Any]:
    """A JSON-LD value that may be one item or a list, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def ids(value: object) -> list[str]:
    """The ``@id`` strings of a reference or list of references."""
    return [item["@id"] for item in as_list(value) if isinstance(item, dict) and "@id" in item]


def literal(value: object) -> str | None:
    """The text of a plain or typed literal."""
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None
