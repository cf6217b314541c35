"""The remote match API: "do you know these hashes?" without handing over the list.

A provider sends a batch of digests (MD5, SHA-1, SHA-256, PDQ) and gets back the ones its
tier's latest release holds, with category and baseline flag. It never sends media: the
request is a JSON list of hex strings, refused past a size limit before it is parsed.

Matching runs against an in-memory index of the tier's live entries (a dict for exact
digests, the PDQ multi-index for PDQ), rebuilt when a newer release appears. Each call adds
to the provider's daily counters and writes one audit event with the counts, never the hashes.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.industry import HashListEntry, HashListRelease
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.matching import PdqIndex, hex_to_codes
from sentinela.services.api_keys import ApiCaller
from sentinela.services.context import ServiceContext
from sentinela.services.provider_usage import add_usage
from sentinela.services.releases import latest_release
from sentinela.sharing.document import DIGEST_LENGTHS, ListEntry

#: Largest batch and request body accepted, and the widest PDQ radius a caller may ask for
#: (python-threatexchange's confident-match threshold).
MAX_HASHES = 1000
MAX_BODY_BYTES = 512 * 1024
MAX_PDQ_THRESHOLD = 31
_HEX = re.compile(r"[0-9a-f]+")


class BatchTooLarge(InvalidInputError):
    """More hashes, or more bytes, than one request may carry (HTTP 413)."""


class MalformedBatch(InvalidInputError):
    """A request entry is not a hash we match (HTTP 422); ``index`` says which one."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class MatchRequest:
    """A validated batch: (hash type, canonical digest) pairs and the PDQ radius."""

    hashes: list[tuple[str, str]]
    pdq_threshold: int


@dataclass(frozen=True)
class RemoteMatch:
    """One hit: the position in the request, the entry matched and the PDQ distance."""

    index: int
    hash_type: str
    value: str
    matched_digest: str
    category_scheme: str
    category_code: str
    baseline: bool
    distance: int


@dataclass(frozen=True)
class MatchReport:
    """The answer to one batch."""

    release_version: int
    examined: int
    matches: list[RemoteMatch]


