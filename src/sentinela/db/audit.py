"""The append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base


class AuditEvent(Base):
    """One audited action.

    ``seq`` is assigned by the writer (gap-free, starting at 1) and is the primary key, so
    two writers racing for the same position make one of them fail instead of forking the
    chain. ``hash`` is SHA-256 over the canonical encoding of every other column plus
    ``prev_hash`` (see :mod:`sentinela.audit.chain`).
    """

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(200))
    case_number: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
