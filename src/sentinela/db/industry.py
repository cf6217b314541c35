"""Industry hash sharing: providers, their API keys, tiers, signed releases and usage.

Why a release is not stored as a file but as entry rows with ``added_version`` and
``removed_version``: one table then answers all three questions a provider asks. The snapshot
at version V is every row added at or before V and not removed by V; the delta from S to V is
every row added after S (and still live at V) plus every row removed after S that was live at
S (the tombstones). A hash withdrawn as a false positive keeps its row, with the version that
removed it and why, so the withdrawal is itself part of the published history.

Why API keys are stored as a plain SHA-256: the secret part is 256 random bits, so there is
nothing to brute-force and a slow password hash would only slow every API call. The key
itself is shown once, when it is created.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base

#: What a provider may do. Stable names: persisted and shown to providers.
PROVIDER_SCOPES: tuple[str, ...] = ("list_download", "remote_match", "feedback")
#: What a provider may say about a hash. Stable names: persisted.
FEEDBACK_OPINIONS: tuple[str, ...] = ("confirmed", "false_positive")
#: Where a feedback report stands in the analysts' queue. Stable names: persisted.
FEEDBACK_STATUSES: tuple[str, ...] = ("open", "accepted", "rejected")
#: Why an entry left a tier. Stable names: persisted and published in deltas.
REMOVAL_REASONS: tuple[str, ...] = ("false_positive", "withdrawn", "updated", "out_of_tier")


class ProviderTier(Base):
    """What a group of providers may receive: which hash sets, categories and hash types.

    ``hash_sets``, ``categories`` (``scheme:code``) and ``hash_types`` are JSON lists; an
    empty ``categories`` list means every category of the listed sets.
    """

    __tablename__ = "provider_tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    hash_sets: Mapped[str] = mapped_column(Text)
    categories: Mapped[str] = mapped_column(Text, default="[]")
    hash_types: Mapped[str] = mapped_column(Text)
    baseline_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class Provider(Base):
    """A platform registered by the police: a host, an ISP, a social network."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(Text, default="")
    tier_id: Mapped[int] = mapped_column(ForeignKey("provider_tiers.id"), index=True)
    scopes: Mapped[str] = mapped_column(Text)  # JSON list of PROVIDER_SCOPES
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiKey(Base):
    """One API key of a provider. Only the SHA-256 of the whole key is stored.

    ``window_start`` and ``window_count`` hold the current rate-limit window, on the row
    itself, so every server process sees the same count.
    """

    __tablename__ = "provider_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    rate_limit_per_minute: Mapped[int] = mapped_column(default=120)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(64), default=None)
    replaced_by: Mapped[str | None] = mapped_column(String(16), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    window_start: Mapped[datetime | None] = mapped_column(default=None)
    window_count: Mapped[int] = mapped_column(default=0)


class HashListRelease(Base):
    """One signed version of one tier's hash list."""

    __tablename__ = "hash_list_releases"
    __table_args__ = (UniqueConstraint("tier_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("provider_tiers.id"), index=True)
    version: Mapped[int]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int] = mapped_column(BigInteger, default=0)
    added: Mapped[int] = mapped_column(BigInteger, default=0)
    removed: Mapped[int] = mapped_column(BigInteger, default=0)
    state_digest: Mapped[str] = mapped_column(String(64))
    signing_key_id: Mapped[str] = mapped_column(String(16))


class HashListEntry(Base):
    """One hash as published to one tier, from the version that added it to the one that
    removed it (``None`` while it is live)."""

    __tablename__ = "hash_list_entries"
    __table_args__ = (
        Index("ix_hash_list_entries_live", "tier_id", "removed_version"),
        Index("ix_hash_list_entries_added", "tier_id", "added_version"),
        Index("ix_hash_list_entries_digest", "tier_id", "hash_type", "digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("provider_tiers.id"))
    hash_type: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    category_scheme: Mapped[str] = mapped_column(String(64))
    category_code: Mapped[str] = mapped_column(String(32))
    baseline: Mapped[bool] = mapped_column(default=False)
    added_version: Mapped[int]
    removed_version: Mapped[int | None] = mapped_column(default=None)
    removed_reason: Mapped[str | None] = mapped_column(String(32), default=None)


class HashRevocation(Base):
    """A hash the police withdrew from sharing (a false positive, or a decision reversed).

    A revoked hash is left out of every later release of every tier, and the release that
    drops it publishes a tombstone.
    """

    __tablename__ = "hash_revocations"
    __table_args__ = (UniqueConstraint("hash_type", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hash_type: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime]
    revoked_by: Mapped[str] = mapped_column(String(64))
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider_feedback.id"), default=None
    )


class ProviderFeedback(Base):
    """A provider's opinion of one hash, waiting in the analysts' queue."""

    __tablename__ = "provider_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    hash_type: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    opinion: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")


class ProviderUsage(Base):
    """What one provider did on one UTC day: the counts the police see, never the hashes."""

    __tablename__ = "provider_usage"
    __table_args__ = (UniqueConstraint("provider_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    day: Mapped[date]
    match_requests: Mapped[int] = mapped_column(BigInteger, default=0)
    hashes_examined: Mapped[int] = mapped_column(BigInteger, default=0)
    hashes_matched: Mapped[int] = mapped_column(BigInteger, default=0)
    local_examined: Mapped[int] = mapped_column(BigInteger, default=0)
    local_matched: Mapped[int] = mapped_column(BigInteger, default=0)
    downloads: Mapped[int] = mapped_column(BigInteger, default=0)
