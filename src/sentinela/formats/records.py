"""Normalised records that every importer yields, whatever the file format.

Every external format disagrees on hex case, booleans ("true", "True", "Y", JSON ``true``),
numbers written as strings and which hashes it carries. Importers translate all of that into
these few frozen dataclasses so that the hash-set import service (and later the exporters)
deal with one shape only:

* :class:`HashRecord`: one known item (digests, category, series, flags, occurrences);
* :class:`Deletion`: a source says an earlier entry is withdrawn;
* :class:`ImportMeta`: what the file says about itself (format, version, scheme, case).

Digests are kept as lower-case hex strings keyed by hash type name. PhotoDNA is licensed and
its encoding varies (base64 or hex), so it is kept opaque: stripped, never interpreted. A known
video's vPDQ fingerprint is far too long for a digest column: a record carries its canonical
text in :attr:`HashRecord.vpdq` and, as the ``vpdq`` digest, the SHA-256 of that text (what
``known_hashes`` stores for it; see ``docs/video.md``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sentinela.errors import InvalidHashError, InvalidInputError
from sentinela.hashsets.schemes import Category

__all__ = [
    "HASH_HEX_LENGTHS",
    "OPAQUE_HASH_TYPES",
    "CaseInfo",
    "Category",
    "Deletion",
    "HashRecord",
    "ImportMeta",
    "Occurrence",
    "normalise_digest",
    "vpdq_digest",
]

HASH_HEX_LENGTHS: Mapping[str, int] = {
    "md5": 32,
    "sha1": 40,
    "sha256": 64,
    "pdq": 64,
    "vpdq": 64,
}
"""Hex length of every hash type whose digest Sentinela validates (``vpdq``: see
:func:`vpdq_digest`)."""

OPAQUE_HASH_TYPES = frozenset({"photodna"})
"""Hash types kept as given (stripped), without validation."""

_HEX = re.compile(r"[0-9a-f]+")


def normalise_digest(hash_type: str, value: str) -> str:
    """Return ``value`` as the canonical digest string for ``hash_type``.

    Hex digests are stripped and lower-cased, then checked for length and alphabet; opaque
    types are only stripped.

    Raises:
        InvalidHashError: unknown hash type, non-string value, wrong length or non-hex digits.
    """
    if not isinstance(value, str):
        raise InvalidHashError(f"{hash_type} digest must be a string, got {type(value).__name__}")
    text = value.strip()
    if hash_type in OPAQUE_HASH_TYPES:
        if not text:
            raise InvalidHashError(f"empty {hash_type} value")
        return text
    length = HASH_HEX_LENGTHS.get(hash_type)
    if length is None:
        raise InvalidHashError(f"unknown hash type {hash_type!r}")
    text = text.lower()
    if len(text) != length:
        raise InvalidHashError(
            f"{hash_type} digest must be {length} hex digits, got {len(text)}: {text[:80]!r}"
        )
    if not _HEX.fullmatch(text):
        raise InvalidHashError(f"{hash_type} digest is not hexadecimal: {text[:80]!r}")
    return text


def vpdq_digest(text: str) -> str:
    """The ``vpdq`` digest of a canonical vPDQ hash file text: the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode()).hexdigest()


def _is_canonical(hash_type: str, value: object) -> bool:
    if not isinstance(value, str):
        return False
    if hash_type in OPAQUE_HASH_TYPES:
        return bool(value) and value == value.strip()
    length = HASH_HEX_LENGTHS.get(hash_type)
    return length == len(value) and _HEX.fullmatch(value) is not None


