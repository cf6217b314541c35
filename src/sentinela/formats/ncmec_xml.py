"""NCMEC hash-sharing API v2 XML (a ``queryResult`` document of ``/v2/entries``).

``<image>`` and ``<video>`` entries become :class:`HashRecord` (``classification`` A1/A2/B1/B2
-> scheme ``industry``; ``md5``/``sha1`` fingerprints; ``pdna`` kept opaque as ``photodna``);
``<deletedImage>`` and ``<deletedVideo>`` become :class:`Deletion` keyed by the entry ``id``
(NCMEC deletions carry no fingerprint). A later entry with the same ``id`` is an update: the
import service upserts by ``source_id``.

Parsing uses ``defusedxml``'s ``iterparse`` with DTDs, entities and external references
forbidden, so a billion-laughs or external-entity document is refused with a
:class:`~sentinela.errors.FormatError`, and each entry is cleared and detached from its parent
once read, so memory stays flat however many entries the file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, ClassVar
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.base import Importer, ImportOptions, ImportStream, Item
from sentinela.formats.fields import FieldError, parse_digest, record_error, strip_bom
from sentinela.formats.records import Deletion, HashRecord, ImportMeta
from sentinela.hashsets.schemes import SchemeCatalogue, default_catalogue

_ENTRIES = {"image": "image", "video": "video"}
_DELETIONS = {"deletedImage": "image", "deletedVideo": "video"}
_FINGERPRINTS = {"md5": "md5", "sha1": "sha1", "pdna": "photodna"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_error(error: Exception, path: Path) -> FormatError:
    if isinstance(error, ParseError):
        line, column = error.position
        return FormatError(
            f"malformed XML: {error.msg}", path=str(path), position=f"line {line}, column {column}"
        )
    return FormatError(
        f"refused XML with a DTD, entity or external reference (possible XML bomb): {error!r}",
        path=str(path),
        position="document type declaration",
    )


class NcmecXmlImporter(Importer):
    """Reads NCMEC hash-sharing v2 ``queryResult`` documents."""

    name: ClassVar[str] = "ncmec_xml"
    title: ClassVar[str] = "NCMEC hash-sharing API v2 XML"

    def __init__(self, catalogue: SchemeCatalogue | None = None) -> None:
        self._catalogue = catalogue

    def sniff(self, head: bytes, filename: str) -> bool:
        """An XML document whose root is ``queryResult``."""
        text = strip_bom(head).lstrip()
        return text.startswith(b"<") and (b"<queryResult" in text or b":queryResult" in text)

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Parse up to the root element, then stream the entries.

        Raises:
            FormatError: unreadable file, malformed XML, a DTD or entity (XML bomb), or a root
                other than ``queryResult``.
        """
        try:
            handle: IO[bytes] = path.open("rb")
        except OSError as error:
            raise FormatError(
                f"cannot read file: {error.strerror or error}", path=str(path)
            ) from None
        events = iterparse(handle, events=("start", "end"), forbid_dtd=True)
        try:
            _, root = next(events)
        except (ParseError, DefusedXmlException) as error:
            handle.close()
            raise _xml_error(error, path) from None
        if _local(root.tag) != "queryResult":
            handle.close()
            raise FormatError(
                f"root element is {_local(root.tag)!r}, not 'queryResult'", path=str(path)
            )
        meta = ImportMeta(format=self.name, path=str(path), version="v2", scheme="industry")
        catalogue = self._catalogue or default_catalogue()
        return ImportStream(meta, _entries(events, root, path, catalogue), handle.close)


def _entries(
    events: Iterator[tuple[str, Any]], root: Element, path: Path, catalogue: SchemeCatalogue
) -> Iterator[Item]:
    stack: list[Element] = [root]
    count = 0
    try:
        for event, element in events:
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            tag = _local(element.tag)
            if tag not in _ENTRIES and tag not in _DELETIONS:
                continue
            count += 1
            position = f"entry {count}"
            try:
                yield _entry(element, tag, position, catalogue)
            except (InvalidInputError, InvalidHashError) as error:
                raise record_error(error, path, position) from None
            element.clear()
            if stack:
                stack[-1].remove(element)
    except (ParseError, DefusedXmlException) as error:
        raise _xml_error(error, path) from None


def _text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _entry(element: Element, tag: str, position: str, catalogue: SchemeCatalogue) -> Item:
    source_id = _text(element, "id")
    if tag in _DELETIONS:
        if source_id is None:
            raise FieldError(f"{tag} without an id")
        return Deletion(digests={}, reason=f"NCMEC {tag}", position=position, source_id=source_id)
    digests: dict[str, str] = {}
    for child in element:
        if _local(child.tag) != "fingerprints":
            continue
        for fingerprint in child:
            hash_type = _FINGERPRINTS.get(_local(fingerprint.tag))
            value = (fingerprint.text or "").strip()
            if hash_type is not None and value:
                digests[hash_type] = parse_digest(hash_type, value, _local(fingerprint.tag))
    if not digests:
        raise FieldError(f"{tag} {source_id!r} has no md5, sha1 or pdna fingerprint")
    classification = _text(element, "classification")
    category = None
    if classification is not None:
        category = catalogue.scheme("industry").category(classification.upper())
    return HashRecord(
        digests=digests,
        position=position,
        category=category,
        media_type=_ENTRIES[tag],
        source_id=source_id,
        updated_at=_text(element, "timestamp"),
    )
