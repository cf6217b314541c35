"""Writing one imported version of a hash set into ``known_hashes``, in batches.

Why batches: a national set holds 10^5-10^7 entries, and one query per entry would take
hours. Records are buffered (:data:`BATCH` at a time); for each batch the existing entries are
read with one ``IN`` query per hash type, new entries are inserted with one multi-row insert,
and changed ones are updated by primary key in one statement.

Semantics of a version:

* an entry listed again keeps its id; if its category, series, flags or source id changed it
  is *updated*, and a removed entry listed again is *revived* (counted as added);
* a :class:`~sentinela.formats.records.Deletion` removes entries by digest or by source id;
* in ``snapshot`` mode, entries the new version no longer lists are removed at the end;
  ``delta`` mode (NCMEC feeds) only applies the file's own deletions;
* for sources whose record ids are stable (NCMEC entry ids), a record replaces every entry
  carrying the same source id, so a fingerprint dropped from an entry is removed.

A record with a vPDQ fingerprint (a known video) is a ``vpdq`` entry like any other digest;
its text goes into a :class:`~sentinela.db.video.KnownVideo` row beside the entry, written with
the batch, so a set's videos are imported all or nothing with its other entries.

Removing never deletes a row (matches and reports refer to it): it sets ``removed_at``. Every
change moves ``updated_at`` and ``changed_version_id``, which is how the PDQ index catches up
and how the items affected by this version are found for re-triage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from sentinela.db.hashsets import KnownHash
from sentinela.db.video import KnownVideo
from sentinela.errors import FormatError
from sentinela.formats.records import Category, Deletion, HashRecord
from sentinela.services.known_match import chunks

BATCH = 2000
#: Fields whose change makes an entry "updated".
CONTENT = (
    "category_scheme",
    "category_code",
    "series",
    "victim_identified",
    "offender_identified",
    "baseline",
    "distributed",
    "source_record",
    "pdq_quality",
)
TABLE = cast(Table, KnownHash.__table__)
VIDEO_TABLE = cast(Table, KnownVideo.__table__)
_LIMITS = {"series": 200, "source_record": 200, "category_code": 32, "category_scheme": 64}


@dataclass
class WriteCounts:
    """What a version changed, counted in entries (one entry per hash type and digest)."""

    records: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0


class SetWriter:
    """Applies one version's records and deletions to one set."""

    def __init__(
        self,
        session: Session,
        *,
        set_id: int,
        version_id: int,
        now: datetime,
        path: str,
        default_category: Category | None = None,
        keyed_by_source: bool = False,
    ) -> None:
        self.session = session
        self.set_id = set_id
        self.version_id = version_id
        self.now = now
        self.path = path
        self.default_category = default_category
        self.keyed_by_source = keyed_by_source
        self.counts = WriteCounts()
        self._buffer: dict[tuple[str, str], dict[str, Any]] = {}
        self._sources: dict[str, set[tuple[str, str]]] = {}
        self._videos: dict[str, str] = {}

    def add(self, record: HashRecord) -> None:
        """Buffer the entries of one record."""
        self.counts.records += 1
        category = record.category or self.default_category
        for hash_type, digest in record.digests.items():
            values: dict[str, Any] = {
                "category_scheme": category.scheme if category else None,
                "category_code": category.code if category else None,
                "series": record.series,
                "victim_identified": record.victim_identified,
                "offender_identified": record.offender_identified,
                "baseline": record.baseline,
                "distributed": record.distributed,
                "source_record": record.source_id,
                "pdq_quality": record.pdq_quality if hash_type == "pdq" else None,
            }
            for name, limit in _LIMITS.items():
                value = values[name]
                if value is not None and len(value) > limit:
                    raise FormatError(
                        f"{name} is longer than {limit} characters: {value[:40]!r}...",
                        path=self.path,
                        position=record.position,
                    )
            self._buffer[(hash_type, digest)] = values
            if self.keyed_by_source and record.source_id:
                self._sources.setdefault(record.source_id, set()).add((hash_type, digest))
        if record.vpdq is not None:
            self._videos[record.digests["vpdq"]] = record.vpdq
        if len(self._buffer) >= BATCH:
            self.flush()

    def delete(self, deletion: Deletion) -> None:
        """Remove the entries a deletion names (after writing what came before it)."""
        self.counts.records += 1
        self.flush()
        conditions: list[ColumnElement[bool]] = [
            (KnownHash.hash_type == t) & (KnownHash.digest == d)
            for t, d in deletion.digests.items()
        ]
        if deletion.source_id:
            conditions.append(KnownHash.source_record == deletion.source_id)
        self._remove(or_(*conditions))

    def finish(self, *, snapshot: bool) -> WriteCounts:
        """Write the last batch; in snapshot mode remove what this version did not list."""
        self.flush()
        if snapshot:
            self._remove(
                or_(KnownHash.version_id.is_(None), KnownHash.version_id != self.version_id)
            )
        return self.counts

    def _remove(self, condition: Any) -> None:
        result = self.session.execute(
            update(KnownHash)
            .where(KnownHash.hash_set_id == self.set_id, KnownHash.removed_at.is_(None), condition)
            .values(removed_at=self.now, updated_at=self.now, changed_version_id=self.version_id)
            .execution_options(synchronize_session=False)
        )
        self.counts.deleted += int(getattr(result, "rowcount", 0) or 0)

    def flush(self) -> None:
        """Write the buffered entries."""
        if not self._buffer:
            return
        buffer, self._buffer = self._buffer, {}
        sources, self._sources = self._sources, {}
        videos, self._videos = self._videos, {}
        if sources:
            self._replace_by_source(sources)
        existing = self._existing(buffer)
        inserts: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        listed: list[dict[str, Any]] = []
        for (hash_type, digest), values in buffer.items():
            row = existing.get((hash_type, digest))
            if row is None:
                inserts.append(
                    {
                        "hash_set_id": self.set_id,
                        "hash_type": hash_type,
                        "digest": digest,
                        "added_at": self.now,
                        "updated_at": self.now,
                        "version_id": self.version_id,
                        "changed_version_id": self.version_id,
                        **values,
                    }
                )
            elif row["removed_at"] is not None or any(row[k] != values[k] for k in CONTENT):
                changed.append(
                    {
                        "row_id": row["id"],
                        "removed_at": None,
                        "updated_at": self.now,
                        "version_id": self.version_id,
                        "changed_version_id": self.version_id,
                        **values,
                    }
                )
                if row["removed_at"] is not None:
                    self.counts.added += 1
                else:
                    self.counts.updated += 1
            else:
                listed.append({"row_id": row["id"], "version_id": self.version_id})
        # Core statements with executemany: one prepared statement per batch (the ORM bulk
        # path splits rows into many statements and costs several times more).
        if inserts:
            self.session.execute(insert(TABLE), inserts)
            self.counts.added += len(inserts)
        for rows in (changed, listed):
            if rows:
                columns: dict[str, Any] = {k: bindparam(k) for k in rows[0] if k != "row_id"}
                statement = update(TABLE).where(TABLE.c.id == bindparam("row_id"))
                self.session.execute(statement.values(columns), rows)
        if videos:
            self._write_videos(videos)

    def _write_videos(self, videos: dict[str, str]) -> None:
        """Add the KnownVideo rows the set's ``vpdq`` entries ``videos`` lack (digest -> text).

        A digest is the SHA-256 of its text, so an existing row never needs changing.
        """
        for part in chunks(sorted(videos)):
            ids = {
                str(digest): int(known_id)
                for digest, known_id in self.session.execute(
                    select(KnownHash.digest, KnownHash.id).where(
                        KnownHash.hash_set_id == self.set_id,
                        KnownHash.hash_type == "vpdq",
                        KnownHash.digest.in_(part),
                    )
                )
            }
            have = set(
                self.session.execute(
                    select(KnownVideo.known_hash_id).where(
                        KnownVideo.known_hash_id.in_(list(ids.values()))
                    )
                ).scalars()
            )
            rows = [
                {
                    "known_hash_id": ids[digest],
                    "vpdq": videos[digest],
                    "frame_count": videos[digest].count("\n"),
                }
                for digest in part
                if digest in ids and ids[digest] not in have
            ]
            if rows:
                self.session.execute(insert(VIDEO_TABLE), rows)

    def _existing(
        self, buffer: dict[tuple[str, str], dict[str, Any]]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        by_type: dict[str, list[str]] = {}
        for hash_type, digest in buffer:
            by_type.setdefault(hash_type, []).append(digest)
        columns = [KnownHash.id, KnownHash.digest, KnownHash.removed_at] + [
            getattr(KnownHash, k) for k in CONTENT
        ]
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for hash_type, digests in by_type.items():
            for part in chunks(digests):
                rows = self.session.execute(
                    select(*columns).where(
                        KnownHash.hash_set_id == self.set_id,
                        KnownHash.hash_type == hash_type,
                        KnownHash.digest.in_(part),
                    )
                )
                for row in rows.mappings():
                    found[(hash_type, row["digest"])] = dict(row)
        return found

    def _replace_by_source(self, sources: dict[str, set[tuple[str, str]]]) -> None:
        stale: list[int] = []
        for part in chunks(sorted(sources)):
            rows = self.session.execute(
                select(
                    KnownHash.id, KnownHash.source_record, KnownHash.hash_type, KnownHash.digest
                ).where(
                    KnownHash.hash_set_id == self.set_id,
                    KnownHash.source_record.in_(part),
                    KnownHash.removed_at.is_(None),
                )
            )
            stale += [int(i) for i, src, t, d in rows if (t, d) not in sources[str(src)]]
        for ids in chunks(stale):
            self._remove(KnownHash.id.in_(ids))
