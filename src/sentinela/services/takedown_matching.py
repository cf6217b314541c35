"""Match captured bodies against the national store: known hash sets and seized media.

Exact matches look up MD5, SHA-1 and SHA-256 in the live entries of every hash set (the
national classification included) and SHA-256 among seized media. PDQ matches compare the
capture's PDQ with every live PDQ entry, within each set's own threshold, using the same
brute-force distance as grading (``near_duplicates.near``).

Known weakness: the PDQ comparison loads every live PDQ entry; for a store of millions of
hashes it should go through the faiss index of ``sentinela.matching`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.hashsets import HashSet, KnownHash
from sentinela.db.media import Media
from sentinela.services.near_duplicates import is_pdq, near

EXACT_TYPES: tuple[str, ...] = ("md5", "sha1", "sha256")


@dataclass(frozen=True)
class Probe:
    """The hashes of one captured body."""

    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None


@dataclass(frozen=True)
class StoreMatch:
    """One hit in the national store."""

    source: str  # hash_set | seized_media
    name: str
    hash_type: str
    category: str | None
    distance: int = 0

    def as_dict(self) -> dict[str, object]:
        """JSON-able form (for the manifest)."""
        return {
            "source": self.source,
            "name": self.name,
            "hash_type": self.hash_type,
            "category": self.category,
            "distance": self.distance,
        }


def _category(known: KnownHash) -> str | None:
    if known.category_scheme and known.category_code:
        return f"{known.category_scheme}:{known.category_code}"
    return None


def _exact(session: Session, probe: Probe) -> list[StoreMatch]:
    values = {"md5": probe.md5, "sha1": probe.sha1, "sha256": probe.sha256}
    rows = session.execute(
        select(KnownHash, HashSet.name)
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(
            KnownHash.removed_at.is_(None),
            HashSet.removed_at.is_(None),
            KnownHash.hash_type.in_(EXACT_TYPES),
            KnownHash.digest.in_(list(values.values())),
        )
    ).all()
    found = [
        StoreMatch("hash_set", name, known.hash_type, _category(known))
        for known, name in rows
        if values.get(known.hash_type) == known.digest
    ]
    media = session.execute(
        select(Media.id, Media.triage_class).where(Media.sha256 == probe.sha256)
    ).first()
    if media is not None:
        found.append(StoreMatch("seized_media", f"media:{media.id}", "sha256", media.triage_class))
    return found


def _pdq(session: Session, probe: Probe) -> list[StoreMatch]:
    if probe.pdq is None or not is_pdq(probe.pdq):
        return []
    rows = session.execute(
        select(KnownHash, HashSet.name, HashSet.pdq_threshold, HashSet.pdq_min_quality)
        .join(HashSet, HashSet.id == KnownHash.hash_set_id)
        .where(
            KnownHash.removed_at.is_(None),
            HashSet.removed_at.is_(None),
            KnownHash.hash_type == "pdq",
        )
    ).all()
    by_threshold: dict[int, list[tuple[KnownHash, str]]] = {}
    for known, name, threshold, min_quality in rows:
        if probe.pdq_quality is not None and probe.pdq_quality < min_quality:
            continue
        if is_pdq(known.digest):
            by_threshold.setdefault(threshold, []).append((known, name))
    found = []
    for threshold, entries in by_threshold.items():
        names = {known.id: (known, name) for known, name in entries}
        hits = near([(k.id, k.digest) for k, _ in entries], [probe.pdq], threshold)
        for known_id in hits:
            known, name = names[known_id]
            distance = _distance(known.digest, probe.pdq)
            found.append(StoreMatch("hash_set", name, "pdq", _category(known), distance))
    return found


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def match_probes(session: Session, probes: Sequence[Probe]) -> list[list[StoreMatch]]:
    """The national store's hits for each probe, in order."""
    return [_exact(session, p) + _pdq(session, p) for p in probes]
