"""The files ingested in a scope, each with what the store knew of its content at ingest.

Why this is computed in two set-based steps rather than one correlated query per file: a
year holds millions of files, and a per-row ``EXISTS`` over three digests and the match
evidence costs minutes. Instead the lifetimes of every entry that matches any media item of
the period are loaded once (exact SHA-256, SHA-1 and MD5 joins on the indexed digests, plus
the matcher's near-match evidence), and the files are then streamed and compared with those
lifetimes in Python.

Entries are never deleted, only marked removed, so an exact match can always be recomputed.
Near (PDQ) matches come from the matcher's evidence rows, recorded by the as-of instant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sentinela.db.cases import Case
from sentinela.db.exhibits import Exhibit
from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import Media, Occurrence
from sentinela.stats.catalogue import in_window
from sentinela.stats.period import Scope

STREAM_BATCH = 20_000
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])
#: (kind, added, end): an entry of a ``kind`` set, live from ``added`` until ``end``.
Lifetime = tuple[str, datetime, datetime | None]


@dataclass(frozen=True)
class IngestedFile:
    """One occurrence in the scope and what was known of it when it was ingested.

    ``known`` is ``categorised``, ``benign`` or ``None``.
    """

    media_id: int
    unit: str
    found_at: datetime
    first_seen: bool
    known: str | None


def _scoped(query: _Query, scope: Scope) -> _Query:
    query = (
        query.join(Exhibit, Exhibit.id == Occurrence.exhibit_id)
        .join(Case, Case.id == Exhibit.case_id)
        .where(in_window(Occurrence.found_at, scope))
    )
    return query.where(Case.unit == scope.unit) if scope.unit is not None else query


def media_in_scope(scope: Scope) -> Select[Any]:
    """SQL: the ids of the media with a file ingested in the scope."""
    return _scoped(select(Occurrence.media_id), scope).distinct()


def _end(entry_removed: datetime | None, set_removed: datetime | None) -> datetime | None:
    ends = [t for t in (entry_removed, set_removed) if t is not None]
    return min(ends) if ends else None


def lifetimes(session: Session, scope: Scope) -> dict[int, list[Lifetime]]:
    """media id -> the lifetimes of the entries its content matches (exactly or by PDQ)."""
    wanted = media_in_scope(scope).subquery()
    columns = (HashSet.kind, KnownHash.added_at, KnownHash.removed_at, HashSet.removed_at)
    # Joins with the media of the scope, not ``IN (subquery)``: SQLite re-runs the latter.
    queries = [
        select(Media.id, *columns)
        .join(wanted, wanted.c.media_id == Media.id)
        .join(KnownHash, (KnownHash.hash_type == hash_type) & (KnownHash.digest == digest))
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(KnownHash.added_at <= scope.as_of)
        for hash_type, digest in (
            ("sha256", Media.sha256),
            ("sha1", Media.sha1),
            ("md5", Media.md5),
        )
    ]
    queries.append(
        select(MediaMatch.media_id, *columns)
        .join(wanted, wanted.c.media_id == MediaMatch.media_id)
        .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(MediaMatch.matched_at <= scope.as_of)
    )
    found: dict[int, list[Lifetime]] = defaultdict(list)
    for query in queries:
        for media_id, kind, added, removed, set_removed in session.execute(query):
            found[int(media_id)].append((str(kind), added, _end(removed, set_removed)))
    return found


def known_at(entries: list[Lifetime], when: datetime) -> str | None:
    """``categorised`` if a categorised entry was live at ``when``, else ``benign`` if a
    benign one was, else ``None``."""
    live = {kind for kind, added, end in entries if added <= when and (end is None or end > when)}
    if "categorised" in live:
        return "categorised"
    return "benign" if "benign" in live else None


def ingested_files(
    session: Session, scope: Scope, *, with_known: bool = True
) -> Iterator[IngestedFile]:
    """Every file ingested in the scope, streamed, with its known status at ingest (``None``
    for every file when ``with_known`` is false)."""
    known = lifetimes(session, scope) if with_known else {}
    query = _scoped(
        select(Occurrence.media_id, Case.unit, Occurrence.found_at, Media.first_seen_at).join(
            Media, Media.id == Occurrence.media_id
        ),
        scope,
    ).execution_options(yield_per=STREAM_BATCH)
    for media_id, unit, found_at, first_seen_at in session.execute(query):
        yield IngestedFile(
            int(media_id),
            str(unit),
            found_at,
            scope.counts(first_seen_at),
            known_at(known.get(int(media_id), []), found_at),
        )
