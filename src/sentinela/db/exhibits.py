"""Exhibits and their chain of custody."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentinela.db.base import Base

EXHIBIT_KINDS: tuple[str, ...] = ("folder", "archive", "raw", "e01")
CUSTODY_ACTIONS: tuple[str, ...] = (
    "seized",
    "received",
    "transferred",
    "imaged",
    "ingested",
    "exported",
    "returned",
    "destroyed",
)


class Exhibit(Base):
    """A seized item as registered: where it is, what it is, and its hashes at registration."""

    __tablename__ = "exhibits"
    __table_args__ = (UniqueConstraint("case_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    source_path: Mapped[str] = mapped_column(Text)
    segments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of file names
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    md5: Mapped[str] = mapped_column(String(32))
    acquisition_md5: Mapped[str | None] = mapped_column(String(32), default=None)
    acquisition_sha1: Mapped[str | None] = mapped_column(String(40), default=None)
    media_md5: Mapped[str | None] = mapped_column(String(32), default=None)
    media_sha1: Mapped[str | None] = mapped_column(String(40), default=None)
    acquisition_verified: Mapped[bool | None] = mapped_column(default=None)
    container_info: Mapped[str] = mapped_column(Text, default="{}")  # JSON (E01 headers...)
    seized_from: Mapped[str] = mapped_column(String(300), default="")
    seized_at: Mapped[datetime | None] = mapped_column(default=None)
    registered_at: Mapped[datetime]
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    last_verified_at: Mapped[datetime | None] = mapped_column(default=None)
    last_verification: Mapped[str | None] = mapped_column(String(16), default=None)

    custody: Mapped[list[CustodyEvent]] = relationship(
        back_populates="exhibit", order_by="CustodyEvent.id", lazy="selectin"
    )


class CustodyEvent(Base):
    """One link in an exhibit's chain of custody."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")

    exhibit: Mapped[Exhibit] = relationship(back_populates="custody")
