"""Turn worker results and walk failures into rows of a batch.

Everything that reaches a row is made storable first: seized data is hostile, and a NUL in
an archive member's name or a 10 kB EXIF ``Software`` field would otherwise make PostgreSQL
refuse the whole batch. Text is kept as found except for NUL and unpaired surrogates (shown
as backslash escapes) and length (cut to the column's size).
"""

from __future__ import annotations

from typing import Any, Final

from sentinela.evidence.entries import Entry
from sentinela.ingest.batch import Batch

#: FileHashResult metadata keys -> (MediaMetadata column, its length or None for numbers).
_META_COLUMNS: Final[dict[str, tuple[str, int | None]]] = {
    "make": ("camera_make", 200),
    "model": ("camera_model", 200),
    "serial_number": ("camera_serial", 200),
    "datetime_original": ("taken_at", 64),
    "gps_latitude": ("gps_lat", None),
    "gps_longitude": ("gps_lon", None),
    "gps_altitude": ("gps_alt", None),
    "software": ("software", 300),
}
#: Longest error message kept.
MESSAGE_CHARS: Final = 2000


def storable(text: str, limit: int | None = None) -> str:
    """``text`` as every supported database accepts it (no NUL, valid UTF-8), cut to
    ``limit`` characters."""
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if limit is None else text[:limit]


def error_row(path: str, key: str, code: str, message: str) -> dict[str, Any]:
    """An ``entry_errors`` row (without exhibit, job and time, which the batch adds)."""
    return {
        "path": storable(path),
        "path_key": key,
        "code": storable(str(code), 64),
        "message": storable(message, MESSAGE_CHARS),
    }


def add_result(batch: Batch, key: str, entry: Entry, result: dict[str, Any]) -> None:
    """Add the rows for ``entry`` (occurrence key ``key``) given its worker ``result``.

    A file that could not be hashed gives one error row. A file that was hashed gives an
    occurrence, its media row (once per batch), metadata and, for a video, its fingerprint
    and keyframe rows; when its image or video part failed (corrupt, truncated, a
    decompression bomb, zero bytes) it also gives an error row that points at the media item.
    """
    batch.files += 1
    if not result["ok"]:
        batch.size += entry.size
        batch.errors.append(error_row(entry.path, key, result["code"], result["message"]))
        return
    h = result["hashes"]
    batch.size += h["size"]
    sha = h["sha256"]
    if sha not in batch.media:
        batch.media[sha] = {
            "md5": h["md5"],
            "sha1": h["sha1"],
            "size": h["size"],
            "mime": storable(h["mime"], 100),
            "family": storable(h["family"], 32),
            "width": h.get("width"),
            "height": h.get("height"),
            "pdq": h.get("pdq"),
            "pdq_quality": h.get("pdq_quality"),
            "pdq_method": h.get("pdq_method"),
            "vault_stored": bool(result["stored"]),
            "has_thumbnail": bool(result["thumbnail"]),
        }
        meta = _metadata_row(h.get("metadata") or {})
        if meta is not None:
            batch.metadata[sha] = meta
    video = result.get("video")
    if video is not None and sha not in batch.videos:
        batch.videos[sha] = _video_row(video)
        batch.keyframes[sha] = [
            {
                "position": position,
                "frame_number": k["frame_number"],
                "timestamp": k["timestamp"],
                "is_key": bool(k["key"]),
                "jpeg_sha256": k["sha256"],
            }
            for position, k in enumerate(video["keyframes"])
        ]
    batch.occurrences.append(
        {
            "sha256": sha,
            "path": storable(entry.path),
            "path_key": key,
            "parent_container": (
                storable(entry.parent_container) if entry.parent_container is not None else None
            ),
            "deleted": entry.deleted,
            "extension_mismatch": bool(h.get("extension_mismatch")),
            "mtime": entry.mtime,
            "atime": entry.atime,
            "ctime": entry.ctime,
            "crtime": entry.crtime,
        }
    )
    if h.get("error_kind"):
        row = error_row(entry.path, key, h["error_kind"], h.get("error") or h["error_kind"])
        batch.errors.append({**row, "sha256": sha})
    if video is not None and video.get("error_kind"):
        kind = video["error_kind"]
        row = error_row(entry.path, key, kind, video.get("error") or kind)
        batch.errors.append({**row, "sha256": sha})


def _video_row(video: dict[str, Any]) -> dict[str, Any]:
    meta = video.get("metadata") or {}
    return {
        "vpdq": storable(video["vpdq"]),
        "frame_count": int(video["frame_count"]),
        "keyframe_count": len(video["keyframes"]),
        "duration_s": meta.get("duration"),
        "declared_duration_s": meta.get("declared_duration"),
        "frame_rate": meta.get("frame_rate"),
        "container": storable(meta["container"], 100) if meta.get("container") else None,
        "codec": storable(meta["codec"], 64) if meta.get("codec") else None,
        "width": meta.get("width"),
        "height": meta.get("height"),
        "created_at": meta.get("created"),
        "error_kind": storable(video["error_kind"], 32) if video.get("error_kind") else None,
    }


def _metadata_row(meta: dict[str, Any]) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    for field, (column, limit) in _META_COLUMNS.items():
        value = meta.get(field)
        if isinstance(value, str):
            value = storable(value, limit)
        row[column] = value
    return row if any(v is not None for v in row.values()) else None
