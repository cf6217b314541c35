"""One VICS ``Media`` object -> :class:`HashRecord`.

Tolerates what real writers do (../shared/FORMATS.md section 1.5): upper- or lower-case hex,
``MediaSize`` as a string (1.x, NIST) or a number (2.0), booleans as JSON booleans or strings in
any case, ``PhotoDNA`` at top level (2.0) or in ``AlternativeHashes`` (1.x), OData annotations
and unknown keys (ignored). ``IsPrecategorized`` is ignored: it can disagree with ``Category``,
which alone decides the category.

A video's vPDQ fingerprint travels as a Sentinela extension of ``AlternativeHashes``: an entry
``{"HashName": "vPDQ", "HashValue": "<vPDQ hash file text>"}`` (VICS defines no video
fingerprint; other readers skip hash names they do not know). It is read into
:attr:`HashRecord.vpdq`, normalised, with its ``vpdq`` digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sentinela.errors import FormatError, InvalidInputError
from sentinela.formats.fields import FieldError, parse_digest, parse_flag, parse_int, parse_text
from sentinela.formats.records import Category, HashRecord, Occurrence, vpdq_digest
from sentinela.formats.vics_header import VicsContext, scheme_for_code
from sentinela.hashsets.schemes import SchemeCatalogue
from sentinela.video.vpdq_format import read_vpdq, write_vpdq

_TOP_LEVEL_HASHES = (
    ("MD5", "md5"),
    ("SHA1", "sha1"),
    ("SHA256", "sha256"),
    ("PDQ", "pdq"),
    ("PhotoDNA", "photodna"),
)
_ALTERNATIVE_NAMES = {
    "md5": "md5",
    "sha1": "sha1",
    "sha-1": "sha1",
    "sha256": "sha256",
    "sha-256": "sha256",
    "pdq": "pdq",
    "photodna": "photodna",
}
VPDQ_HASH_NAME = "vPDQ"
"""The ``AlternativeHashes`` name of a video's vPDQ fingerprint (a Sentinela extension)."""


class CategoryResolver:
    """Turns raw ``Category`` values into validated categories, caching each distinct value.

    A national set holds a million records but only a handful of distinct category values, so
    scheme lookup and code validation run once per value instead of once per record.
    """

    _MAX_CACHED = 1024

    def __init__(self, context: VicsContext, catalogue: SchemeCatalogue) -> None:
        self._context = context
        self._catalogue = catalogue
        self._cache: dict[tuple[type, object], Category | None] = {}

    def __call__(self, value: object) -> Category | None:
        """Return the category of ``value`` (``None`` when not categorised).

        Raises:
            FieldError: wrong type, or a code its scheme does not define.
        """
        key = (type(value), value)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable (a list or an object): _category raises for it
            return _category(value, self._context, self._catalogue)
        category = _category(value, self._context, self._catalogue)
        if len(self._cache) < self._MAX_CACHED:
            self._cache[key] = category
        return category


def media_record(obj: object, position: str, categories: CategoryResolver) -> HashRecord:
    """Normalise one ``Media`` object.

    Raises:
        FieldError: a field has the wrong type, or the category is not in its scheme.
        InvalidHashError: a digest is malformed, or the record has none.
    """
    if not isinstance(obj, Mapping):
        raise FieldError(f"a Media record must be an object, got {type(obj).__name__}")
    digests, vpdq = _digests(obj)
    files = obj.get("MediaFiles")
    return HashRecord(
        digests=digests,
        position=position,
        category=categories(obj.get("Category")),
        series=parse_text(obj.get("Series"), "Series"),
        victim_identified=parse_flag(obj.get("VictimIdentified"), "VictimIdentified"),
        offender_identified=parse_flag(obj.get("OffenderIdentified"), "OffenderIdentified"),
        distributed=parse_flag(obj.get("IsDistributed"), "IsDistributed"),
        size=parse_int(obj.get("MediaSize"), "MediaSize"),
        mime=parse_text(obj.get("MimeType"), "MimeType"),
        name=parse_text(obj.get("Name", obj.get("FileName")), "Name"),
        source_id=parse_text(obj.get("MediaID"), "MediaID"),
        updated_at=parse_text(obj.get("DateUpdated"), "DateUpdated"),
        occurrences=_occurrences(files) if files is not None else (),
        vpdq=vpdq,
    )


