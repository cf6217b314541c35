"""Hash one file: the single code path behind ingest workers and ``sentinela hash``.

The stream is read once, in 1 MiB chunks. Every chunk feeds MD5, SHA-1 and SHA-256; the
first one also decides the content type. When the content is a decodable image (and not
larger than :attr:`ImageLimits.max_in_memory_bytes`) the chunks are also kept in memory, and
after the last read one decode yields the PDQ hash and quality, the dimensions, the EXIF
metadata and the thumbnail. Nothing is written to disk.

A file whose image part fails (corrupt, truncated, a decompression bomb) still gets its
cryptographic hashes: the result carries ``error`` and ``error_kind`` instead of raising, so
an ingest run records the problem against the occurrence and goes on.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Final

from sentinela.errors import (
    DecompressionBombError,
    EvidenceError,
    FormatError,
    UnsupportedMediaError,
)
from sentinela.hashing.digests import CHUNK_SIZE, DigestAccumulator
from sentinela.hashing.filetype import HEAD_BYTES, detect, extension_mismatch
from sentinela.hashing.images import ImageLimits, decode_image, open_image, pdq_from_decoded
from sentinela.hashing.metadata import ImageMetadata, extract_metadata
from sentinela.hashing.thumbnail import make_thumbnail

#: MIME types whose PDQ Sentinela computes (those :mod:`sentinela.hashing.images` decodes).
PDQ_MIME_TYPES: Final = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/bmp",
        "image/webp",
        "image/tiff",
        "image/heic",
        "image/heif",
        "image/avif",
    }
)
#: Version of the :meth:`FileHashResult.to_dict` layout (``sentinela hash --json``).
RESULT_FORMAT_VERSION: Final = 1


class HashErrorKind(StrEnum):
    """Why part of a file's hashing did not happen. The values are persisted."""

    EMPTY = "empty"
    CORRUPT_IMAGE = "corrupt_image"
    DECOMPRESSION_BOMB = "decompression_bomb"
    IMAGE_TOO_LARGE = "image_too_large"


@dataclass(frozen=True, slots=True)
class FileHashResult:
    """Everything hashing learns about one file, as plain values.

    It crosses process boundaries (ingest workers to the driver) and is printed by
    ``sentinela hash --json``, hence :meth:`to_dict` / :meth:`from_dict`.

    Attributes:
        name: the name or path the caller gave (inside the exhibit for ingest).
        size: bytes read.
        md5: lower-case hex; likewise ``sha1`` and ``sha256``.
        mime: content type detected from magic bytes; ``family`` is its coarse class.
        extension_mismatch: the name's extension disagrees with the content.
        pdq: PDQ hex for decodable images (JPEG drafted, see ``docs/hashing.md``).
        pdq_quality: PDQ quality 0-100.
        pdq_method: how the hashed pixels were decoded (:attr:`PdqResult.method`).
        width: declared image width; ``height`` likewise.
        metadata: EXIF fields, for images whose header parsed.
        thumbnail: JPEG thumbnail bytes (media content: the caller must encrypt it).
        error: what went wrong with the image part, for people.
        error_kind: a :class:`HashErrorKind` value, for programs.
    """

    name: str
    size: int
    md5: str
    sha1: str
    sha256: str
    mime: str
    family: str
    extension_mismatch: bool
    pdq: str | None = None
    pdq_quality: int | None = None
    pdq_method: str | None = None
    width: int | None = None
    height: int | None = None
    metadata: ImageMetadata | None = None
    thumbnail: bytes | None = field(default=None, repr=False)
    error: str | None = None
    error_kind: str | None = None

    def to_dict(self, *, include_thumbnail: bool = False) -> dict[str, Any]:
        """JSON-able form.

        The thumbnail is media content, so it is left out unless asked for; when included
        it is base64 text under ``thumbnail_b64``. ``format_version`` names the layout.
        """
        data: dict[str, Any] = {"format_version": RESULT_FORMAT_VERSION}
        for f in fields(self):
            if f.name != "thumbnail":
                data[f.name] = getattr(self, f.name)
        data["metadata"] = self.metadata.to_dict() if self.metadata is not None else None
        if include_thumbnail:
            thumb = self.thumbnail
            data["thumbnail_b64"] = base64.b64encode(thumb).decode() if thumb else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileHashResult:
        """Inverse of :meth:`to_dict`.

        Raises:
            FormatError: another layout version, or a required key is missing.
        """
        version = data.get("format_version", RESULT_FORMAT_VERSION)
        if version != RESULT_FORMAT_VERSION:
            raise FormatError(f"unsupported file hash result format_version {version!r}")
        known = {f.name for f in fields(cls)} - {"thumbnail", "metadata"}
        values = {k: v for k, v in data.items() if k in known}
        metadata = data.get("metadata")
        thumb = data.get("thumbnail_b64")
        try:
            return cls(
                **values,
                metadata=ImageMetadata.from_dict(metadata) if metadata is not None else None,
                thumbnail=base64.b64decode(thumb) if thumb else None,
            )
        except TypeError as exc:
            raise FormatError(f"malformed file hash result: {exc}") from exc