def _check_digests(digests: Mapping[str, str], *, allow_empty: bool) -> dict[str, str]:
    """Copy ``digests`` after checking every value is already canonical (cheap: no rewriting)."""
    if not digests and not allow_empty:
        raise InvalidHashError("a record needs at least one digest")
    for hash_type, value in digests.items():
        if not _is_canonical(hash_type, value):
            raise InvalidHashError(f"{hash_type} digest is not canonical: {str(value)[:80]!r}")
    return dict(digests)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a case export saw the content (a VICS ``MediaFiles`` entry).

    Times are kept as the strings the file gives: their formats vary by tool and the DB layer
    decides how to parse them.
    """

    file_path: str | None = None
    file_name: str | None = None
    source_id: str | None = None
    created: str | None = None
    written: str | None = None
    accessed: str | None = None
    unallocated: bool | None = None
    deleted: bool | None = None
    physical_location: int | None = None


@dataclass(frozen=True, slots=True)
class HashRecord:
    """One known item from a hash set or case export.

    Attributes:
        digests: hash type name -> canonical digest (see :func:`normalise_digest`); at least one.
        position: where the record is in its file ("record 17", "line 42"), for messages.
        category: the category as the source gave it, or ``None`` when not categorised.
        series: series name; empty strings become ``None``.
        victim_identified, offender_identified, baseline, distributed: ``None`` = unknown.
        size: content size in bytes.
        mime: MIME type, when the source gives one.
        media_type: "image" or "video", when the source says.
        name: a file name the source gives for the content.
        source_id: the record's id inside the source (VICS MediaID, NCMEC id, ICSE Image ID).
        updated_at: when the source last changed the record (string as given).
        pdq_quality: PDQ quality (0-100) when the source gives it.
        occurrences: for case exports, each place the content was found.
        vpdq: a video's vPDQ fingerprint, as canonical hash file text
            (:func:`sentinela.video.write_vpdq`); when given, ``digests["vpdq"]`` must be its
            :func:`vpdq_digest`, and a ``vpdq`` digest needs the text.
    """

    digests: dict[str, str] = field(hash=False)
    position: str
    category: Category | None = None
    series: str | None = None
    victim_identified: bool | None = None
    offender_identified: bool | None = None
    baseline: bool | None = None
    distributed: bool | None = None
    size: int | None = None
    mime: str | None = None
    media_type: str | None = None
    name: str | None = None
    source_id: str | None = None
    updated_at: str | None = None
    pdq_quality: int | None = None
    occurrences: tuple[Occurrence, ...] = ()
    vpdq: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "digests", _check_digests(self.digests, allow_empty=False))
        if self.vpdq is not None or "vpdq" in self.digests:
            if self.vpdq is None or self.digests.get("vpdq") != vpdq_digest(self.vpdq):
                raise InvalidHashError("a vpdq digest must be the SHA-256 of the record's vpdq")
        size = self.size
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            raise InvalidInputError(f"size must be a non-negative int, got {self.size!r}")


@dataclass(frozen=True, slots=True)
class Deletion:
    """A source withdraws an entry: match it by digest, or by its ``source_id``.

    NCMEC deletions carry only the entry id, so ``digests`` may be empty when ``source_id``
    is given.
    """

    digests: dict[str, str] = field(hash=False)
    reason: str
    position: str
    source_id: str | None = None

    def __post_init__(self) -> None:
        if not self.digests and not self.source_id:
            raise InvalidHashError("a deletion needs a digest or a source id")
        object.__setattr__(self, "digests", _check_digests(self.digests, allow_empty=True))


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """Case-level metadata of a VICS ``#Cases`` export."""

    case_id: str | None = None
    case_number: str | None = None
    contact_organization: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    seizure_date: str | None = None
    total_media_files: int | None = None
    source_application_name: str | None = None
    source_application_version: str | None = None


@dataclass(frozen=True, slots=True)
class ImportMeta:
    """What a file says about itself, available before the first record.

    Attributes:
        format: the importer's registry name ("vics", "nsrl_rdsv3", ...).
        path: the file read.
        version: the format or release version the file declares ("2.0", "1.2", an RDS
            version), if any.
        scheme: the category scheme of the records, if the whole file has one.
        entity: "Media" for hash sets, "Cases" for case exports, ``None`` when not applicable.
        region: the VICS region ("Default", "US", "UK", "CUSTOM"), if any.
        cases: case metadata of a VICS ``#Cases`` export, in file order.
        source_application: the application that wrote the file, if it says.
    """

    format: str
    path: str
    version: str | None = None
    scheme: str | None = None
    entity: str | None = None
    region: str | None = None
    cases: tuple[CaseInfo, ...] = ()
    source_application: str | None = None

    @property
    def case(self) -> CaseInfo | None:
        """The first case of a ``#Cases`` export, or ``None``."""
        return self.cases[0] if self.cases else None
