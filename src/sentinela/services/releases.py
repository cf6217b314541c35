"""Building a tier's next release, and the snapshots and deltas providers download.

Building compares what the tier should hold (:mod:`.release_contents`) with what its latest
release holds, and records the difference as version N+1: new rows for additions, and
``removed_version``/``removed_reason`` on rows that leave (the tombstones). The state digest
is carried forward entry by entry. Documents are rebuilt from the rows on request and signed
then; Ed25519 signatures are deterministic, so the same request always gets the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.clock import Clock
from sentinela.db.industry import HashListEntry, HashListRelease, ProviderTier
from sentinela.services.context import ServiceContext
from sentinela.services.industry_lookup import load_tier
from sentinela.services.permissions import require_role
from sentinela.services.release_contents import desired_entries, live_entries, revoked_hashes
from sentinela.services.release_keys import load_release_key
from sentinela.sharing.document import (
    ListEntry,
    digest_hex,
    entry_term,
)

#: Roles that curate what is shared: build releases, revoke hashes, decide feedback.
CURATORS = ("admin", "examiner", "victim_id_specialist")
_CHUNK = 5_000


@dataclass(frozen=True)
class ReleaseView:
    """One release of one tier."""

    tier: str
    version: int
    created_at: datetime
    created_by: str
    entry_count: int
    added: int
    removed: int
    state_digest: str
    signing_key_id: str


def release_view(tier: ProviderTier, row: HashListRelease) -> ReleaseView:
    """The view of a release row."""
    return ReleaseView(
        tier.name,
        row.version,
        row.created_at,
        row.created_by,
        row.entry_count,
        row.added,
        row.removed,
        row.state_digest,
        row.signing_key_id,
    )


def latest_release(session: Session, tier_id: int) -> HashListRelease | None:
    """The tier's newest release, if any."""
    return session.execute(
        select(HashListRelease)
        .where(HashListRelease.tier_id == tier_id)
        .order_by(HashListRelease.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def publish_next(
    session: Session,
    tier: ProviderTier,
    *,
    key_id: str,
    actor: str,
    clock: Clock,
    force: bool = False,
) -> HashListRelease | None:
    """Record the tier's next release in the caller's transaction (audited).

    Returns:
        The new release, or ``None`` when nothing changed and ``force`` is false.
    """
    desired, malformed = desired_entries(session, tier)
    live = live_entries(session, tier.id)
    revoked = revoked_hashes(session)
    removals: dict[str, list[int]] = defaultdict(list)
    removed_entries: list[ListEntry] = []
    for key, held in live.items():
        wanted = desired.get(key)
        if wanted == held.entry:
            continue
        reason = "updated" if wanted is not None else revoked.get(key, "withdrawn")
        removals[reason].append(held.row_id)
        removed_entries.append(held.entry)
    additions = [e for k, e in desired.items() if k not in live or live[k].entry != e]
    previous = latest_release(session, tier.id)
    if previous is not None and not (additions or removed_entries or force):
        return None
    version = previous.version + 1 if previous else 1
    for reason, ids in removals.items():
        for i in range(0, len(ids), _CHUNK):
            session.execute(
                update(HashListEntry)
                .where(HashListEntry.id.in_(ids[i : i + _CHUNK]))
                .values(removed_version=version, removed_reason=reason)
            )
    rows = [
        {
            "tier_id": tier.id,
            "hash_type": e.hash_type,
            "digest": e.digest,
            "category_scheme": e.scheme,
            "category_code": e.code,
            "baseline": e.baseline,
            "added_version": version,
        }
        for e in additions
    ]
    for i in range(0, len(rows), _CHUNK):
        session.execute(insert(HashListEntry), rows[i : i + _CHUNK])
    value = int(previous.state_digest, 16) if previous else 0
    value += sum(entry_term(e) for e in additions) - sum(entry_term(e) for e in removed_entries)
    release = HashListRelease(
        tier_id=tier.id,
        version=version,
        created_at=clock(),
        created_by=actor,
        entry_count=(previous.entry_count if previous else 0)
        + len(additions)
        - len(removed_entries),
        added=len(additions),
        removed=len(removed_entries),
        state_digest=digest_hex(value),
        signing_key_id=key_id,
    )
    session.add(release)
    session.flush()
    record(
        session,
        actor=actor,
        action="release.build",
        object_type="provider_tier",
        object_id=tier.name,
        details={
            "version": version,
            "added": len(additions),
            "removed": {r: len(ids) for r, ids in sorted(removals.items())},
            "entry_count": release.entry_count,
            "skipped_malformed": malformed,
            "signing_key_id": key_id,
        },
        clock=clock,
    )
    return release


def build_release(ctx: ServiceContext, tier: str, *, force: bool = False) -> ReleaseView | None:
    """Publish the tier's next release if anything changed (curators only).

    Returns:
        The new release, or ``None`` when the tier is already current.

    Raises:
        NotFoundError: no such tier.
        ConfigurationError: the signing key is missing or unsafe.
        AccessDenied: the actor may not curate releases.
    """
    key = load_release_key(ctx.settings)
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *CURATORS)
        tier_row = load_tier(session, tier)
        release = publish_next(
            session, tier_row, key_id=key.key_id, actor=actor.username, clock=ctx.clock, force=force
        )
        return release_view(tier_row, release) if release else None


def list_releases(session: Session, tier: ProviderTier) -> list[ReleaseView]:
    """Every release of a tier, oldest first."""
    rows = session.execute(
        select(HashListRelease)
        .where(HashListRelease.tier_id == tier.id)
        .order_by(HashListRelease.version)
    ).scalars()
    return [release_view(tier, r) for r in rows]


def list_all_releases(ctx: ServiceContext, tier: str) -> list[ReleaseView]:
    """Every release of the named tier (curators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *CURATORS)
        return list_releases(session, load_tier(session, tier))


def release_count(session: Session, tier_id: int) -> int:
    """How many releases a tier has (0 before the first build)."""
    return int(
        session.execute(
            select(func.count(HashListRelease.id)).where(HashListRelease.tier_id == tier_id)
        ).scalar_one()
    )
