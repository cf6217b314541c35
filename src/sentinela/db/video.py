"""Video fingerprints (vPDQ) and keyframe strips of media items (issue 11).

One :class:`VideoFingerprint` per video Media row holds its vPDQ hash file text (frame
number, quality, PDQ and timestamp per hashed frame) and container facts; one
:class:`VideoKeyframe` per strip thumbnail says where its encrypted JPEG lies in the vault.
Keyframes are vault ``media`` objects addressed by the SHA-256 of the JPEG itself: the vault
files thumbnails under the address of the media they show, and a video has several.

A known video of a hash set is a ``known_hashes`` row of hash type ``vpdq`` whose digest is the
SHA-256 of its vPDQ text (a whole fingerprint is too long for the digest indexes), and one
:class:`KnownVideo` row holding the text itself.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base


class VideoFingerprint(Base):
    """A video's vPDQ fingerprint and metadata; ``error_kind`` when decoding fell short."""

    __tablename__ = "video_fingerprints"

    media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), primary_key=True
    )
    vpdq: Mapped[str] = mapped_column(Text, default="")
    frame_count: Mapped[int] = mapped_column(default=0)
    keyframe_count: Mapped[int] = mapped_column(default=0)
    duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    declared_duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    frame_rate: Mapped[float | None] = mapped_column(Float, default=None)
    container: Mapped[str | None] = mapped_column(String(100), default=None)
    codec: Mapped[str | None] = mapped_column(String(64), default=None)
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[str | None] = mapped_column(String(64), default=None)  # ISO 8601, UTC
    error_kind: Mapped[str | None] = mapped_column(String(32), default=None)


class VideoKeyframe(Base):
    """One thumbnail of a video's keyframe strip, stored encrypted in the vault."""

    __tablename__ = "video_keyframes"
    __table_args__ = (UniqueConstraint("media_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"))
    position: Mapped[int]
    frame_number: Mapped[int]
    timestamp: Mapped[float] = mapped_column(Float)
    is_key: Mapped[bool] = mapped_column(default=False)
    jpeg_sha256: Mapped[str] = mapped_column(String(64))


class KnownVideo(Base):
    """The vPDQ fingerprint of one known entry of hash type ``vpdq``."""

    __tablename__ = "known_videos"

    known_hash_id: Mapped[int] = mapped_column(
        ForeignKey("known_hashes.id", ondelete="CASCADE"), primary_key=True
    )
    vpdq: Mapped[str] = mapped_column(Text)
    frame_count: Mapped[int] = mapped_column(default=0)
