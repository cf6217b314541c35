"""Cases and case membership (need-to-know is per case)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentinela.db.base import Base
from sentinela.db.users import User

CASE_STATUSES: tuple[str, ...] = ("open", "closed")


class Case(Base):
    """An investigation. ``number`` is the unit's case number, unique nationally."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    scheme: Mapped[str] = mapped_column(String(64), default="project_vic_us")
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    description: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[Membership]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin"
    )


class Membership(Base):
    """A user's role inside one case."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_role: Mapped[str] = mapped_column(String(32), default="member")
    added_at: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="selectin")
