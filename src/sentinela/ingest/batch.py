"""Writing one batch of results: media (deduplicated nationally), video fingerprints,
occurrences, errors.

Inserts use ``ON CONFLICT DO NOTHING`` on the natural keys (media SHA-256; exhibit + path;
media for a video fingerprint, media + position for a keyframe),
so a batch replayed after an interruption, or raced by another ingest, never makes a second
Media row or a second Occurrence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sentinela.db.media import EntryError, Media, MediaMetadata, Occurrence
from sentinela.db.video import VideoFingerprint, VideoKeyframe


@dataclass
class Batch:
    """Rows waiting to be written together."""

    media: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha256 -> columns
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha256 -> columns
    occurrences: list[dict[str, Any]] = field(default_factory=list)  # with "sha256"
    errors: list[dict[str, Any]] = field(default_factory=list)  # with optional "sha256"
    videos: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha256 -> columns
    keyframes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # sha256 -> rows
    files: int = 0
    size: int = 0

    def __len__(self) -> int:
        return len(self.occurrences) + len(self.errors)

    def digest(self) -> str:
        """SHA-256 over the batch's path keys, recorded in its audit event."""
        keys = sorted(
            {o["path_key"] for o in self.occurrences} | {e["path_key"] for e in self.errors}
        )
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def _insert(
    session: Session, model: type[Any], rows: list[dict[str, Any]], keys: list[str]
) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    table = model.__table__
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(dialect)
    session.execute(stmt, rows)


def write_batch(
    session: Session, batch: Batch, *, exhibit_id: int, job_id: int, now: datetime
) -> int:
    """Write ``batch``; return how many media rows were new to the national store."""
    shas = list(batch.media)
    existing = _media_ids(session, shas)
    new_rows = [
        {**cols, "sha256": sha, "first_seen_at": now, "first_exhibit_id": exhibit_id}
        for sha, cols in batch.media.items()
        if sha not in existing
    ]
    _insert(session, Media, new_rows, ["sha256"])
    ids = {**existing, **_media_ids(session, [r["sha256"] for r in new_rows])}
    really_new = [r["sha256"] for r in new_rows if r["sha256"] not in existing]
    meta_rows = [
        {**batch.metadata[sha], "media_id": ids[sha]} for sha in really_new if sha in batch.metadata
    ]
    _insert(session, MediaMetadata, meta_rows, ["media_id"])
    # Every video of the batch, not only new media: a video stored before video ingest
    # existed gets its fingerprint the next time it is found.
    _insert(
        session,
        VideoFingerprint,
        [{**cols, "media_id": ids[sha]} for sha, cols in batch.videos.items()],
        ["media_id"],
    )
    _insert(
        session,
        VideoKeyframe,
        [{**k, "media_id": ids[sha]} for sha, rows in batch.keyframes.items() for k in rows],
        ["media_id", "position"],
    )
    _insert(
        session,
        Occurrence,
        [
            {
                **{k: v for k, v in o.items() if k != "sha256"},
                "media_id": ids[o["sha256"]],
                "exhibit_id": exhibit_id,
                "job_id": job_id,
                "found_at": now,
            }
            for o in batch.occurrences
        ],
        ["exhibit_id", "path_key"],
    )
    _insert(
        session,
        EntryError,
        [
            {
                **{k: v for k, v in e.items() if k != "sha256"},
                "media_id": ids.get(e["sha256"]) if e.get("sha256") else None,
                "exhibit_id": exhibit_id,
                "job_id": job_id,
                "recorded_at": now,
            }
            for e in batch.errors
        ],
        ["exhibit_id", "path_key", "code"],
    )
    return len(really_new)


def _media_ids(session: Session, shas: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(shas), 500):
        chunk = shas[start : start + 500]
        rows = session.execute(select(Media.sha256, Media.id).where(Media.sha256.in_(chunk)))
        found.update({r.sha256: r.id for r in rows})
    return found
