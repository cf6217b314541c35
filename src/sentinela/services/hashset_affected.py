"""Which media a hash-set change can affect, so only those are re-triaged.

A version affects: every item already matched to an entry it changed or removed; every item
whose MD5, SHA-1 or SHA-256 equals an entry it added or changed; and every item whose PDQ is
within reach (the widest set threshold plus the draft margin) of a PDQ entry it added or
changed. The first two are indexed joins; the third scans the items' PDQ hashes, in chunks,
against an index of the changed entries only. A version that adds or changes a known video
(a ``vpdq`` entry) affects every fingerprinted video, as adding one by hand does.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import HashSet, KnownHash, MediaMatch
from sentinela.db.media import Media
from sentinela.db.video import VideoFingerprint
from sentinela.matching import BrutePdqIndex, PdqIndexBase, build_index_registry, hex_to_codes
from sentinela.services.known_match import DRIFT_MARGIN, EXACT_TYPES
from sentinela.services.near_duplicates import is_pdq

#: Media PDQ hashes searched at once.
SCAN = 50_000
#: Changed PDQ entries above which the multi-index is used instead of brute force.
MIH_FROM = 20_000


def affected_by_version(session: Session, version_id: int) -> set[int]:
    """Media whose triage a version can change."""
    changed = KnownHash.changed_version_id == version_id
    ids = set(
        session.execute(
            select(MediaMatch.media_id)
            .distinct()
            .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
            .where(changed)
        ).scalars()
    )
    live = changed & KnownHash.removed_at.is_(None)
    for hash_type in EXACT_TYPES:
        column = getattr(Media, hash_type)
        ids.update(
            session.execute(
                select(Media.id)
                .join(KnownHash, KnownHash.digest == column)
                .where(live, KnownHash.hash_type == hash_type)
            ).scalars()
        )
    rows = session.execute(
        select(KnownHash.id, KnownHash.digest).where(live, KnownHash.hash_type == "pdq")
    ).all()
    ids.update(_pdq_reach(session, [(int(i), str(d)) for i, d in rows if is_pdq(d)]))
    video = select(KnownHash.id).where(live, KnownHash.hash_type == "vpdq").limit(1)
    if session.execute(video).first() is not None:
        ids.update(
            session.execute(
                select(VideoFingerprint.media_id).where(VideoFingerprint.frame_count > 0)
            ).scalars()
        )
    return ids


def affected_by_set(session: Session, set_id: int) -> set[int]:
    """Media matched to any entry of a set."""
    return set(
        session.execute(
            select(MediaMatch.media_id)
            .distinct()
            .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
            .where(KnownHash.hash_set_id == set_id)
        ).scalars()
    )


def _pdq_reach(session: Session, entries: list[tuple[int, str]]) -> set[int]:
    if not entries:
        return set()
    widest = session.execute(
        select(func.max(HashSet.pdq_threshold)).where(HashSet.removed_at.is_(None))
    ).scalar_one_or_none()
    radius = min(256, int(widest or 31) + DRIFT_MARGIN)
    codes = hex_to_codes([d for _, d in entries])
    ids = np.array([i for i, _ in entries], dtype=np.int64)
    index: PdqIndexBase
    if len(entries) >= MIH_FROM:
        index = build_index_registry().get("pdq_mih").build(codes, ids)
    else:
        index = BrutePdqIndex.build(codes, ids)
    found: set[int] = set()
    last = 0
    while True:
        batch = session.execute(
            select(Media.id, Media.pdq)
            .where(Media.id > last, Media.pdq.is_not(None))
            .order_by(Media.id)
            .limit(SCAN)
        ).all()
        if not batch:
            return found
        last = int(batch[-1][0])
        usable = [(int(i), str(p)) for i, p in batch if is_pdq(p)]
        if usable:
            hits = index.search(hex_to_codes([p for _, p in usable]), radius)
            found.update(usable[q][0] for q in set(hits.query_index.tolist()))
