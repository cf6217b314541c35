"""Exchange with other agencies: export records, feed destinations and packages, case imports.

Why a feed stores every item it sent (:class:`FeedItem`) and not a "since" timestamp: a
watermark on time misses rows whose transaction committed late with an earlier time. A feed
instead compares what is eligible now with what the earlier feeds sent, item by item, so
running it twice with no change gives an empty delta, and the state a partner holds after
feed N can be recomputed (and its digest checked) from the packages alone.

Why a feed keeps its manifest text: the manifest's SHA-256 is the link the next manifest
points to. Keeping the text lets an operator restore a damaged package exactly, and lets the
verifier tell a damaged package from a tampered database row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base

#: What an export holds. Stable names: persisted.
EXPORT_KINDS: tuple[str, ...] = ("case", "hash_set")
#: Feed states. ``void``: an operator withdrew a damaged head feed; its items count as unsent.
FEED_STATUSES: tuple[str, ...] = ("complete", "void")
#: How an item changed in a feed. Stable names: persisted and written in manifests.
FEED_CHANGES: tuple[str, ...] = ("new", "updated", "withdrawn")


class ExchangeExport(Base):
    """One export written for another agency or tool: what, where, its hash and who."""

    __tablename__ = "exchange_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True, default=None)
    target_dir: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    records: Mapped[int] = mapped_column(BigInteger)
    content_files: Mapped[int] = mapped_column(default=0)
    authorisation: Mapped[str] = mapped_column(Text, default="")
    parameters: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class FeedDestination(Base):
    """A named recipient of incremental feeds (``icse``, a partner agency), with its mapping.

    ``mapping`` is a JSON object ``{"<scheme>:<code>": "<target code>" | null}`` reviewed by
    ``reviewed_by``; ``null`` excludes the category from the feed on purpose.
    """

    __tablename__ = "feed_destinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(32))
    scheme: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(200), default="")
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    reviewed_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime]
    packages_dir: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class Feed(Base):
    """One incremental package sent to a destination, linked to the previous by its manifest."""

    __tablename__ = "feeds"
    __table_args__ = (UniqueConstraint("destination_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("feed_destinations.id"), index=True)
    sequence: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="complete")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    previous_manifest_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    package_dir: Mapped[str] = mapped_column(Text)
    manifest: Mapped[str] = mapped_column(Text)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    state_digest: Mapped[str] = mapped_column(String(64))
    state_count: Mapped[int] = mapped_column(BigInteger, default=0)
    new_count: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_count: Mapped[int] = mapped_column(BigInteger, default=0)
    withdrawn_count: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    resolution_note: Mapped[str] = mapped_column(Text, default="")


class FeedItem(Base):
    """One item a feed sent (new or updated, with its state) or withdrew."""

    __tablename__ = "feed_items"
    __table_args__ = (
        UniqueConstraint("feed_id", "item_key"),
        Index("ix_feed_items_item_key", "item_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(64))
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id"), default=None)
    change: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(Text, default="")  # canonical JSON; "" when withdrawn


class CaseImport(Base):
    """Provenance of a case export received from another agency, imported as a hash set."""

    __tablename__ = "case_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    hash_set_id: Mapped[int] = mapped_column(ForeignKey("hash_sets.id"), index=True)
    agency: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(16), default="")
    region: Mapped[str | None] = mapped_column(String(16), default=None)
    foreign_case_id: Mapped[str | None] = mapped_column(String(200), default=None)
    foreign_case_number: Mapped[str | None] = mapped_column(String(200), default=None)
    contact: Mapped[str] = mapped_column(Text, default="{}")  # JSON: organization, name, email...
    source_application: Mapped[str] = mapped_column(String(200), default="")
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    occurrences: Mapped[int] = mapped_column(BigInteger, default=0)
    mapped: Mapped[int] = mapped_column(BigInteger, default=0)
    unmapped: Mapped[str] = mapped_column(Text, default="{}")  # JSON: category -> count
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(64))
