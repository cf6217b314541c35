"""What a tier should hold now, read from the known hash sets, and what it holds.

A tier draws from named categorised hash sets (the national classification first, usually).
An entry is the hash type, digest, category (scheme, code) and baseline flag of a live
``KnownHash``; nothing else leaves the building (no case, series, victim or source record).
When sets disagree on a digest, the set listed first in the tier wins. Revoked hashes are
left out whatever set still holds them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.industry import HashListEntry, HashRevocation, ProviderTier
from sentinela.sharing.document import DIGEST_LENGTHS, ListEntry, check_digest
from sentinela.sharing.errors import ReleaseVerificationError

Key = tuple[str, str]
_STREAM = 10_000


@dataclass(frozen=True)
class LiveEntry:
    """A published entry that is still live, with its row id."""

    row_id: int
    entry: ListEntry


def revoked_hashes(session: Session) -> dict[Key, str]:
    """Every revoked (hash type, digest), with the reason."""
    rows = session.execute(
        select(HashRevocation.hash_type, HashRevocation.digest, HashRevocation.reason)
    )
    return {(t, d): r for t, d, r in rows}


def _known_rows(session: Session, tier: ProviderTier) -> Iterator[tuple[int, ListEntry]]:
    names: list[str] = json.loads(tier.hash_sets)
    sets = session.execute(
        select(HashSet.id, HashSet.name).where(
            HashSet.name.in_(names), HashSet.kind == "categorised", HashSet.removed_at.is_(None)
        )
    ).all()
    if not sets:
        return
    priority = {set_id: names.index(name) for set_id, name in sets}
    types = [t for t in json.loads(tier.hash_types) if t in DIGEST_LENGTHS]
    query = select(
        KnownHash.hash_set_id,
        KnownHash.hash_type,
        KnownHash.digest,
        KnownHash.category_scheme,
        KnownHash.category_code,
        KnownHash.baseline,
    ).where(
        KnownHash.hash_set_id.in_(list(priority)),
        KnownHash.removed_at.is_(None),
        KnownHash.hash_type.in_(types),
        KnownHash.category_scheme.is_not(None),
        KnownHash.category_code.is_not(None),
    )
    if tier.baseline_only:
        query = query.where(KnownHash.baseline.is_(True))
    result = session.execute(query.execution_options(yield_per=_STREAM))
    for set_id, hash_type, digest, scheme, code, baseline in result:
        yield (
            priority[set_id],
            ListEntry(hash_type, digest, scheme or "", code or "", bool(baseline)),
        )


def desired_entries(session: Session, tier: ProviderTier) -> tuple[dict[Key, ListEntry], int]:
    """What the tier should hold now.

    Returns:
        The entries by key, and how many known hashes were skipped as malformed.
    """
    categories = set(json.loads(tier.categories))
    revoked = revoked_hashes(session)
    chosen: dict[Key, tuple[int, ListEntry]] = {}
    malformed = 0
    for rank, entry in _known_rows(session, tier):
        if categories and f"{entry.scheme}:{entry.code}" not in categories:
            continue
        key = entry.key
        if key in revoked:
            continue
        held = chosen.get(key)
        if held is not None and held[0] <= rank:
            continue
        try:
            check_digest(entry.hash_type, entry.digest, "known hash")
        except ReleaseVerificationError:
            malformed += 1
            continue
        chosen[key] = (rank, entry)
    return {k: e for k, (_, e) in chosen.items()}, malformed


def live_entries(session: Session, tier_id: int) -> dict[Key, LiveEntry]:
    """What the tier's latest release holds."""
    rows = session.execute(
        select(
            HashListEntry.id,
            HashListEntry.hash_type,
            HashListEntry.digest,
            HashListEntry.category_scheme,
            HashListEntry.category_code,
            HashListEntry.baseline,
        )
        .where(HashListEntry.tier_id == tier_id, HashListEntry.removed_version.is_(None))
        .execution_options(yield_per=_STREAM)
    )
    return {
        (t, d): LiveEntry(row_id, ListEntry(t, d, s, c, bool(b))) for row_id, t, d, s, c, b in rows
    }
