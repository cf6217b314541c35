"""Known hash sets with provenance, their entries, what media matched them, and triage.

Why the triage state is stored apart from ``media.triage_class``: the class alone cannot tell
that an item already known has become "known, in a series whose victim is identified". A
:class:`TriageState` keeps the whole known status (class, sets, categories, series, flags) of
each triaged item and a digest of it, so a re-triage sees any change, and a
:class:`TriageChange` row records each change with its cause for ``sentinela match --all``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base

#: Triage classes. Stable names: persisted and exported.
TRIAGE_CLASSES: tuple[str, ...] = ("known_categorised", "known_benign", "new")
SET_KINDS: tuple[str, ...] = ("categorised", "benign")
#: How a match was established. Stable names: persisted.
#: ``exact``: same digest; ``pdq``: a full-resolution PDQ within the set's threshold;
#: ``pdq_confirmed_full``: a drafted PDQ candidate confirmed by the full-resolution PDQ decoded
#: from the vault; ``pdq_fast``: a drafted PDQ within the threshold whose bytes were not
#: available to confirm it; ``vpdq``: a video matching a known video by vPDQ's rule.
MATCH_METHODS: tuple[str, ...] = ("exact", "pdq", "pdq_confirmed_full", "pdq_fast", "vpdq")
#: How a version is applied. Stable names: persisted.
IMPORT_MODES: tuple[str, ...] = ("snapshot", "delta")
#: Queries must spell the predicate as the literal ``hash_type = 'pdq'`` to use these indexes.
_PDQ_ONLY = text("hash_type = 'pdq'")


class HashSet(Base):
    """A known set from an agency, NIST, NCMEC, ICSE, or the national classification.

    A set is identified by ``name``; importing a newer version applies its additions,
    updates and deletions to the same set (history in :class:`HashSetVersion`).
    """

    __tablename__ = "hash_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100))
    scheme: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # categorised | benign
    trust: Mapped[str] = mapped_column(String(32), default="standard")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(64))
    pdq_threshold: Mapped[int] = mapped_column(default=31)
    pdq_min_quality: Mapped[int] = mapped_column(default=50)
    entries: Mapped[int] = mapped_column(BigInteger, default=0)
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(64))
    removed_at: Mapped[datetime | None] = mapped_column(default=None)


class HashSetVersion(Base):
    """One import of one version of a set: the file, its hash and what it changed."""

    __tablename__ = "hash_set_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    hash_set_id: Mapped[int] = mapped_column(ForeignKey("hash_sets.id"), index=True)
    version: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(64))
    added: Mapped[int] = mapped_column(BigInteger, default=0)
    updated: Mapped[int] = mapped_column(BigInteger, default=0)
    deleted: Mapped[int] = mapped_column(BigInteger, default=0)
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(64))
    #: ``snapshot``: entries the file no longer lists are removed; ``delta``: only the
    #: file's own deletions remove entries (NCMEC feeds).
    mode: Mapped[str] = mapped_column(String(16), default="snapshot")
    records: Mapped[int] = mapped_column(BigInteger, default=0)


class KnownHash(Base):
    """One entry of a set: a digest with its category and flags.

    ``updated_at`` changes whenever the entry's content or liveness changes (added, updated,
    removed, revived): the PDQ index catches up from the database by it.
    """

    __tablename__ = "known_hashes"
    __table_args__ = (
        UniqueConstraint("hash_set_id", "hash_type", "digest"),
        Index("ix_known_hashes_lookup", "hash_type", "digest"),
        Index("ix_known_hashes_source_record", "hash_set_id", "source_record"),
        # The PDQ index catches up through these two (partial: PDQ rows only).
        Index(
            "ix_known_hashes_pdq_id",
            "hash_type",
            "id",
            sqlite_where=_PDQ_ONLY,
            postgresql_where=_PDQ_ONLY,
        ),
        Index(
            "ix_known_hashes_pdq_updated_at",
            "hash_type",
            "updated_at",
            sqlite_where=_PDQ_ONLY,
            postgresql_where=_PDQ_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hash_set_id: Mapped[int] = mapped_column(ForeignKey("hash_sets.id"), index=True)
    hash_type: Mapped[str] = mapped_column(String(16))  # md5 | sha1 | sha256 | pdq | photodna
    digest: Mapped[str] = mapped_column(Text)
    category_scheme: Mapped[str | None] = mapped_column(String(64), default=None)
    category_code: Mapped[str | None] = mapped_column(String(32), default=None)
    series: Mapped[str | None] = mapped_column(String(200), default=None)
    victim_identified: Mapped[bool | None] = mapped_column(default=None)
    offender_identified: Mapped[bool | None] = mapped_column(default=None)
    baseline: Mapped[bool | None] = mapped_column(default=None)
    distributed: Mapped[bool | None] = mapped_column(default=None)
    source_record: Mapped[str | None] = mapped_column(String(200), default=None)
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    pdq_quality: Mapped[int | None] = mapped_column(default=None)
    #: The last imported version that listed the entry.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("hash_set_versions.id"), default=None)
    #: The version in which the entry was last added, changed or removed.
    changed_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("hash_set_versions.id"), index=True, default=None
    )


class MediaMatch(Base):
    """Evidence that a media item matched a known entry: the set, hash type and distance."""

    __tablename__ = "media_matches"
    __table_args__ = (UniqueConstraint("media_id", "known_hash_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    known_hash_id: Mapped[int] = mapped_column(ForeignKey("known_hashes.id"), index=True)
    hash_type: Mapped[str] = mapped_column(String(16))
    distance: Mapped[int] = mapped_column(default=0)
    method: Mapped[str] = mapped_column(String(32))  # one of MATCH_METHODS
    matched_at: Mapped[datetime]
    #: vPDQ matches only: the shares of the item's and of the known video's frames matched.
    query_percent: Mapped[float | None] = mapped_column(Float, default=None)
    index_percent: Mapped[float | None] = mapped_column(Float, default=None)


class TriageState(Base):
    """The known status of one media item as last triaged (see the module docstring)."""

    __tablename__ = "triage_states"

    media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(Text)  # canonical JSON
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class TriageChange(Base):
    """One change of an item's known status, with what caused it."""

    __tablename__ = "triage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(index=True)
    cause: Mapped[str] = mapped_column(String(200))
    old_class: Mapped[str] = mapped_column(String(24))
    new_class: Mapped[str] = mapped_column(String(24))
    old_status: Mapped[str] = mapped_column(Text)  # canonical JSON
    new_status: Mapped[str] = mapped_column(Text)
