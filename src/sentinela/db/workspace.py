"""The analyst workspace: web sessions, sign-in attempts, grades, adjudication, the national
classification and the exposure ledger.

Why grades are rows that are only ever inserted: two analysts grading the same item at the
same moment must both be kept. An insert never overwrites another insert, so no grade can be
lost to a race; consensus is then computed from the rows, under a lock on the media row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base

#: How a media item was shown. Stable names: persisted in the exposure ledger.
EXPOSURE_MODES: tuple[str, ...] = ("blurred", "revealed")
#: How a national classification was reached. Stable names: persisted.
CLASSIFICATION_METHODS: tuple[str, ...] = ("consensus", "adjudication")
#: Sign-in outcomes. Stable names: persisted.
SIGN_IN_OUTCOMES: tuple[str, ...] = (
    "success",
    "bad_credentials",
    "bad_totp",
    "replayed_totp",
    "throttled",
    "no_credentials",
)


class WebSession(Base):
    """A signed-in browser. Only the SHA-256 of the session token is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    end_reason: Mapped[str | None] = mapped_column(String(32), default=None)


class LoginAttempt(Base):
    """One sign-in attempt, kept for throttling and for the record."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    remote_addr: Mapped[str] = mapped_column(String(64), index=True, default="")
    attempted_at: Mapped[datetime] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    totp_step: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Grade(Base):
    """One analyst's category for one media item, given while working on one case."""

    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    group_size: Mapped[int] = mapped_column(default=1)
    graded_at: Mapped[datetime]


class Adjudication(Base):
    """A disagreement between graders, waiting for (or settled by) a supervisor."""

    __tablename__ = "adjudications"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    opened_at: Mapped[datetime]
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_code: Mapped[str | None] = mapped_column(String(32), default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class NationalClassification(Base):
    """The category the country holds for a media item, reached by consensus or adjudication.

    The matching ``KnownHash`` rows live in the ``national_classification`` hash set, which is
    what makes the item known in every case.
    """

    __tablename__ = "national_classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), unique=True)
    scheme: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(Text)  # JSON list of user names
    decided_at: Mapped[datetime]


class ExposureEvent(Base):
    """The exposure ledger: who was shown which media item, how, and when."""

    __tablename__ = "exposure_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    mode: Mapped[str] = mapped_column(String(16))
    shown_at: Mapped[datetime] = mapped_column(index=True)
