"""Public reporting and police-first notice-and-takedown.

The nouns, in the order a reported URL meets them:

* :class:`Submission` — one report as a member of the public or a partner hotline sent it
  (what was seen, optional contact), with the SHA-256 of its receipt code;
* :class:`Report` — one reported URL, deduplicated across submissions; it carries the
  decision deadline, the stage timestamps and the persisted schedule of the worker
  (``next_notice_at``, ``next_recheck_at``), so the worker survives a restart;
* :class:`Decision` — the officer's decision (or the default applied on expiry);
* :class:`Capture` and :class:`CaptureObject` — the preserved evidence, always before any
  notice;
* :class:`Notice` — one message to a host's abuse contact, covering one or more reports;
* :class:`Recheck` — one visit to see whether the content is still up;
* :class:`PreservationRequest` — a request to an ISP to keep traffic data;
* :class:`HotlinePartner` — a partner hotline and the SHA-256 of its API key.

Why the stage timestamps live on :class:`Report` (and are never overwritten once set):
statistics compute stage durations (reported -> decided -> notified -> removed) from them,
and a time that moved would change last year's numbers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentinela.db.base import Base

#: Report priorities, most urgent first. Stable names: persisted.
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal", "low")
#: Report states. Stable names: persisted.
REPORT_STATES: tuple[str, ...] = (
    "awaiting_decision",
    "held",
    "notice_pending",
    "notified",
    "removed",
    "referred_abroad",
    "not_illegal",
)
#: Decisions. Stable names: persisted.
DECISION_ACTIONS: tuple[str, ...] = ("take_down", "hold", "refer_abroad", "not_illegal")
#: Submission channels. Stable names: persisted.
CHANNELS: tuple[str, ...] = ("public", "partner")


class HotlinePartner(Base):
    """A partner hotline that forwards reports through the API. Only the key's hash is kept."""

    __tablename__ = "hotline_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    country: Mapped[str] = mapped_column(String(8), default="")
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class Submission(Base):
    """One report as received: from the public form or from a partner hotline."""

    __tablename__ = "report_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("hotline_partners.id"), index=True, default=None
    )
    partner_reference: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="pt-PT")
    received_at: Mapped[datetime]


class Report(Base):
    """One reported URL (deduplicated), its deadline, its stage timestamps and its schedule."""

    __tablename__ = "takedown_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    url_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(24), index=True, default="awaiting_decision")
    submissions: Mapped[int] = mapped_column(default=1)
    # stage timestamps (set once)
    first_reported_at: Mapped[datetime]
    last_reported_at: Mapped[datetime]
    preserved_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    first_notice_at: Mapped[datetime | None] = mapped_column(default=None)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # the decision deadline and what happened around it
    deadline_at: Mapped[datetime] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    hold_until: Mapped[datetime | None] = mapped_column(default=None)
    # the worker's persisted schedule
    capture_attempts: Mapped[int] = mapped_column(default=0)
    next_capture_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    notices_sent: Mapped[int] = mapped_column(default=0)
    last_notice_at: Mapped[datetime | None] = mapped_column(default=None)
    next_notice_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    notice_escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    next_recheck_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    # what the preservation found out about the host
    ips: Mapped[str] = mapped_column(Text, default="")
    hosting_name: Mapped[str] = mapped_column(String(200), default="")
    abuse_contact: Mapped[str | None] = mapped_column(String(200), default=None)
    escalation_contact: Mapped[str | None] = mapped_column(String(200), default=None)
    country: Mapped[str] = mapped_column(String(8), default="")
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    content_pdq: Mapped[str | None] = mapped_column(String(64), default=None)


class SubmissionUrl(Base):
    """Which reports a submission named (a repeated URL points at the existing report)."""

    __tablename__ = "report_submission_urls"
    __table_args__ = (UniqueConstraint("submission_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("report_submissions.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("takedown_reports.id"), index=True)
    url_given: Mapped[str] = mapped_column(Text)
    duplicate: Mapped[bool] = mapped_column(default=False)


class Decision(Base):
    """A decision on a report: by an officer, or the configured default when time ran out."""

    __tablename__ = "takedown_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("takedown_reports.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    investigation_ref: Mapped[str] = mapped_column(String(100), default="")
    hold_until: Mapped[datetime | None] = mapped_column(default=None)
    refer_to: Mapped[str] = mapped_column(String(200), default="")
    by_default: Mapped[bool] = mapped_column(default=False)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime]


class Capture(Base):
    """One preservation of a reported URL; its manifest's SHA-256 is in the audit chain."""

    __tablename__ = "takedown_captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("takedown_reports.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # preserved | absent | failed | refused
    error: Mapped[str] = mapped_column(Text, default="")
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text, default="")
    status_code: Mapped[int | None] = mapped_column(default=None)
    objects: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)
    manifest: Mapped[str] = mapped_column(Text, default="")
    manifest_sha256: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    captured_by: Mapped[str] = mapped_column(String(64))


class CaptureObject(Base):
    """One body preserved by a capture (the page, or an image it links); bytes in the vault."""

    __tablename__ = "takedown_capture_objects"

    id: Mapped[int] = mapped_column(primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("takedown_captures.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # page | linked_image
    url: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int] = mapped_column()
    content_type: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    truncated: Mapped[bool] = mapped_column(default=False)
    md5: Mapped[str] = mapped_column(String(32))
    sha1: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdq: Mapped[str | None] = mapped_column(String(64), default=None)
    pdq_quality: Mapped[int | None] = mapped_column(default=None)
    vault_relpath: Mapped[str] = mapped_column(Text, default="")
    matches: Mapped[str] = mapped_column(Text, default="[]")


class Notice(Base):
    """One message sent to a host's abuse contact about one or more reports."""

    __tablename__ = "takedown_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    abuse_contact: Mapped[str] = mapped_column(String(200), index=True)
    hosting_name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16))  # notice | resend | escalation
    transport: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(300))
    body_sha256: Mapped[str] = mapped_column(String(64))
    delivery_ref: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime]
    sent_by: Mapped[str] = mapped_column(String(64))


class NoticeReport(Base):
    """Which reports a notice covered."""

    __tablename__ = "takedown_notice_reports"
    __table_args__ = (UniqueConstraint("notice_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("takedown_notices.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("takedown_reports.id"), index=True)


class Recheck(Base):
    """One visit to a notified URL: is the content still there?"""

    __tablename__ = "takedown_rechecks"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("takedown_reports.id"), index=True)
    checked_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(16))  # present | removed | error
    status_code: Mapped[int | None] = mapped_column(default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


class PreservationRequest(Base):
    """A request to an ISP to keep traffic data, with its legal deadline and the data's expiry."""

    __tablename__ = "isp_preservation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("takedown_reports.id"), index=True, default=None
    )
    isp: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | lapsed
    requested_at: Mapped[datetime]
    legal_deadline_at: Mapped[datetime]
    data_expires_at: Mapped[datetime] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(64))
