"""Rendering shared by the VICS exporters: context strings, Media objects, streamed arrays.

What the writers emit follows ../shared/FORMATS.md section 1 and what the public readers
accept (IPED compares the context string exactly, so only the canonical strings are written):

* hex digests in upper case, as VICS and NIST sets do;
* flags as the strings ``"true"``/``"false"`` (both versions; readers accept them), omitted
  when unknown;
* ``MediaSize`` as a number in 2.0 and a string in 1.x;
* SHA-256 and PDQ in ``AlternativeHashes`` (readers ignore names they do not know), PhotoDNA at
  top level in 2.0 and in ``AlternativeHashes`` in 1.x;
* a video's vPDQ fingerprint (its hash file text) in ``AlternativeHashes`` as ``vPDQ``, a
  Sentinela extension (VICS has no video fingerprint; see ``docs/exchange.md``);
* ``RelativeFilePath`` only when the media file itself is shipped (an authorised content
  export), with Windows separators.

Scheme -> region: ``project_vic_us`` -> ``US``, ``uk_caid`` -> ``UK``, ``vics_custom`` ->
``CUSTOM``. Other schemes (UK A/B/C grades, industry classes, the INTERPOL flag) have no VICS
region: exporting them would make the reader relabel every record, so it is refused.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from sentinela.formats.export_base import ExportRefusedError
from sentinela.formats.records import HashRecord, Occurrence
from sentinela.formats.vics_media import VPDQ_HASH_NAME

V2_CONTEXT = (
    "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{region}/$metadata#{entity}"
)
V1_CONTEXT = "http://github.com/ICMEC/ProjectVic/DataModels/{version}.xml#{entity}"
V1_VERSIONS = ("1.1", "1.2", "1.3")
REGIONS = {"project_vic_us": "US", "uk_caid": "UK", "vics_custom": "CUSTOM"}
V1_SCHEMES = frozenset({"project_vic_us", "nist_caid"})
_ALTERNATIVES_V2 = (("sha256", "SHA256"), ("pdq", "PDQ"), ("vpdq", VPDQ_HASH_NAME))
_ALTERNATIVES_V1 = (
    ("sha256", "SHA256"),
    ("pdq", "PDQ"),
    ("photodna", "PhotoDNA"),
    ("vpdq", VPDQ_HASH_NAME),
)


def region_for(scheme: str) -> str:
    """The VICS 2.0 region of ``scheme``.

    Raises:
        ExportRefusedError: the scheme has no VICS region.
    """
    region = REGIONS.get(scheme)
    if region is None:
        known = ", ".join(sorted(REGIONS))
        raise ExportRefusedError(
            f"category scheme {scheme!r} cannot be written as VICS 2.0 (schemes with a VICS"
            f" region: {known}); export through a destination with a reviewed mapping"
        )
    return region


def check_v1_version(version: str) -> str:
    """Return ``version`` if it is a VICS 1.x version this writer knows.

    Raises:
        ExportRefusedError: any other version.
    """
    if version not in V1_VERSIONS:
        raise ExportRefusedError(
            f"VICS version {version!r} is not supported (1.x versions: {', '.join(V1_VERSIONS)};"
            " 2.0 has its own exporters)"
        )
    return version


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _media_id(record: HashRecord, index: int) -> int | str:
    source = record.source_id
    if source is None:
        return index
    return int(source) if source.isascii() and source.isdigit() else source


def _category(record: HashRecord, scheme: str) -> int | str | None:
    category = record.category
    if category is None:
        return None
    if category.scheme != scheme and not (scheme == "project_vic_us" and _is_nist(record)):
        raise ExportRefusedError(
            f"{record.position}: category {category} is not in the export's scheme {scheme!r}"
        )
    code = category.code
    return int(code) if code.isascii() and code.isdigit() else code


def _is_nist(record: HashRecord) -> bool:
    return record.category is not None and record.category.scheme == "nist_caid"


def media_object(
    record: HashRecord,
    index: int,
    *,
    scheme: str,
    v1: bool,
    relative_path: str | None = None,
) -> dict[str, Any]:
    """Render one record as a VICS ``Media`` object (2.0, or 1.x when ``v1``).

    Raises:
        ExportRefusedError: no MD5, or a category outside ``scheme``.
    """
    md5 = record.digests.get("md5")
    if md5 is None:
        raise ExportRefusedError(f"{record.position}: VICS records are keyed by MD5; none given")
    upper_md5 = md5.upper()
    obj: dict[str, Any] = {}
    if v1:
        obj["odata.id"] = f'Media("{md5}")'
    obj["MediaID"] = _media_id(record, index)
    category = _category(record, scheme)
    if category is not None:
        obj["Category"] = category
    obj["MD5"] = upper_md5
    if "sha1" in record.digests:
        obj["SHA1"] = record.digests["sha1"].upper()
    if not v1 and "photodna" in record.digests:
        obj["PhotoDNA"] = record.digests["photodna"]
    if record.size is not None:
        obj["MediaSize"] = str(record.size) if v1 else record.size
    optional = {
        "MimeType": record.mime,
        "Name": record.name,
        "Series": record.series,
        "DateUpdated": record.updated_at,
        "VictimIdentified": _flag(record.victim_identified),
        "OffenderIdentified": _flag(record.offender_identified),
        "IsDistributed": _flag(record.distributed),
        "RelativeFilePath": relative_path,
    }
    obj.update({key: value for key, value in optional.items() if value is not None})
    alternatives = [
        {"HashName": label, "HashValue": _alternative_value(record, kind)}
        | ({"MD5": upper_md5} if v1 else {})
        for kind, label in (_ALTERNATIVES_V1 if v1 else _ALTERNATIVES_V2)
        if kind in record.digests
    ]
    if alternatives:
        obj["AlternativeHashes"] = alternatives
    if record.occurrences:
        if v1:
            obj["MediaFiles@odata.navigationLinkUrl"] = f"/Media({md5})/MediaFiles"
        obj["MediaFiles"] = [media_file(o, upper_md5) for o in record.occurrences]
    return obj


def _alternative_value(record: HashRecord, kind: str) -> str:
    if kind == "vpdq" and record.vpdq is not None:
        return record.vpdq
    value = record.digests[kind]
    return value.upper() if kind == "sha256" else value


def media_file(occurrence: Occurrence, upper_md5: str) -> dict[str, Any]:
    """Render one occurrence as a VICS ``MediaFiles`` entry."""
    fields: dict[str, Any] = {
        "MD5": upper_md5,
        "FileName": occurrence.file_name,
        "FilePath": occurrence.file_path,
        "Created": occurrence.created,
        "Written": occurrence.written,
        "Accessed": occurrence.accessed,
        "Unallocated": _flag(occurrence.unallocated),
        "Deleted": _flag(occurrence.deleted),
        "SourceID": occurrence.source_id,
        "PhysicalLocation": occurrence.physical_location,
    }
    return {key: value for key, value in fields.items() if value is not None}


def content_relpath(record: HashRecord) -> str:
    """Where a content export puts the record's file: ``Files\\B7\\C7\\<MD5>.<ext>``.

    Raises:
        ExportRefusedError: the record has no MD5.
    """
    md5 = record.digests.get("md5")
    if md5 is None:
        raise ExportRefusedError(f"{record.position}: VICS records are keyed by MD5; none given")
    upper = md5.upper()
    extension = (mimetypes.guess_extension(record.mime or "", strict=False) or ".bin").lstrip(".")
    return "\\".join(("Files", upper[:2], upper[2:4], f"{upper}.{extension}"))


def dump(obj: object) -> bytes:
    """Compact UTF-8 JSON of ``obj`` (non-ASCII kept as is)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_array(out: BinaryIO, objects: Iterable[dict[str, Any]]) -> int:
    """Write ``[obj,\\nobj...]`` one object at a time; return how many were written."""
    out.write(b"[")
    count = 0
    for count, obj in enumerate(objects, start=1):
        out.write(b"\n" if count == 1 else b",\n")
        out.write(dump(obj))
    out.write(b"\n]" if count else b"]")
    return count


def media_objects(
    records: Iterable[HashRecord],
    *,
    scheme: str,
    v1: bool,
    content_paths: dict[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Render ``records`` lazily as Media objects (see :func:`media_object`)."""
    paths = content_paths or {}
    for index, record in enumerate(records, start=1):
        key = record.digests.get("sha256") or record.digests.get("md5", "")
        yield media_object(record, index, scheme=scheme, v1=v1, relative_path=paths.get(key))
