"""The PDQ index of known hashes: saved under the data folder, caught up from the database.

The database is the source of truth; the index is a cache of the live PDQ entries
(``known_hashes`` rows of hash type ``pdq`` with no ``removed_at``), labelled by row id.

Why it catches up by a watermark instead of being told every change: several processes change
the known hashes (a CLI import, the web workspace's national classification), and each keeps
its own index in memory. Every change to an entry moves its ``updated_at`` (an insert also
gets a new, larger id), so one indexed query, "PDQ rows with ``id > max_id`` or
``updated_at >= watermark``", lists what an index has not seen yet. :meth:`KnownIndex.sync`
applies those rows (add the live, remove the removed), with no rebuild. The same query, run
inside a transaction, also lists the entries that transaction itself has just written, so a
search can never miss an entry the index has not caught up with (see
:meth:`KnownIndex.pending`).

On disk: ``<data>/indexes/known-pdq/state.json`` names the current generation folder, which
holds the index in its own format (``.npy`` arrays or a faiss file, plus its JSON manifest;
never pickle). A save writes a new generation and then swaps ``state.json`` atomically, so a
reader never sees a half-written index, and memory-mapped files are never overwritten.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import KnownHash
from sentinela.matching import Matches, PdqIndexBase, build_index_registry, hex_to_codes
from sentinela.matching.errors import IndexFileError
from sentinela.matching.persist import read_versioned_json

INDEX_FOLDER = Path("indexes") / "known-pdq"
STATE_FILE = "state.json"
STATE_FORMAT = "sentinela-known-pdq-state"
STATE_VERSION = 1
DEFAULT_INDEX_TYPE = "pdq_mih"
#: Rows converted from hex at once when building.
CHUNK = 200_000


@dataclass(frozen=True)
class SyncMark:
    """How far an index has caught up with the database.

    Attributes:
        max_id: the largest PDQ entry id seen.
        watermark: the latest ``updated_at`` seen, ``None`` before the first entry.
        at_watermark: ids already applied whose ``updated_at`` equals ``watermark``.
    """

    max_id: int = 0
    watermark: datetime | None = None
    at_watermark: frozenset[int] = field(default_factory=frozenset)

    def to_json(self) -> dict[str, Any]:
        """The mark as JSON values."""
        return {
            "max_id": self.max_id,
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "at_watermark": sorted(self.at_watermark),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncMark:
        """Read a mark written by :meth:`to_json`.

        Raises:
            IndexFileError: malformed values.
        """
        try:
            watermark = data["watermark"]
            return cls(
                int(data["max_id"]),
                datetime.fromisoformat(watermark) if watermark else None,
                frozenset(int(i) for i in data["at_watermark"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFileError(f"malformed index sync mark: {exc}") from None


@dataclass(frozen=True)
class PendingRow:
    """A PDQ entry changed since an index's mark."""

    id: int
    digest: str
    live: bool
    updated_at: datetime


@dataclass(frozen=True)
class SyncResult:
    """What one catch-up applied."""

    added: int
    removed: int


