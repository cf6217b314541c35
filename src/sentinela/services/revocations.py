"""Withdrawing a hash from sharing, and the analysts' queue of provider feedback.

A revocation is global: the hash leaves every tier. By default the next release of every
tier that held it is published at once, so the tombstone is in the very next delta and the
remote match API stops reporting the hash in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.clock import Clock
from sentinela.db.industry import (
    HashListEntry,
    HashRevocation,
    Provider,
    ProviderFeedback,
    ProviderTier,
)
from sentinela.errors import AlreadyExistsError, InvalidInputError, NotFoundError
from sentinela.hashing.types import build_hash_type_registry
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role
from sentinela.services.release_keys import load_release_key
from sentinela.services.releases import CURATORS, ReleaseView, publish_next, release_view
from sentinela.sharing.document import DIGEST_LENGTHS

#: Why a hash is revoked. Stable names: published in tombstones.
REVOCATION_REASONS = ("false_positive", "withdrawn")


@dataclass(frozen=True)
class RevocationView:
    """A revocation and the releases that published its tombstone."""

    hash_type: str
    digest: str
    reason: str
    revoked_at: datetime
    revoked_by: str
    releases: list[ReleaseView]


@dataclass(frozen=True)
class FeedbackView:
    """One item of the analysts' queue."""

    id: int
    provider: str
    hash_type: str
    digest: str
    opinion: str
    note: str
    received_at: datetime
    status: str
    decided_by: str | None
    decision_note: str


def normalise_hash(hash_type: str, digest: str) -> str:
    """The canonical digest of a hash that may be shared.

    Raises:
        InvalidInputError: a hash type that is not shared.
        InvalidHashError: a malformed digest.
    """
    if hash_type not in DIGEST_LENGTHS:
        raise InvalidInputError(f"hash type must be one of {', '.join(DIGEST_LENGTHS)}")
    return build_hash_type_registry().get(hash_type).validate(digest)


def _revoke(
    session: Session,
    hash_type: str,
    digest: str,
    *,
    reason: str,
    note: str,
    actor: str,
    clock: Clock,
    publish_key_id: str | None,
    feedback_id: int | None = None,
) -> RevocationView:
    if reason not in REVOCATION_REASONS:
        raise InvalidInputError(f"reason must be one of {', '.join(REVOCATION_REASONS)}")
    exists = session.execute(
        select(HashRevocation.id).where(
            HashRevocation.hash_type == hash_type, HashRevocation.digest == digest
        )
    ).first()
    if exists:
        raise AlreadyExistsError(f"{hash_type} {digest} is already revoked")
    row = HashRevocation(
        hash_type=hash_type,
        digest=digest,
        reason=reason,
        note=note,
        revoked_at=clock(),
        revoked_by=actor,
        feedback_id=feedback_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="hash.revoke",
        object_type="hash",
        object_id=f"{hash_type}:{digest}",
        details={"reason": reason, "note": note, "feedback_id": feedback_id},
        clock=clock,
    )
    releases: list[ReleaseView] = []
    if publish_key_id is not None:
        tiers = (
            session.execute(
                select(ProviderTier)
                .join(HashListEntry, HashListEntry.tier_id == ProviderTier.id)
                .where(
                    HashListEntry.hash_type == hash_type,
                    HashListEntry.digest == digest,
                    HashListEntry.removed_version.is_(None),
                )
                .distinct()
            )
            .scalars()
            .all()
        )
        for tier in tiers:
            release = publish_next(session, tier, key_id=publish_key_id, actor=actor, clock=clock)
            if release is not None:
                releases.append(release_view(tier, release))
    return RevocationView(hash_type, digest, reason, row.revoked_at, actor, releases)


def revoke_hash(
    ctx: ServiceContext,
    hash_type: str,
    digest: str,
    *,
    reason: str = "false_positive",
    note: str = "",
    publish: bool = True,
) -> RevocationView:
    """Withdraw a hash from sharing (curators only; audited).

    Args:
        hash_type: md5, sha1, sha256 or pdq.
        digest: the hash, any case.
        reason: ``false_positive`` or ``withdrawn``; published in the tombstone.
        note: for the record (never published).
        publish: publish the next release of every tier that held the hash now.

    Raises:
        InvalidInputError: unknown hash type or reason.
        InvalidHashError: malformed digest.
        AlreadyExistsError: the hash is already revoked.
        AccessDenied: the actor may not curate releases.
    """
    value = normalise_hash(hash_type, digest)
    key = load_release_key(ctx.settings) if publish else None
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *CURATORS)
        return _revoke(
            session,
            hash_type,
            value,
            reason=reason,
            note=note,
            actor=actor.username,
            clock=ctx.clock,
            publish_key_id=key.key_id if key is not None else None,
        )


def _feedback_view(row: ProviderFeedback, provider: str) -> FeedbackView:
    return FeedbackView(
        row.id,
        provider,
        row.hash_type,
        row.digest,
        row.opinion,
        row.note,
        row.received_at,
        row.status,
        row.decided_by,
        row.decision_note,
    )


def list_feedback(ctx: ServiceContext, *, status: str | None = "open") -> list[FeedbackView]:
    """The analysts' queue, oldest first (curators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), *CURATORS)
        query = select(ProviderFeedback, Provider.name).join(
            Provider, Provider.id == ProviderFeedback.provider_id
        )
        if status is not None:
            query = query.where(ProviderFeedback.status == status)
        rows = session.execute(query.order_by(ProviderFeedback.id)).all()
        return [_feedback_view(row, name) for row, name in rows]


def decide_feedback(
    ctx: ServiceContext, feedback_id: int, *, accept: bool, note: str = ""
) -> FeedbackView:
    """Settle one feedback item (curators only; audited).

    Accepting a ``false_positive`` report revokes the hash and publishes the tombstone
    (unless it is already revoked); accepting a ``confirmed`` report only records it.

    Raises:
        NotFoundError: no such feedback item.
        InvalidInputError: it was already decided.
        AccessDenied: the actor may not curate releases.
    """
    key = load_release_key(ctx.settings) if accept else None
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_role(actor, *CURATORS)
        row = session.get(ProviderFeedback, feedback_id)
        if row is None:
            raise NotFoundError(f"no feedback item {feedback_id}")
        if row.status != "open":
            raise InvalidInputError(f"feedback item {feedback_id} was already {row.status}")
        row.status = "accepted" if accept else "rejected"
        row.decided_at, row.decided_by, row.decision_note = ctx.clock(), actor.username, note
        record(
            session,
            actor=actor.username,
            action="feedback.decide",
            object_type="provider_feedback",
            object_id=feedback_id,
            details={"status": row.status, "opinion": row.opinion, "note": note},
            clock=ctx.clock,
        )
        revoked = session.execute(
            select(HashRevocation.id).where(
                HashRevocation.hash_type == row.hash_type, HashRevocation.digest == row.digest
            )
        ).first()
        if accept and row.opinion == "false_positive" and not revoked and key is not None:
            _revoke(
                session,
                row.hash_type,
                row.digest,
                reason="false_positive",
                note=note or f"provider feedback #{feedback_id}",
                actor=actor.username,
                clock=ctx.clock,
                publish_key_id=key.key_id,
                feedback_id=feedback_id,
            )
        provider = session.get(Provider, row.provider_id)
        return _feedback_view(row, provider.name if provider else "")
