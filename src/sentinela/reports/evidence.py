"""The evidence lines of matched items, and the hash sets (with versions) a report relies on."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, aliased

from sentinela.db.hashsets import HashSet, HashSetVersion, KnownHash, MediaMatch
from sentinela.errors import InvalidInputError
from sentinela.hashsets.schemes import Category, SchemeCatalogue

IN_CHUNK = 500
_FLAGS = ("victim_identified", "offender_identified", "baseline", "distributed")


def _label(scheme: str | None, code: str | None, catalogue: SchemeCatalogue) -> str | None:
    if not scheme or not code:
        return None
    try:
        return catalogue.validate(Category(scheme, code)).label
    except InvalidInputError:  # an unknown scheme or code only loses its label
        return None


def item_evidence(
    session: Session, media_ids: list[int], catalogue: SchemeCatalogue
) -> dict[int, list[dict[str, Any]]]:
    """For each item, one line per known entry it matches: set, version, hash, category."""
    listed = aliased(HashSetVersion)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lo in range(0, len(media_ids), IN_CHUNK):
        part = media_ids[lo : lo + IN_CHUNK]
        rows = session.execute(
            select(MediaMatch, KnownHash, HashSet, listed.version)
            .join(KnownHash, KnownHash.id == MediaMatch.known_hash_id)
            .join(HashSet, HashSet.id == KnownHash.hash_set_id)
            .outerjoin(listed, listed.id == KnownHash.version_id)
            .where(MediaMatch.media_id.in_(part))
        )
        for match, known, hs, version in rows:
            category = (
                f"{known.category_scheme}:{known.category_code}" if known.category_code else None
            )
            line: dict[str, Any] = {
                "set": hs.name,
                "set_source": hs.source,
                "set_version": version or hs.version,
                "hash_type": match.hash_type,
                "digest": known.digest,
                "distance": match.distance,
                "method": match.method,
                "category": category,
                "category_label": _label(known.category_scheme, known.category_code, catalogue),
                "series": known.series,
                "matched_at": match.matched_at.isoformat(),
            }
            line.update({flag: getattr(known, flag) for flag in _FLAGS})
            out[match.media_id].append(line)
    for lines in out.values():
        lines.sort(key=lambda x: (x["set"], x["hash_type"], x["digest"]))
    return dict(out)


def hash_sets_used(session: Session, media_ids: list[int]) -> list[dict[str, Any]]:
    """Every live set (triage compared the items with all of them) and every set matched."""
    matched: set[int] = set()
    for lo in range(0, len(media_ids), IN_CHUNK):
        part = media_ids[lo : lo + IN_CHUNK]
        matched.update(
            session.execute(
                select(KnownHash.hash_set_id)
                .join(MediaMatch, MediaMatch.known_hash_id == KnownHash.id)
                .where(MediaMatch.media_id.in_(part))
                .distinct()
            ).scalars()
        )
    condition: ColumnElement[bool] = HashSet.removed_at.is_(None)
    if matched:
        condition = or_(condition, HashSet.id.in_(sorted(matched)))
    sets = session.execute(select(HashSet).where(condition).order_by(HashSet.name)).scalars()
    out = []
    for hs in sets:
        versions = session.execute(
            select(HashSetVersion)
            .where(HashSetVersion.hash_set_id == hs.id)
            .order_by(HashSetVersion.id)
        ).scalars()
        out.append(
            {
                "name": hs.name,
                "source": hs.source,
                "version": hs.version,
                "scheme": hs.scheme,
                "kind": hs.kind,
                "trust": hs.trust,
                "legal_basis": hs.legal_basis,
                "format": hs.format,
                "entries": hs.entries,
                "pdq_threshold": hs.pdq_threshold,
                "pdq_min_quality": hs.pdq_min_quality,
                "imported_at": hs.imported_at.isoformat(),
                "removed_at": hs.removed_at.isoformat() if hs.removed_at else None,
                "matched_items": hs.id in matched,
                "versions": [
                    {
                        "version": v.version,
                        "file_name": v.file_name,
                        "file_sha256": v.file_sha256,
                        "format": v.format,
                        "mode": v.mode,
                        "records": v.records,
                        "added": v.added,
                        "updated": v.updated,
                        "deleted": v.deleted,
                        "imported_at": v.imported_at.isoformat(),
                        "imported_by": v.imported_by,
                    }
                    for v in versions
                ],
            }
        )
    return out
