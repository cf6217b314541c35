"""Matching media against the known hashes: exact digests, then PDQ, confirmed at full size.

Exact matches are indexed lookups of each item's MD5, SHA-1 and SHA-256 among the live
entries of live sets.

PDQ matches accept an entry within its set's threshold (31 by default) when the item's PDQ
quality reaches the set's minimum (50 by default), as the reference implementation does. Ingest
decodes JPEGs in draft mode, so an item's stored PDQ can drift a few bits from the
full-resolution PDQ other agencies' sets hold (``docs/hashing.md`` measured at most 14 bits).
Recall must not suffer for that, so for a drafted hash the search radius is widened by
:data:`DRIFT_MARGIN`: by the triangle inequality every entry within the threshold of the
full-resolution hash is then found. Each candidate is confirmed against the full-resolution
PDQ of the item, decoded from the vault once and kept in ``media.pdq_full``, and accepted at
the set's threshold (``pdq_confirmed_full``). The same confirmation also rejects a candidate
whose drafted distance is within the threshold but whose full-resolution distance is not.
Where the bytes are not in the vault, a drafted hash within the threshold is accepted as
``pdq_fast``: a weaker, labelled match rather than a silent miss.

Videos with a fingerprint are matched against the known videos by vPDQ's rule
(:mod:`sentinela.services.video_triage`); their evidence carries the two match shares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.media import Media
from sentinela.errors import UnsupportedMediaError, VaultError
from sentinela.hashing.images import pdq_full
from sentinela.matching import BrutePdqIndex, hex_to_codes
from sentinela.matching.codes import hamming_distance
from sentinela.services.known_index import SyncMark, pending_rows
from sentinela.services.match_resources import MatchResources
from sentinela.services.near_duplicates import is_pdq
from sentinela.services.video_triage import VPDQ, VideoMatcher

#: Bits added to the radius for drafted PDQ hashes (the drift target of docs/hashing.md).
DRIFT_MARGIN = 16
EXACT_TYPES = ("md5", "sha1", "sha256")
#: Values bound in one ``IN (...)`` list.
IN_CHUNK = 500

T = TypeVar("T")


@dataclass(frozen=True)
class Evidence:
    """Why one item matches one known entry."""

    known_hash_id: int
    hash_type: str
    distance: int
    method: str
    #: vPDQ matches only: shares of the item's and the known video's frames matched.
    query_percent: float | None = None
    index_percent: float | None = None


@dataclass(frozen=True)
class SetRule:
    """The matching parameters of one live set."""

    id: int
    name: str
    kind: str
    threshold: int
    min_quality: int


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``."""
    for lo in range(0, len(values), size):
        yield list(values[lo : lo + size])


def is_drafted(media: Media) -> bool:
    """Whether the item's stored PDQ comes from a reduced-scale (draft) decode."""
    return bool(media.pdq_method) and str(media.pdq_method).startswith("draft")


