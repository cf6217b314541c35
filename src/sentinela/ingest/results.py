"""Turn one worker result into rows of a batch."""

from __future__ import annotations

from typing import Any

from sentinela.evidence.entries import Entry
from sentinela.ingest.batch import Batch, path_key

#: FileHashResult metadata keys -> MediaMetadata columns.
_META_COLUMNS = {
    "make": "camera_make",
    "model": "camera_model",
    "serial_number": "camera_serial",
    "datetime_original": "taken_at",
    "gps_latitude": "gps_lat",
    "gps_longitude": "gps_lon",
    "gps_altitude": "gps_alt",
    "software": "software",
}


def add_result(batch: Batch, entry: Entry, result: dict[str, Any]) -> None:
    """Add the rows for ``entry`` given its worker ``result``."""
    key = path_key(entry.path)
    batch.files += 1
    batch.size += entry.size
    if not result["ok"]:
        batch.errors.append(
            {
                "path": entry.path,
                "path_key": key,
                "code": result["code"],
                "message": result["message"],
            }
        )
        return
    h = result["hashes"]
    sha = h["sha256"]
    if sha not in batch.media:
        batch.media[sha] = {
            "md5": h["md5"],
            "sha1": h["sha1"],
            "size": h["size"],
            "mime": h["mime"],
            "family": h["family"],
            "width": h.get("width"),
            "height": h.get("height"),
            "pdq": h.get("pdq"),
            "pdq_quality": h.get("pdq_quality"),
            "pdq_method": h.get("pdq_method"),
            "vault_stored": bool(result["stored"]),
            "has_thumbnail": bool(result["thumbnail"]),
        }
        meta = h.get("metadata") or {}
        cols = {col: meta.get(k) for k, col in _META_COLUMNS.items()}
        if any(v is not None for v in cols.values()):
            batch.metadata[sha] = cols
    batch.occurrences.append(
        {
            "sha256": sha,
            "path": entry.path,
            "path_key": key,
            "parent_container": entry.parent_container,
            "deleted": entry.deleted,
            "extension_mismatch": bool(h.get("extension_mismatch")),
            "mtime": entry.mtime,
            "atime": entry.atime,
            "ctime": entry.ctime,
            "crtime": entry.crtime,
        }
    )
    if h.get("error_kind"):
        batch.errors.append(
            {
                "path": entry.path,
                "path_key": key,
                "code": h["error_kind"],
                "message": h.get("error") or h["error_kind"],
                "sha256": sha,
            }
        )
