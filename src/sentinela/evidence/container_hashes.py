"""Hash an exhibit as seized: the container's own hashes and, for disk images, the media's.

The container hashes (SHA-256 and MD5) identify the exhibit exactly as it was handed over, so
that anyone can later show it has not changed. For disk images the media hashes are those of
the disk's bytes: equal to the container's for a raw image, recomputed through libewf for an
E01 and checked against the acquisition hash the imaging tool stored inside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentinela.errors import CorruptEvidenceError, UnsupportedSourceError
from sentinela.evidence.digests import CHUNK, Progress, feed, new_hashers
from sentinela.evidence.errors import MediaHashMismatchError
from sentinela.evidence.ewf_image import header_values, open_ewf, stored_hash
from sentinela.evidence.folder_manifest import folder_manifest
from sentinela.evidence.kinds import ExhibitKind, exhibit_segments
from sentinela.evidence.streams import open_readonly


@dataclass(frozen=True)
class ContainerHashes:
    """What :func:`hash_container` measured. Hex digests are lowercase.

    Attributes:
        kind: the exhibit kind hashed.
        sha256: SHA-256 of the container as seized: the file, the segment files concatenated
            in order, or for a folder the digest of its manifest (see
            :func:`~sentinela.evidence.folder_manifest.folder_manifest`).
        md5: MD5 of the same bytes.
        size: bytes hashed: the file or segments' total size, or a folder's files added up.
        segments: names of the segment files, in order (empty for a folder).
        media_md5, media_sha1, media_size: hashes and size of the disk's bytes (raw and E01
            only; for raw they equal the container's).
        acquisition_md5, acquisition_sha1: the hashes stored in an E01 when it was made.
        verified: True when the media matches every stored acquisition hash, False when it
            does not (only with ``strict=False``), None when there is nothing to check.
        headers: an E01's case metadata (case number, evidence number, examiner...).
    """

    kind: ExhibitKind
    sha256: str
    md5: str
    size: int
    segments: tuple[str, ...] = ()
    media_md5: str | None = None
    media_sha1: str | None = None
    media_size: int | None = None
    acquisition_md5: str | None = None
    acquisition_sha1: str | None = None
    verified: bool | None = None
    headers: dict[str, str] = field(default_factory=dict, hash=False)


def hash_container(
    path: Path,
    kind: str,
    progress: Progress | None = None,
    *,
    strict: bool = True,
) -> ContainerHashes:
    """Hash the exhibit at ``path``, opened read-only.

    Args:
        path: the exhibit (for split raw and E01, its first segment).
        kind: its kind, from :func:`~sentinela.evidence.kinds.detect_kind`.
        progress: called with the number of bytes just hashed, as hashing goes. For an E01
            the container is read first, then the media stream, so the calls add up to the
            segments' size plus the media size.
        strict: raise when an E01's media no longer matches its stored hash. With False the
            result carries ``verified=False`` instead (used to re-verify).

    Raises:
        UnsupportedSourceError: ``kind`` is not an exhibit kind.
        UnreadableEvidenceError: a file cannot be read.
        TruncatedImageError, CorruptEvidenceError: an E01 is truncated or damaged.
        MediaHashMismatchError: an E01's media differs from its stored hash (``strict``).
    """
    try:
        exhibit_kind = ExhibitKind(kind)
    except ValueError:
        raise UnsupportedSourceError(f"unknown exhibit kind {kind!r}") from None
    tick = progress or _ignore
    if exhibit_kind is ExhibitKind.FOLDER:
        manifest, total = folder_manifest(path, tick)
        return ContainerHashes(
            kind=exhibit_kind,
            sha256=hashlib.sha256(manifest).hexdigest(),
            md5=hashlib.md5(manifest, usedforsecurity=False).hexdigest(),
            size=total,
        )
    segments = exhibit_segments(path, exhibit_kind)
    digests, size = _hash_files(segments, ("sha256", "md5", "sha1"), tick)
    names = tuple(s.name for s in segments)
    if exhibit_kind is ExhibitKind.E01:
        return _hash_ewf(segments, digests["sha256"], digests["md5"], size, tick, strict=strict)
    media = exhibit_kind is ExhibitKind.RAW
    return ContainerHashes(
        kind=exhibit_kind,
        sha256=digests["sha256"],
        md5=digests["md5"],
        size=size,
        segments=names,
        media_md5=digests["md5"] if media else None,
        media_sha1=digests["sha1"] if media else None,
        media_size=size if media else None,
    )


def _hash_ewf(
    segments: tuple[Path, ...],
    sha256: str,
    md5: str,
    size: int,
    tick: Progress,
    *,
    strict: bool,
) -> ContainerHashes:
    with open_ewf(segments) as handle:
        media_size = int(handle.get_media_size())
        media = _hash_media(handle, media_size, tick, segments[0])
        stored = {"md5": stored_hash(handle, "MD5"), "sha1": stored_hash(handle, "SHA1")}
        headers = header_values(handle)
    checked = {alg: value == media[alg] for alg, value in stored.items() if value}
    if strict:
        for alg, ok in checked.items():
            if not ok:
                raise MediaHashMismatchError(str(segments[0]), alg, stored[alg] or "", media[alg])
    return ContainerHashes(
        kind=ExhibitKind.E01,
        sha256=sha256,
        md5=md5,
        size=size,
        segments=tuple(s.name for s in segments),
        media_md5=media["md5"],
        media_sha1=media["sha1"],
        media_size=media_size,
        acquisition_md5=stored["md5"],
        acquisition_sha1=stored["sha1"],
        verified=all(checked.values()) if checked else None,
        headers=headers,
    )


def _hash_media(handle: Any, media_size: int, tick: Progress, first: Path) -> dict[str, str]:
    hashers = new_hashers("md5", "sha1")
    offset = 0
    while offset < media_size:
        try:
            chunk = handle.read_buffer_at_offset(min(CHUNK, media_size - offset), offset)
        except OSError as exc:
            raise CorruptEvidenceError(
                f"{first}: cannot read the E01 media at byte {offset}: {exc}"
            ) from exc
        if not chunk:
            raise CorruptEvidenceError(f"{first}: E01 media ends at byte {offset} of {media_size}")
        for hasher in hashers.values():
            hasher.update(chunk)
        offset += len(chunk)
        tick(len(chunk))
    return {name: h.hexdigest() for name, h in hashers.items()}


def _hash_files(
    files: Iterable[Path], algorithms: tuple[str, ...], tick: Progress
) -> tuple[dict[str, str], int]:
    hashers = new_hashers(*algorithms)
    total = 0
    for file in files:
        with open_readonly(file) as stream:
            total += feed(stream, file, hashers.values(), tick)
    return {name: h.hexdigest() for name, h in hashers.items()}, total


def _ignore(_: int) -> None:
    return None