class Matcher:
    """Finds the evidence for a batch of media; reusable across batches of one transaction."""

    def __init__(
        self, session: Session, resources: MatchResources, *, drift_margin: int = DRIFT_MARGIN
    ) -> None:
        self.session = session
        self.resources = resources
        self.drift_margin = drift_margin
        self.sets = {
            hs.id: SetRule(hs.id, hs.name, hs.kind, hs.pdq_threshold, hs.pdq_min_quality)
            for hs in session.execute(select(HashSet).where(HashSet.removed_at.is_(None)))
            .scalars()
            .all()
        }
        self._pending: list[tuple[int, str]] | None = None
        self._videos: VideoMatcher | None = None
        self.decoded = 0

    def match(self, media: Sequence[Media]) -> dict[int, list[Evidence]]:
        """Every piece of evidence for each item, by media id, sorted by entry id."""
        found: dict[int, dict[int, Evidence]] = defaultdict(dict)
        if self.sets:
            self._exact(media, found)
            self._pdq(media, found)
            self._video(media, found)
        return {m.id: sorted(found[m.id].values(), key=lambda e: e.known_hash_id) for m in media}

    def _exact(self, media: Sequence[Media], found: dict[int, dict[int, Evidence]]) -> None:
        for hash_type in EXACT_TYPES:
            owners: dict[str, list[int]] = defaultdict(list)
            for m in media:
                value = getattr(m, hash_type)
                if value:
                    owners[value].append(m.id)
            for part in chunks(sorted(owners)):
                rows = self.session.execute(
                    select(KnownHash.id, KnownHash.digest, KnownHash.hash_set_id).where(
                        KnownHash.hash_type == hash_type,
                        KnownHash.digest.in_(part),
                        KnownHash.removed_at.is_(None),
                    )
                )
                for known_id, digest, set_id in rows:
                    if set_id in self.sets:
                        for media_id in owners[digest]:
                            found[media_id][known_id] = Evidence(known_id, hash_type, 0, "exact")

    def _pdq(self, media: Sequence[Media], found: dict[int, dict[int, Evidence]]) -> None:
        usable = [m for m in media if is_pdq(m.pdq) and m.pdq_quality is not None]
        if not usable:
            return
        widest = max(rule.threshold for rule in self.sets.values())
        radius = widest + (self.drift_margin if any(map(is_drafted, usable)) else 0)
        codes = hex_to_codes([str(m.pdq) for m in usable])
        pairs: dict[tuple[int, int], int] = {}
        index = self.resources.index
        if index is not None:
            for q, known_id, d in index.search(codes, radius).as_tuples():
                pairs[(q, known_id)] = d
        pending = self._pending_entries()
        if pending:
            brute = BrutePdqIndex.build(
                hex_to_codes([d for _, d in pending]),
                np.array([i for i, _ in pending], dtype=np.int64),
            )
            for q, known_id, d in brute.search(codes, radius).as_tuples():
                pairs[(q, known_id)] = d
        entries = self._live_entries(sorted({k for _, k in pairs}))
        for (q, known_id), distance in sorted(pairs.items()):
            entry = entries.get(known_id)
            if entry is None:
                continue
            evidence = self._judge(usable[q], entry, distance)
            if evidence is not None:
                found[usable[q].id][known_id] = evidence

    def _video(self, media: Sequence[Media], found: dict[int, dict[int, Evidence]]) -> None:
        if self._videos is None:
            self._videos = VideoMatcher(self.session, self.sets)
        for hit in self._videos.match([m.id for m in media]):
            found[hit.media_id][hit.known_hash_id] = Evidence(
                hit.known_hash_id, VPDQ, 0, VPDQ, hit.query_percent, hit.index_percent
            )

    def _pending_entries(self) -> list[tuple[int, str]]:
        """Live PDQ entries the index has not caught up with (all of them without an index)."""
        if self._pending is None:
            index = self.resources.index
            mark = index.mark if index is not None else SyncMark()
            self._pending = [
                (r.id, r.digest)
                for r in pending_rows(self.session, mark, live_only=True)
                if is_pdq(r.digest)
            ]
        return self._pending

    def _live_entries(self, ids: Sequence[int]) -> dict[int, tuple[int, str, SetRule]]:
        entries: dict[int, tuple[int, str, SetRule]] = {}
        for part in chunks(ids):
            rows = self.session.execute(
                select(KnownHash.id, KnownHash.digest, KnownHash.hash_set_id).where(
                    KnownHash.id.in_(part), KnownHash.removed_at.is_(None)
                )
            )
            for known_id, digest, set_id in rows:
                rule = self.sets.get(set_id)
                if rule is not None:
                    entries[known_id] = (known_id, digest, rule)
        return entries

    def _judge(
        self, media: Media, entry: tuple[int, str, SetRule], distance: int
    ) -> Evidence | None:
        known_id, digest, rule = entry
        if media.pdq_quality is None or media.pdq_quality < rule.min_quality:
            return None
        if not is_drafted(media):
            return (
                Evidence(known_id, "pdq", distance, "pdq") if distance <= rule.threshold else None
            )
        if distance > rule.threshold + self.drift_margin:
            return None
        full = self.full_pdq(media)
        if full is None:
            if distance <= rule.threshold:
                return Evidence(known_id, "pdq", distance, "pdq_fast")
            return None
        full_distance = hamming_distance(full, digest)
        if full_distance <= rule.threshold:
            return Evidence(known_id, "pdq", full_distance, "pdq_confirmed_full")
        return None

    def full_pdq(self, media: Media) -> str | None:
        """The item's full-resolution PDQ: cached on the row, or decoded from the vault."""
        if media.pdq_full and is_pdq(media.pdq_full):
            return media.pdq_full
        vault = self.resources.vault() if media.vault_stored else None
        if vault is None:
            return None
        try:
            result = pdq_full(vault.get(media.sha256))
        except (VaultError, UnsupportedMediaError):
            return None
        self.decoded += 1
        media.pdq_full = result.hash
        return result.hash
