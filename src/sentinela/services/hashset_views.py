"""Reading known hash sets: list and show, both audited (who looked at which sets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from sentinela.audit import record
from sentinela.db.hashsets import HashSet, HashSetVersion, KnownHash
from sentinela.errors import NotFoundError
from sentinela.services.context import ServiceContext


@dataclass(frozen=True)
class HashSetView:
    """A set and its provenance."""

    name: str
    source: str
    version: str
    scheme: str
    kind: str
    trust: str
    legal_basis: str
    format: str
    pdq_threshold: int
    pdq_min_quality: int
    entries: int
    imported_at: datetime
    imported_by: str
    removed_at: datetime | None


@dataclass(frozen=True)
class VersionView:
    """One imported version of a set."""

    version: str
    file_name: str
    file_sha256: str
    format: str
    mode: str
    records: int
    added: int
    updated: int
    deleted: int
    imported_at: datetime
    imported_by: str


@dataclass(frozen=True)
class HashSetDetail:
    """A set, its versions, and its live entries by hash type and by category."""

    set: HashSetView
    versions: tuple[VersionView, ...]
    by_hash_type: dict[str, int]
    by_category: dict[str, int]


def set_view(hs: HashSet) -> HashSetView:
    """The view of a set row."""
    return HashSetView(
        hs.name,
        hs.source,
        hs.version,
        hs.scheme,
        hs.kind,
        hs.trust,
        hs.legal_basis,
        hs.format,
        hs.pdq_threshold,
        hs.pdq_min_quality,
        hs.entries,
        hs.imported_at,
        hs.imported_by,
        hs.removed_at,
    )


def list_hash_sets(ctx: ServiceContext, *, include_removed: bool = False) -> list[HashSetView]:
    """Every set, by name (removed ones only when asked)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        query = select(HashSet).order_by(HashSet.name)
        if not include_removed:
            query = query.where(HashSet.removed_at.is_(None))
        views = [set_view(hs) for hs in session.execute(query).scalars()]
        record(
            session,
            actor=actor.username,
            action="hashset.list",
            object_type="hash_set",
            object_id="*",
            clock=ctx.clock,
            details={"sets": len(views), "include_removed": include_removed},
        )
        return views


def show_hash_set(ctx: ServiceContext, name: str) -> HashSetDetail:
    """A set with its versions and entry counts.

    Raises:
        NotFoundError: no set of that name.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        hs = session.execute(select(HashSet).where(HashSet.name == name)).scalar_one_or_none()
        if hs is None:
            raise NotFoundError(f"no hash set {name!r}")
        versions = tuple(
            VersionView(
                v.version,
                v.file_name,
                v.file_sha256,
                v.format,
                v.mode,
                v.records,
                v.added,
                v.updated,
                v.deleted,
                v.imported_at,
                v.imported_by,
            )
            for v in session.execute(
                select(HashSetVersion)
                .where(HashSetVersion.hash_set_id == hs.id)
                .order_by(HashSetVersion.id)
            ).scalars()
        )
        live = (KnownHash.hash_set_id == hs.id) & KnownHash.removed_at.is_(None)
        by_type = session.execute(
            select(KnownHash.hash_type, func.count())
            .where(live)
            .group_by(KnownHash.hash_type)
            .order_by(KnownHash.hash_type)
        )
        by_category = session.execute(
            select(KnownHash.category_scheme, KnownHash.category_code, func.count())
            .where(live)
            .group_by(KnownHash.category_scheme, KnownHash.category_code)
        )
        categories = {
            (f"{scheme}:{code}" if code else "uncategorised"): int(n)
            for scheme, code, n in by_category
        }
        record(
            session,
            actor=actor.username,
            action="hashset.show",
            object_type="hash_set",
            object_id=hs.id,
            clock=ctx.clock,
            details={"name": name},
        )
        return HashSetDetail(
            set_view(hs),
            versions,
            {t: int(n) for t, n in by_type},
            dict(sorted(categories.items())),
        )