def hash_file(
    stream: BinaryIO,
    name: str,
    *,
    limits: ImageLimits | None = None,
    want_thumbnail: bool = True,
    chunk_sink: Callable[[bytes], None] | None = None,
) -> FileHashResult:
    """Hash a file's content read once from ``stream``.

    Args:
        stream: binary stream at the start of the content; read to its end, not closed.
        name: the file's name or path, used for the extension check and kept in the result.
        limits: image decoding limits; defaults apply when None.
        want_thumbnail: build a thumbnail for decodable images.
        chunk_sink: called with every chunk as it is read (e.g. to encrypt into the vault in
            the same pass).

    Returns:
        The result; image problems are reported in ``error``/``error_kind``, not raised.

    Raises:
        EvidenceError: the stream cannot be read.
        ConfigurationError: Pillow's ``LOAD_TRUNCATED_IMAGES`` was switched on in this process.
    """
    limits = limits or ImageLimits()
    digests = DigestAccumulator()
    try:
        first = _read_at_least(stream, CHUNK_SIZE)
        ftype = detect(first[:HEAD_BYTES])
        keep: list[bytes] | None = [] if ftype.mime in PDQ_MIME_TYPES else None
        kept = 0
        chunk = first
        while chunk:
            digests.update(chunk)
            if chunk_sink is not None:
                chunk_sink(chunk)
            if keep is not None:
                kept += len(chunk)
                keep = keep if kept <= limits.max_in_memory_bytes else None
                if keep is not None:
                    keep.append(chunk)
            chunk = stream.read(CHUNK_SIZE)
    except OSError as exc:
        raise EvidenceError(f"cannot read {name}: {exc}") from exc
    done = digests.finish()
    result = FileHashResult(
        name=name,
        size=done.size,
        md5=done.md5,
        sha1=done.sha1,
        sha256=done.sha256,
        mime=ftype.mime,
        family=ftype.family,
        extension_mismatch=extension_mismatch(name, ftype),
    )
    if done.size == 0:
        return replace(result, error="zero-byte file", error_kind=HashErrorKind.EMPTY.value)
    if ftype.mime not in PDQ_MIME_TYPES:
        return result
    if keep is None:
        return replace(
            result,
            error=f"image of {done.size} bytes is above the in-memory limit of "
            f"{limits.max_in_memory_bytes}; PDQ not computed",
            error_kind=HashErrorKind.IMAGE_TOO_LARGE.value,
        )
    return _add_image_fields(result, b"".join(keep), limits, want_thumbnail)


def _add_image_fields(
    result: FileHashResult, data: bytes, limits: ImageLimits, want_thumbnail: bool
) -> FileHashResult:
    """PDQ, dimensions, metadata and thumbnail from one decode; failures become errors."""
    try:
        source = open_image(data, limits=limits)
    except DecompressionBombError as exc:
        return replace(result, error=str(exc), error_kind=HashErrorKind.DECOMPRESSION_BOMB.value)
    except UnsupportedMediaError as exc:
        return replace(result, error=str(exc), error_kind=HashErrorKind.CORRUPT_IMAGE.value)
    width, height = source.size
    # EXIF is read from the header first, so a truncated photo still yields its camera.
    result = replace(result, width=width, height=height, metadata=extract_metadata(source))
    try:
        decoded = decode_image(data, limits=limits, draft=True, opened=source)
    except DecompressionBombError as exc:
        return replace(result, error=str(exc), error_kind=HashErrorKind.DECOMPRESSION_BOMB.value)
    except UnsupportedMediaError as exc:
        return replace(result, error=str(exc), error_kind=HashErrorKind.CORRUPT_IMAGE.value)
    pdq = pdq_from_decoded(decoded)
    thumbnail = make_thumbnail(decoded.pixels) if want_thumbnail else None
    return replace(
        result, pdq=pdq.hash, pdq_quality=pdq.quality, pdq_method=pdq.method, thumbnail=thumbnail
    )


def hash_path(
    path: Path, *, limits: ImageLimits | None = None, want_thumbnail: bool = True
) -> FileHashResult:
    """Hash a file on disk, opened read-only. The result's ``name`` is ``str(path)``.

    Raises:
        EvidenceError: the file cannot be opened or read.
    """
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise EvidenceError(f"cannot open {path}: {exc}") from exc
    with stream:
        return hash_file(stream, str(path), limits=limits, want_thumbnail=want_thumbnail)


def _read_at_least(stream: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, or up to the end: a raw stream may return short reads."""
    data = stream.read(size)
    if len(data) >= size or not data:
        return data
    parts = [data]
    total = len(data)
    while total < size and (more := stream.read(size - total)):
        parts.append(more)
        total += len(more)
    return b"".join(parts)