def _digests(obj: Mapping[str, Any]) -> tuple[dict[str, str], str | None]:
    digests: dict[str, str] = {}
    vpdq: str | None = None
    for key, hash_type in _TOP_LEVEL_HASHES:
        value = obj.get(key)
        if value is not None and value != "":
            digests[hash_type] = parse_digest(hash_type, value, key)
    alternatives = obj.get("AlternativeHashes")
    if alternatives is None:
        return digests, vpdq
    if not isinstance(alternatives, list):
        raise FieldError("AlternativeHashes must be an array")
    for alternative in alternatives:
        if not isinstance(alternative, Mapping):
            raise FieldError("AlternativeHashes entries must be objects")
        name = parse_text(alternative.get("HashName"), "AlternativeHashes.HashName") or ""
        if name.lower() == VPDQ_HASH_NAME.lower():
            text = _vpdq_text(alternative.get("HashValue"), f"AlternativeHashes.{name}")
            if vpdq is not None and text != vpdq:
                raise FieldError("the record has two different vPDQ fingerprints")
            vpdq = text
            digests["vpdq"] = vpdq_digest(text)
            continue
        alternative_type = _ALTERNATIVE_NAMES.get(name.lower())
        alternative_value = alternative.get("HashValue")
        if alternative_type is None or alternative_value is None or alternative_value == "":
            continue
        hash_type = alternative_type
        digest = parse_digest(hash_type, alternative_value, f"AlternativeHashes.{name}")
        if digests.setdefault(hash_type, digest) != digest:
            raise FieldError(f"AlternativeHashes.{name} contradicts the record's {hash_type}")
    return digests, vpdq


def _vpdq_text(value: object, field: str) -> str:
    """The canonical text of a vPDQ fingerprint given as hash file text."""
    if not isinstance(value, str):
        raise FieldError(f"{field} must be vPDQ hash file text, got {type(value).__name__}")
    try:
        return write_vpdq(read_vpdq(value))
    except FormatError as error:
        raise FieldError(f"{field} is not a vPDQ fingerprint: {error}") from None


def _category(value: object, context: VicsContext, catalogue: SchemeCatalogue) -> Category | None:
    code: str
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        code = str(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        code = str(int(text)) if text.isascii() and text.isdigit() else text
    else:
        raise FieldError(f"Category must be an integer, got {value!r}")
    scheme = catalogue.scheme(scheme_for_code(context, code))
    if not scheme.open and not code.isdigit():
        raise FieldError(f"Category must be an integer, got {value!r}")
    try:
        scheme.validate_code(code)
    except InvalidInputError as error:
        raise FieldError(str(error)) from None
    return Category(scheme.name, code)


def _occurrences(files: object) -> tuple[Occurrence, ...]:
    if not isinstance(files, list):
        raise FieldError("MediaFiles must be an array")
    occurrences = []
    for entry in files:
        if not isinstance(entry, Mapping):
            raise FieldError("MediaFiles entries must be objects")
        occurrences.append(
            Occurrence(
                file_path=parse_text(entry.get("FilePath"), "MediaFiles.FilePath"),
                file_name=parse_text(entry.get("FileName"), "MediaFiles.FileName"),
                source_id=parse_text(entry.get("SourceID"), "MediaFiles.SourceID"),
                created=parse_text(entry.get("Created"), "MediaFiles.Created"),
                written=parse_text(entry.get("Written"), "MediaFiles.Written"),
                accessed=parse_text(entry.get("Accessed"), "MediaFiles.Accessed"),
                unallocated=parse_flag(entry.get("Unallocated"), "MediaFiles.Unallocated"),
                deleted=parse_flag(entry.get("Deleted"), "MediaFiles.Deleted"),
                physical_location=parse_int(
                    entry.get("PhysicalLocation"), "MediaFiles.PhysicalLocation"
                ),
            )
        )
    return tuple(occurrences)
