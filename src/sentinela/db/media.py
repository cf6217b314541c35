"""The national store: one Media per distinct content, one Occurrence per place it was found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentinela.db.base import Base


class Media(Base):
    """Distinct content, keyed by SHA-256 across every case in the country."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    sha1: Mapped[str] = mapped_column(String(40), index=True)
    md5: Mapped[str] = mapped_column(String(32), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100))
    family: Mapped[str] = mapped_column(String(32))
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    pdq: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    pdq_quality: Mapped[int | None] = mapped_column(default=None)
    pdq_method: Mapped[str | None] = mapped_column(String(32), default=None)
    vault_stored: Mapped[bool] = mapped_column(default=False)
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    first_seen_at: Mapped[datetime]
    first_exhibit_id: Mapped[int | None] = mapped_column(ForeignKey("exhibits.id"), default=None)
    pdq_full: Mapped[str | None] = mapped_column(String(64), default=None)  # confirmed on demand
    triage_class: Mapped[str] = mapped_column(String(24), index=True, default="new")
    triage_at: Mapped[datetime | None] = mapped_column(default=None)

    meta: Mapped[MediaMetadata | None] = relationship(
        back_populates="media", uselist=False, lazy="selectin"
    )


class MediaMetadata(Base):
    """Camera and capture metadata of an image (EXIF), for camera links across cases."""

    __tablename__ = "media_metadata"
    __table_args__ = (
        Index("ix_media_metadata_camera", "camera_make", "camera_model", "camera_serial"),
    )

    media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), primary_key=True
    )
    camera_make: Mapped[str | None] = mapped_column(String(200), default=None)
    camera_model: Mapped[str | None] = mapped_column(String(200), default=None)
    camera_serial: Mapped[str | None] = mapped_column(String(200), index=True, default=None)
    taken_at: Mapped[str | None] = mapped_column(String(64), default=None)
    gps_lat: Mapped[float | None] = mapped_column(Float, default=None)
    gps_lon: Mapped[float | None] = mapped_column(Float, default=None)
    gps_alt: Mapped[float | None] = mapped_column(Float, default=None)
    software: Mapped[str | None] = mapped_column(String(300), default=None)

    media: Mapped[Media] = relationship(back_populates="meta")


class Occurrence(Base):
    """Media x exhibit x path: where one content was found, with its file-system facts."""

    __tablename__ = "occurrences"
    __table_args__ = (UniqueConstraint("exhibit_id", "path_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_jobs.id"), default=None)
    path: Mapped[str] = mapped_column(Text)
    path_key: Mapped[str] = mapped_column(String(64))  # SHA-256 of path: bounded unique key
    parent_container: Mapped[str | None] = mapped_column(Text, default=None)
    deleted: Mapped[bool] = mapped_column(default=False)
    extension_mismatch: Mapped[bool] = mapped_column(default=False)
    mtime: Mapped[datetime | None] = mapped_column(default=None)
    atime: Mapped[datetime | None] = mapped_column(default=None)
    ctime: Mapped[datetime | None] = mapped_column(default=None)
    crtime: Mapped[datetime | None] = mapped_column(default=None)
    found_at: Mapped[datetime]

    media: Mapped[Media] = relationship(lazy="joined")


class EntryError(Base):
    """A file in an exhibit that could not be read or processed, recorded, never dropped."""

    __tablename__ = "entry_errors"
    __table_args__ = (UniqueConstraint("exhibit_id", "path_key", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_jobs.id"), default=None)
    path: Mapped[str] = mapped_column(Text)
    path_key: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id"), default=None)
    recorded_at: Mapped[datetime]
