"""Receiving reports: the public form and the partner hotlines' API, and the receipt status.

Each submission becomes one :class:`Submission`; each URL in it is normalised and either
opens a :class:`Report` (with a decision deadline by priority, and a capture due at once:
evidence is preserved as soon as possible, before any decision or notice) or is counted on
the report that already has it. The reporter gets a receipt code; its status tells them
only whether the report is received, in progress or closed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.reporting import PRIORITIES, Report, Submission, SubmissionUrl
from sentinela.errors import NotFoundError
from sentinela.reporting.config import TakedownConfig
from sentinela.reporting.content import LANGUAGES
from sentinela.reporting.errors import FormInvalid, PartnerKeyRejected, UnsafeUrlError
from sentinela.reporting.netguard import normalise_url, url_host
from sentinela.reporting.receipts import new_receipt, receipt_digest
from sentinela.services.context import ServiceContext
from sentinela.services.reporting_partners import audit_rejected_key, partner_for_key

PUBLIC_ACTOR = "public"
MAX_DESCRIPTION = 5000
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}$")
#: What a receipt's status may say. Stable names: shown to the public and in the API.
PUBLIC_STATES: tuple[str, ...] = ("received", "in_progress", "closed")
_CLOSED = {"removed", "referred_abroad", "not_illegal"}


@dataclass(frozen=True)
class ReportForm:
    """What a reporter sends.

    Attributes:
        urls: one or more URLs (blank lines are ignored).
        description: what they saw, optional.
        contact_name: optional.
        contact_email: optional.
        language: the language they used (``pt-PT`` or ``en``).
        priority: partners may set it; public reports are ``normal``.
        reference: the partner's own reference.
    """

    urls: Sequence[str]
    description: str = ""
    contact_name: str = ""
    contact_email: str = ""
    language: str = "pt-PT"
    priority: str = "normal"
    reference: str = ""


@dataclass(frozen=True)
class ReportedUrl:
    """One URL of a submission and the report it went to."""

    url: str
    report_id: int
    duplicate: bool


@dataclass(frozen=True)
class Receipt:
    """What the reporter gets back. The code is shown once and never stored."""

    code: str
    received_at: datetime
    urls: tuple[ReportedUrl, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReceiptStatus:
    """A receipt's status: nothing but the stage (see :data:`PUBLIC_STATES`)."""

    status: str