class KnownIndex:
    """A PDQ index of the live known entries, with its sync mark and its folder."""

    def __init__(
        self,
        index: PdqIndexBase,
        mark: SyncMark,
        directory: Path | None = None,
        index_type: str = DEFAULT_INDEX_TYPE,
    ) -> None:
        self.index = index
        self.mark = mark
        self.directory = directory
        self.index_type = index_type
        # A web server searches from several threads while a catch-up may modify the index.
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self.index)

    def search(self, codes: Any, radius: int) -> Matches:
        """Entries the index holds within ``radius`` of each query (see :meth:`pending`)."""
        with self._lock:
            return self.index.search(codes, radius)

    def pending(self, session: Session, *, live_only: bool = False) -> list[PendingRow]:
        """PDQ entries changed since the mark, as ``session`` sees them (its own writes too)."""
        return pending_rows(session, self.mark, live_only=live_only)

    def sync(self, session: Session) -> SyncResult:
        """Apply every entry changed since the mark to the index, and move the mark."""
        with self._lock:
            return self._sync(session)

    def _sync(self, session: Session) -> SyncResult:
        rows = [
            r
            for r in self.pending(session)
            if not (r.updated_at == self.mark.watermark and r.id in self.mark.at_watermark)
        ]
        if not rows:
            return SyncResult(0, 0)
        ids = np.array([r.id for r in rows if r.id <= self.mark.max_id], dtype=np.int64)
        removed = self.index.remove(ids) if len(ids) else 0
        live = [r for r in rows if r.live]
        if live:
            self.index.add(
                hex_to_codes([r.digest for r in live]), np.array([r.id for r in live], np.int64)
            )
        self.mark = advance(self.mark, rows)
        return SyncResult(len(live), removed)

    def save(self) -> None:
        """Write a new generation and point ``state.json`` at it; drop older generations.

        Raises:
            IndexFileError: no folder was given.
        """
        if self.directory is None:
            raise IndexFileError("this known-hash index has no folder to be saved in")
        self.directory.mkdir(parents=True, exist_ok=True)
        generation = f"gen-{secrets.token_hex(6)}"
        with self._lock:
            self.index.save(self.directory / generation)
            mark = self.mark
        state = {
            "format": STATE_FORMAT,
            "format_version": STATE_VERSION,
            "generation": generation,
            "index": self.index_type,
            "count": len(self.index),
            "mark": mark.to_json(),
        }
        tmp = self.directory / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.directory / STATE_FILE)
        for old in self.directory.glob("gen-*"):
            if old.name != generation:
                shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def load_state(directory: Path) -> dict[str, Any]:
        """Read and check ``state.json`` of a saved index.

        Raises:
            IndexFileError: missing or malformed.
        """
        path = directory / STATE_FILE
        state = read_versioned_json(
            path, STATE_FORMAT, STATE_VERSION, what="known-hash index state"
        )
        generation = str(state.get("generation", ""))
        if not generation.startswith("gen-") or "/" in generation or "\\" in generation:
            raise IndexFileError(f"{path}: bad generation {generation!r}")
        if str(state.get("index", "")) not in build_index_registry():
            raise IndexFileError(f"{path}: unknown index type {state.get('index')!r}")
        return state

    @classmethod
    def load(cls, directory: Path) -> KnownIndex:
        """Load the generation ``state.json`` names (memory-mapped where the type allows).

        Raises:
            IndexFileError: no state, or a malformed or unreadable index.
            IndexChecksumError: an index file differs from its manifest.
            UnsupportedIndexVersionError: an unknown format or index type.
        """
        state = cls.load_state(directory)
        index_type = str(state["index"])
        index = build_index_registry().get(index_type).load(directory / str(state["generation"]))
        return cls(index, SyncMark.from_json(state.get("mark", {})), directory, index_type)

    @classmethod
    def build(
        cls,
        session: Session,
        directory: Path | None = None,
        index_type: str = DEFAULT_INDEX_TYPE,
    ) -> KnownIndex:
        """Build an index of every live PDQ entry, from the database alone."""
        rows = pending_rows(session, SyncMark())
        live = [r for r in rows if r.live]
        codes = [
            hex_to_codes([r.digest for r in live[lo : lo + CHUNK]])
            for lo in range(0, len(live), CHUNK)
        ]
        all_codes = np.concatenate(codes) if codes else np.zeros((0, 32), dtype=np.uint8)
        ids = np.array([r.id for r in live], dtype=np.int64)
        index = build_index_registry().get(index_type).build(all_codes, ids)
        return cls(index, advance(SyncMark(), rows), directory, index_type)


def pending_rows(session: Session, mark: SyncMark, *, live_only: bool = False) -> list[PendingRow]:
    """PDQ entries with an id above the mark or changed at or after its watermark.

    Two range queries on the partial indexes of PDQ rows (``ix_known_hashes_pdq_id`` and
    ``ix_known_hashes_pdq_updated_at``) rather than one ``OR``, so each is an index range
    scan; the literal ``'pdq'`` lets both databases match the indexes' predicate.
    """
    columns = (KnownHash.id, KnownHash.digest, KnownHash.removed_at, KnownHash.updated_at)
    conditions = [KnownHash.id > mark.max_id]
    if mark.watermark is not None:
        conditions.append(KnownHash.updated_at >= mark.watermark)
    found: dict[int, PendingRow] = {}
    for condition in conditions:
        query = select(*columns).where(condition, KnownHash.hash_type == literal_column("'pdq'"))
        if live_only:
            query = query.where(KnownHash.removed_at.is_(None))
        for i, digest, removed_at, updated_at in session.execute(query):
            found[int(i)] = PendingRow(int(i), str(digest), removed_at is None, updated_at)
    return [found[i] for i in sorted(found)]


def advance(mark: SyncMark, rows: list[PendingRow]) -> SyncMark:
    """The mark after ``rows`` were applied."""
    if not rows:
        return mark
    max_id = max(mark.max_id, max(r.id for r in rows))
    latest = max(r.updated_at for r in rows)
    if mark.watermark is not None and mark.watermark > latest:
        return SyncMark(max_id, mark.watermark, mark.at_watermark)
    at = frozenset(r.id for r in rows if r.updated_at == latest)
    if latest == mark.watermark:
        at |= mark.at_watermark
    return SyncMark(max_id, latest, at)
