"""The documents providers download: a tier's full list at one version, and the changes
between a version and the latest, rebuilt from the entry rows (see :mod:`.releases`)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sentinela.audit import record
from sentinela.db.industry import HashListEntry, HashListRelease, ProviderTier
from sentinela.errors import InvalidInputError, NotFoundError
from sentinela.services.context import ServiceContext
from sentinela.services.industry_lookup import load_tier
from sentinela.services.permissions import require_role
from sentinela.services.releases import CURATORS, latest_release
from sentinela.sharing.document import HashListDocument, ListEntry, Tombstone, format_time


def _release(session: Session, tier: ProviderTier, version: int | None) -> HashListRelease:
    if version is None:
        row = latest_release(session, tier.id)
    else:
        row = session.execute(
            select(HashListRelease).where(
                HashListRelease.tier_id == tier.id, HashListRelease.version == version
            )
        ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(f"tier {tier.name!r} has no release {version or ''}".rstrip())
    return row


def _entries(session: Session, condition: ColumnElement[bool]) -> list[ListEntry]:
    rows = session.execute(
        select(
            HashListEntry.hash_type,
            HashListEntry.digest,
            HashListEntry.category_scheme,
            HashListEntry.category_code,
            HashListEntry.baseline,
        )
        .where(condition)
        .order_by(HashListEntry.id)
    )
    return [ListEntry(t, d, s, c, bool(b)) for t, d, s, c, b in rows]


def snapshot_document(session: Session, tier: ProviderTier, version: int) -> HashListDocument:
    """The full list of ``tier`` at ``version``.

    Raises:
        NotFoundError: no such release.
    """
    release = _release(session, tier, version)
    live_at = (
        (HashListEntry.tier_id == tier.id)
        & (HashListEntry.added_version <= version)
        & or_(HashListEntry.removed_version.is_(None), HashListEntry.removed_version > version)
    )
    return HashListDocument(
        kind="snapshot",
        tier=tier.name,
        version=version,
        since=None,
        created_at=format_time(release.created_at),
        entry_count=release.entry_count,
        state_digest=release.state_digest,
        entries=_entries(session, live_at),
        revocations=[],
    )


def delta_document(session: Session, tier: ProviderTier, since: int) -> HashListDocument:
    """The changes of ``tier`` from version ``since`` to its latest release.

    Raises:
        NotFoundError: the tier has no release yet.
        InvalidInputError: ``since`` is negative or after the latest version.
    """
    release = _release(session, tier, None)
    version = release.version
    if not 0 <= since <= version:
        raise InvalidInputError(f"since must be between 0 and {version}, the latest version")
    added = (
        (HashListEntry.tier_id == tier.id)
        & (HashListEntry.added_version > since)
        & HashListEntry.removed_version.is_(None)
    )
    gone = session.execute(
        select(HashListEntry.hash_type, HashListEntry.digest, HashListEntry.removed_reason)
        .where(
            HashListEntry.tier_id == tier.id,
            HashListEntry.added_version <= since,
            HashListEntry.removed_version > since,
        )
        .order_by(HashListEntry.id)
    )
    return HashListDocument(
        kind="delta",
        tier=tier.name,
        version=version,
        since=since,
        created_at=format_time(release.created_at),
        entry_count=release.entry_count,
        state_digest=release.state_digest,
        entries=_entries(session, added),
        revocations=[Tombstone(t, d, r or "withdrawn") for t, d, r in gone],
    )


def export_snapshot(ctx: ServiceContext, tier: str, version: int | None) -> HashListDocument:
    """The full list of a tier at ``version`` (latest when None), for offline delivery
    (curators only; audited).

    Raises:
        NotFoundError: no such tier or release.
        AccessDenied: the actor may not curate releases.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *CURATORS)
        tier_row = load_tier(session, tier)
        number = _release(session, tier_row, version).version
        document = snapshot_document(session, tier_row, number)
        record(
            session,
            actor=actor.username,
            action="release.export",
            object_type="provider_tier",
            object_id=tier,
            details={"version": number, "entries": len(document.entries)},
            clock=ctx.clock,
        )
        return document
