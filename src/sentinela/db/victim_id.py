"""Victim identification: series, victims, offenders, their links, case identifiers, and the
de-confliction bookkeeping (access requests, holder preferences and notifications).

Why one link table for every pairing: a series, a victim and an offender are each linked to
media, exhibits, cases and to one another, and every one of those links needs the same three
facts: who made it, when, and *through which case* the maker could see the target. That case
(``case_id``) is what need-to-know is checked against when the link is shown later, so it is
a real foreign key; the two ends are ``(kind, id)`` pairs checked by the service
(``services/victim_links.py``) before the row is written.

Why an identification is a row of its own with a unique ``victim_id``: it is recorded once.
Two units identifying the same victim at the same moment both try to insert; the database
keeps the first and refuses the second, whatever the timing. The yearly statistics count
these rows (``identified_on``, ``unit``, ``lead_source``), never a status column that could
be edited.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sentinela.db.base import Base

#: What a link starts from. Stable names: persisted.
SUBJECT_KINDS: tuple[str, ...] = ("series", "victim", "offender")
#: What a link points at. Stable names: persisted.
TARGET_KINDS: tuple[str, ...] = ("media", "exhibit", "case", "series", "victim", "offender")
#: Identifiers recorded in a case for de-confliction. Stable names: persisted.
IDENTIFIER_KINDS: tuple[str, ...] = ("email", "phone", "username")
#: Where the lead that identified a victim came from. Stable names: persisted and counted.
LEAD_SOURCES: tuple[str, ...] = (
    "visual_link",
    "camera_link",
    "hash_match",
    "deconfliction",
    "partner_agency",
    "public_appeal",
    "open_source",
    "offender_interview",
    "other",
)
#: What de-confliction can be asked about. Stable names: persisted in requests.
DECONFLICTION_KINDS: tuple[str, ...] = ("media", "series", "camera", "identifier")
ACCESS_REQUEST_STATUSES: tuple[str, ...] = ("pending", "granted", "refused")


class Series(Base):
    """A set of media showing the same abuse series, built across cases."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    home_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class Victim(Base):
    """A victim, known only by a random pseudonym until (and after) identification."""

    __tablename__ = "victims"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    home_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]

    identification: Mapped[VictimIdentification | None] = relationship(
        back_populates="victim", uselist=False, lazy="selectin"
    )

    @property
    def status(self) -> str:
        """``identified`` once an identification is recorded, else ``unidentified``."""
        return "identified" if self.identification is not None else "unidentified"


class VictimIdentification(Base):
    """The one record of a victim's identification: when, by which unit, from which lead."""

    __tablename__ = "victim_identifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    victim_id: Mapped[int] = mapped_column(ForeignKey("victims.id"), unique=True)
    identified_on: Mapped[date] = mapped_column(index=True)
    unit: Mapped[str] = mapped_column(String(200), index=True)
    lead_source: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")

    victim: Mapped[Victim] = relationship(back_populates="identification")


class Offender(Base):
    """A (suspected) offender: a pseudonym, and the name or alias when one is known."""

    __tablename__ = "offenders"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    home_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    known_as: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class VictimIdLink(Base):
    """A series, victim or offender linked to media, an exhibit, a case or another subject."""

    __tablename__ = "victim_id_links"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "target_kind", "target_id"),
        Index("ix_victim_id_links_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    linked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")


class CaseIdentifier(Base):
    """An email address, phone number or user name recorded in a case (for de-confliction)."""

    __tablename__ = "case_identifiers"
    __table_args__ = (UniqueConstraint("case_id", "kind", "normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300), index=True)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class AccessRequest(Base):
    """A request, from another unit, for need-to-know on a case that holds something."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requester_unit: Mapped[str] = mapped_column(String(200))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_ref: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    requested_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")


class HolderPreference(Base):
    """How a case wants to be reached in de-confliction, and whether to be told of checks."""

    __tablename__ = "holder_preferences"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    contact: Mapped[str] = mapped_column(String(300), default="")
    notify_on_check: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]


class HolderNotification(Base):
    """A holder case is told that another unit checked something it holds."""

    __tablename__ = "holder_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checker_unit: Mapped[str] = mapped_column(String(200))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_ref: Mapped[str] = mapped_column(String(300))
    checked_at: Mapped[datetime]