def parse_match_request(body: bytes) -> MatchRequest:
    """Validate a request body: ``{"hashes": [{"type", "value"}...], "pdq_threshold"?}``.

    Raises:
        BatchTooLarge: over :data:`MAX_BODY_BYTES` or :data:`MAX_HASHES`.
        MalformedBatch: not JSON of that shape, or a bad entry (its index is named).
    """
    if len(body) > MAX_BODY_BYTES:
        raise BatchTooLarge(f"request body over {MAX_BODY_BYTES} bytes")
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise MalformedBatch("the request body is not JSON") from None
    items = data.get("hashes") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise MalformedBatch("the request body must be an object with a 'hashes' list")
    if len(items) > MAX_HASHES:
        raise BatchTooLarge(f"{len(items)} hashes in one request; the limit is {MAX_HASHES}")
    threshold = data.get("pdq_threshold", MAX_PDQ_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise MalformedBatch("pdq_threshold must be an integer")
    if not 0 <= threshold <= MAX_PDQ_THRESHOLD:
        raise MalformedBatch(f"pdq_threshold must be between 0 and {MAX_PDQ_THRESHOLD}")
    hashes: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        kind = item.get("type") if isinstance(item, dict) else None
        value = item.get("value") if isinstance(item, dict) else None
        if kind not in DIGEST_LENGTHS or not isinstance(value, str):
            raise MalformedBatch(
                f"hashes[{i}] must be {{'type': one of {', '.join(DIGEST_LENGTHS)}, 'value': hex}}",
                index=i,
            )
        # HashType.validate's rule (strip, any case, exact length) as one regex match per
        # hash: a batch holds a thousand of them.
        digest = value.strip().lower()
        if len(digest) != DIGEST_LENGTHS[kind] or not _HEX.fullmatch(digest):
            raise MalformedBatch(
                f"hashes[{i}]: a {kind} digest is {DIGEST_LENGTHS[kind]} hex characters, "
                f"not {value[:80]!r}",
                index=i,
            )
        hashes.append((kind, digest))
    return MatchRequest(hashes, threshold)


@dataclass
class TierIndex:
    """The live entries of one tier at one version, ready to match."""

    version: int
    exact: dict[tuple[str, str], ListEntry]
    pdq: PdqIndex
    pdq_entries: list[ListEntry]


Row = tuple[str, str, str, str, bool]


def live_rows(session: Session, tier_id: int) -> list[Row]:
    """The tier's live entries (those of its latest release) as plain tuples."""
    rows = session.execute(
        select(
            HashListEntry.hash_type,
            HashListEntry.digest,
            HashListEntry.category_scheme,
            HashListEntry.category_code,
            HashListEntry.baseline,
        ).where(HashListEntry.tier_id == tier_id, HashListEntry.removed_version.is_(None))
    )
    return [(t, d, s, c, bool(b)) for t, d, s, c, b in rows]


def build_tier_index(rows: list[Row], version: int) -> TierIndex:
    """Index live entries: a dict for exact digests, the PDQ multi-index for PDQ."""
    exact: dict[tuple[str, str], ListEntry] = {}
    pdq_entries: list[ListEntry] = []
    for t, d, s, c, b in rows:
        # Interned: millions of entries share a handful of type, scheme and code strings.
        entry = ListEntry(sys.intern(t), d, sys.intern(s), sys.intern(c), b)
        if t == "pdq":
            pdq_entries.append(entry)
        else:
            exact[(t, d)] = entry
    codes = (
        hex_to_codes([e.digest for e in pdq_entries])
        if pdq_entries
        else np.empty((0, 32), dtype=np.uint8)
    )
    index = PdqIndex.build(codes, np.arange(len(pdq_entries), dtype=np.int64))
    return TierIndex(version, exact, index, pdq_entries)


class MatchIndexCache:
    """One :class:`TierIndex` per tier, rebuilt when the tier has a newer release.

    Held by the web app for its lifetime; safe to share between request threads. Each call
    asks the database for the tier's latest version (one indexed row), so a revocation takes
    effect on the very next call. The rows of a new release are read in a short transaction
    and indexed outside it: on SQLite every transaction holds the write lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._build = threading.Lock()
        self._tiers: dict[int, TierIndex] = {}

    def _held(self, tier_id: int, version: int) -> TierIndex | None:
        with self._lock:
            held = self._tiers.get(tier_id)
        return held if held is not None and held.version == version else None

    def get(self, ctx: ServiceContext, tier_id: int) -> TierIndex:
        """The tier's index at its latest release.

        Raises:
            NotFoundError: the tier has no release yet.
        """
        with ctx.transaction() as session:
            release = latest_release(session, tier_id)
            if release is None:
                raise NotFoundError("your tier has no hash-list release yet")
            version = release.version
        held = self._held(tier_id, version)
        if held is not None:
            return held
        with self._build:  # one build at a time; the others then find it done
            held = self._held(tier_id, version)
            if held is not None:
                return held
            with ctx.transaction() as session:
                release = latest_release(session, tier_id)
                version = release.version if release is not None else version
                rows = live_rows(session, tier_id)
            built = build_tier_index(rows, version)
            with self._lock:
                self._tiers[tier_id] = built
            return built

    def warm(self, ctx: ServiceContext) -> int:
        """Build the index of every tier that has a release (at server start, so the first
        provider call does not wait for it).

        Returns:
            How many tiers were indexed.
        """
        with ctx.transaction() as session:
            tier_ids = list(session.execute(select(HashListRelease.tier_id).distinct()).scalars())
        for tier_id in tier_ids:
            self.get(ctx, tier_id)
        return len(tier_ids)


def find_matches(index: TierIndex, request: MatchRequest) -> list[RemoteMatch]:
    """Every hit of the batch in the index, in request order (PDQ: closest first)."""
    found: list[RemoteMatch] = []
    pdq_positions = [i for i, (t, _) in enumerate(request.hashes) if t == "pdq"]
    near: dict[int, list[tuple[int, int]]] = {}
    if pdq_positions and len(index.pdq_entries):
        codes = hex_to_codes([request.hashes[i][1] for i in pdq_positions])
        hits = index.pdq.search(codes, request.pdq_threshold).as_tuples()
        for query, ident, distance in hits:
            near.setdefault(pdq_positions[query], []).append((distance, ident))
    for i, (hash_type, value) in enumerate(request.hashes):
        if hash_type == "pdq":
            pairs = sorted(near.get(i, []))
            entries = [(index.pdq_entries[ident], distance) for distance, ident in pairs]
        else:
            entry = index.exact.get((hash_type, value))
            entries = [(entry, 0)] if entry is not None else []
        found.extend(
            RemoteMatch(i, hash_type, value, e.digest, e.scheme, e.code, e.baseline, d)
            for e, d in entries
        )
    return found


def match_hashes(
    ctx: ServiceContext, caller: ApiCaller, request: MatchRequest, cache: MatchIndexCache
) -> MatchReport:
    """Match a validated batch for a provider, count it and audit it.

    Raises:
        NotFoundError: the provider's tier has no release yet.
    """
    index = cache.get(ctx, caller.tier_id)
    matches = find_matches(index, request)
    matched = len({m.index for m in matches})
    examined = len(request.hashes)
    with ctx.transaction() as session:
        add_usage(
            session,
            caller.provider_id,
            ctx.clock().date(),
            match_requests=1,
            hashes_examined=examined,
            hashes_matched=matched,
        )
        record(
            session,
            actor=caller.actor,
            action="provider.match",
            object_type="provider",
            object_id=caller.provider,
            details={"examined": examined, "matched": matched, "release": index.version},
            clock=ctx.clock,
        )
        return MatchReport(index.version, examined, matches)