def url_digest(url: str) -> str:
    """The SHA-256 a normalised URL is deduplicated by."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _clean_urls(urls: Sequence[str], limit: int) -> list[str]:
    lines = [u.strip() for u in urls if u.strip()]
    if not lines:
        raise FormInvalid("give at least one URL", "no_urls")
    if len(lines) > limit:
        raise FormInvalid(f"give at most {limit} URLs in one report", "too_many_urls", limit=limit)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            url = normalise_url(line)
        except UnsafeUrlError as exc:
            raise FormInvalid(f"URL {number}: {exc}", "bad_url", number=number) from None
        if url not in out:
            out.append(url)
    return out


def _check_form(form: ReportForm, config: TakedownConfig) -> list[str]:
    if len(form.description) > MAX_DESCRIPTION:
        raise FormInvalid(
            f"the description is longer than {MAX_DESCRIPTION} characters",
            "description_too_long",
            limit=MAX_DESCRIPTION,
        )
    if len(form.contact_name) > 200 or len(form.reference) > 200:
        raise FormInvalid("a name or reference is longer than 200 characters", "name_too_long")
    email = form.contact_email.strip()
    if email and not _EMAIL.match(email):
        raise FormInvalid("the e-mail address is not valid", "bad_email")
    if form.language not in LANGUAGES:
        raise FormInvalid(f"unknown language {form.language!r}", "bad_language")
    if form.priority not in PRIORITIES:
        raise FormInvalid(f"priority must be one of {', '.join(PRIORITIES)}", "bad_priority")
    return _clean_urls(form.urls, config.public.max_urls)


def _rank(priority: str) -> int:
    return PRIORITIES.index(priority)


def _attach(
    session: Session, url: str, form: ReportForm, config: TakedownConfig, now: datetime
) -> tuple[Report, bool]:
    digest = url_digest(url)
    deadline = now + timedelta(hours=config.decide_within_hours[form.priority])
    report = session.execute(select(Report).where(Report.url_sha256 == digest)).scalar_one_or_none()
    if report is not None:
        report.submissions += 1
        report.last_reported_at = now
        if _rank(form.priority) < _rank(report.priority):
            report.priority = form.priority
            if report.status == "awaiting_decision" and deadline < report.deadline_at:
                report.deadline_at = deadline
        return report, True
    report = Report(
        url=url,
        url_sha256=digest,
        host=url_host(url),
        priority=form.priority,
        status="awaiting_decision",
        first_reported_at=now,
        last_reported_at=now,
        deadline_at=deadline,
        next_capture_at=now,
    )
    session.add(report)
    session.flush()
    return report, False


def _submit(
    ctx: ServiceContext,
    form: ReportForm,
    config: TakedownConfig,
    *,
    key: str | None,
) -> Receipt:
    urls = _check_form(form, config)
    code = new_receipt()
    with ctx.transaction() as session:
        now = ctx.clock()
        partner = partner_for_key(session, key) if key is not None else None
        submission = Submission(
            receipt_sha256=receipt_digest(code),
            channel="partner" if partner else "public",
            partner_id=partner.id if partner else None,
            partner_reference=form.reference.strip(),
            description=form.description.strip(),
            contact_name=form.contact_name.strip(),
            contact_email=form.contact_email.strip(),
            language=form.language,
            received_at=now,
        )
        session.add(submission)
        session.flush()
        reported: list[ReportedUrl] = []
        for url in urls:
            report, duplicate = _attach(session, url, form, config, now)
            session.add(
                SubmissionUrl(
                    submission_id=submission.id,
                    report_id=report.id,
                    url_given=url,
                    duplicate=duplicate,
                )
            )
            reported.append(ReportedUrl(url, report.id, duplicate))
        if partner is not None:
            partner.last_used_at = now
        record(
            session,
            actor=f"partner:{partner.name}" if partner else PUBLIC_ACTOR,
            action="report.submit",
            object_type="submission",
            object_id=submission.id,
            clock=ctx.clock,
            details={
                "channel": submission.channel,
                "priority": form.priority,
                "new_reports": [r.report_id for r in reported if not r.duplicate],
                "duplicates": [r.report_id for r in reported if r.duplicate],
                "anonymous": not (submission.contact_name or submission.contact_email),
            },
        )
        return Receipt(code, now, tuple(reported))


def _with_retry(
    ctx: ServiceContext, form: ReportForm, config: TakedownConfig, key: str | None
) -> Receipt:
    try:
        return _submit(ctx, form, config, key=key)
    except IntegrityError:
        # Two submissions opened the same new URL at once: the second now finds the report.
        return _submit(ctx, form, config, key=key)


def submit_public_report(ctx: ServiceContext, form: ReportForm, config: TakedownConfig) -> Receipt:
    """Receive a report from the public form (no sign-in; the caller rate-limits).

    Raises:
        InvalidInputError: no URL, too many, a malformed one, or an over-long field.
    """
    public = ReportForm(
        urls=form.urls,
        description=form.description,
        contact_name=form.contact_name,
        contact_email=form.contact_email,
        language=form.language,
    )
    return _with_retry(ctx, public, config, None)


def submit_partner_report(
    ctx: ServiceContext, key: str | None, form: ReportForm, config: TakedownConfig
) -> Receipt:
    """Receive a report forwarded by a partner hotline, authenticated by its API key.

    Raises:
        PartnerKeyRejected: the key is missing, unknown or suspended.
        InvalidInputError: as for the public form, or an unknown priority.
    """
    try:
        return _with_retry(ctx, form, config, key if key is not None else "")
    except PartnerKeyRejected as exc:
        audit_rejected_key(ctx, exc)
        raise


def public_status(statuses: Sequence[str]) -> str:
    """The one word a reporter is told for the states of their reports."""
    if statuses and all(s in _CLOSED for s in statuses):
        return "closed"
    if any(s != "awaiting_decision" for s in statuses):
        return "in_progress"
    return "received"


def receipt_status(ctx: ServiceContext, code: str) -> ReceiptStatus:
    """The status behind a receipt code, without any detail (the caller rate-limits).

    Raises:
        InvalidInputError: the code is malformed.
        NotFoundError: no submission has that code.
    """
    digest = receipt_digest(code)
    with ctx.transaction() as session:
        submission_id = session.execute(
            select(Submission.id).where(Submission.receipt_sha256 == digest)
        ).scalar_one_or_none()
        if submission_id is None:
            raise NotFoundError("no report has that receipt code")
        statuses = session.execute(
            select(Report.status)
            .join(SubmissionUrl, SubmissionUrl.report_id == Report.id)
            .where(SubmissionUrl.submission_id == submission_id)
        ).scalars()
        return ReceiptStatus(public_status(list(statuses)))
