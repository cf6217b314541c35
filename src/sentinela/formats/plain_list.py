"""Plain hash lists: md5sum/sha1sum/sha256sum output, bare hex, or PDQ hex per line.

Accepted lines (blank lines and ``#`` comments are skipped):

* ``<hex>  <name>`` or ``<hex> *<name>`` (GNU coreutils, text or binary mode; a leading ``\\``
  marks an escaped name, as coreutils writes it);
* ``MD5 (<name>) = <hex>`` (BSD / ``--tag`` style; also ``SHA1`` and ``SHA256``);
* ``<hex>`` alone;
* ``<pdq hex>,<quality>`` (a PDQ hash with its quality, 0-100).

The hash type comes from the digest length: 32 hex digits are MD5, 40 are SHA-1. 64 is
ambiguous (SHA-256 or PDQ), so:

* with :attr:`ImportOptions.hash_type` set, every line must be of that type (a PDQ of the
  wrong length is then an error, not a silent MD5);
* without it, a 64-digit line that names a file (md5sum style) is SHA-256, a line with a
  quality is PDQ, and a bare 64-digit line is refused with a message asking for
  ``hash_type="pdq"`` or ``"sha256"``.

Plain lists carry no category: the hash set's scheme and code are the caller's to give.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, ClassVar

from sentinela.errors import FormatError, InvalidHashError, InvalidInputError
from sentinela.formats.base import Importer, ImportOptions, ImportStream, Item
from sentinela.formats.fields import FieldError, parse_digest, parse_int, record_error, strip_bom
from sentinela.formats.records import HashRecord, ImportMeta

HASH_TYPES = ("md5", "sha1", "sha256", "pdq")
_BY_LENGTH = {32: "md5", 40: "sha1"}
_GNU = re.compile(r"(?P<digest>[^\s,]+)(?:[ \t]+\*?(?P<name>.+)|,[ \t]*(?P<quality>\S*))?")
_BSD = re.compile(r"(?P<tag>MD5|SHA1|SHA256) \((?P<name>.*)\) = (?P<digest>\S+)")
_HEX_LINE = re.compile(rb"\\?(?P<digest>[0-9a-fA-F]+)(?:[ \t]+\*?\S.*|,[ \t]*\d{1,3})?")
_BSD_LINE = re.compile(rb"(?:MD5|SHA1|SHA256) \(.*\) = (?P<digest>[0-9a-fA-F]+)")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPE = {"\\": "\\", "n": "\n", "r": "\r"}
_SNIFF_LENGTHS = frozenset({32, 40, 64})
_MAX_QUALITY = 100


class PlainListImporter(Importer):
    """Reads md5sum-style lists and PDQ lists."""

    name: ClassVar[str] = "plain_list"
    title: ClassVar[str] = "Plain hash list (md5sum/sha1sum/sha256sum output, PDQ per line)"

    def sniff(self, head: bytes, filename: str) -> bool:
        """The first non-comment line is a 32/40/64-digit hex digest, alone or with a name."""
        for line in strip_bom(head).split(b"\n")[:5]:
            text = line.strip(b"\r")
            if not text.strip() or text.startswith(b"#"):
                continue
            match = _HEX_LINE.fullmatch(text) or _BSD_LINE.fullmatch(text)
            return match is not None and len(match.group("digest")) in _SNIFF_LENGTHS
        return False

    def open(self, path: Path, options: ImportOptions | None = None) -> ImportStream:
        """Open ``path`` and stream one record per line.

        Raises:
            InvalidInputError: ``options.hash_type`` is not md5, sha1, sha256 or pdq.
            FormatError: the file cannot be read.
        """
        hash_type = (options or ImportOptions()).hash_type
        if hash_type is not None and hash_type not in HASH_TYPES:
            raise InvalidInputError(
                f"hash_type must be one of {', '.join(HASH_TYPES)}, got {hash_type!r}"
            )
        try:
            handle = path.open("r", encoding="utf-8-sig", errors="replace")
        except OSError as error:
            raise FormatError(
                f"cannot read file: {error.strerror or error}", path=str(path)
            ) from None
        meta = ImportMeta(format=self.name, path=str(path))
        return ImportStream(meta, _records(handle, path, hash_type), handle.close)


def _records(handle: IO[str], path: Path, forced: str | None) -> Iterator[Item]:
    for number, raw in enumerate(handle, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        position = f"line {number}"
        try:
            yield _record(line.strip(), position, forced)
        except (InvalidInputError, InvalidHashError) as error:
            raise record_error(error, path, position) from None


def _record(line: str, position: str, forced: str | None) -> HashRecord:
    escaped = line.startswith("\\")
    if escaped:
        line = line[1:]
    bsd = _BSD.fullmatch(line)
    match = bsd or _GNU.fullmatch(line)
    if match is None:
        raise FieldError(f"not a hash list line: {line[:80]!r}")
    digest, name = match.group("digest"), match.group("name")
    quality = None if bsd else match.group("quality")
    if escaped and name:
        name = _ESCAPE.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(0)), name)
    hash_type = forced or _hash_type(digest, name, quality, bsd.group("tag") if bsd else None)
    if quality is not None and hash_type != "pdq":
        raise FieldError(f"a quality is only valid for PDQ, not {hash_type}")
    pdq_quality = parse_int(quality, "quality") if quality is not None else None
    if pdq_quality is not None and pdq_quality > _MAX_QUALITY:
        raise FieldError(f"PDQ quality must be 0-{_MAX_QUALITY}, got {pdq_quality}")
    return HashRecord(
        digests={hash_type: parse_digest(hash_type, digest, hash_type)},
        position=position,
        name=(name.strip() or None) if name else None,
        pdq_quality=pdq_quality,
    )


def _hash_type(digest: str, name: str | None, quality: str | None, tag: str | None) -> str:
    if tag is not None:
        return tag.lower()
    if quality is not None:
        return "pdq"
    length = len(digest)
    if length in _BY_LENGTH:
        return _BY_LENGTH[length]
    if length == 64:
        if name:
            return "sha256"
        raise FieldError(
            "a bare 64-digit hash may be SHA-256 or PDQ: import with hash_type 'sha256' or 'pdq'"
        )
    raise FieldError(
        f"cannot tell the hash type of a {length}-character digest "
        "(expected 32, 40 or 64 hex digits)"
    )
