"""Evidence preservation: capture a reported URL, match it, record the package, audit its hash.

The package is the :class:`~sentinela.db.reporting.Capture` row, its objects (bytes in the
vault) and a manifest: canonical JSON naming everything captured (headers, redirects,
resolved addresses, TLS certificate, hashes, store matches, hosting trace, limits). The
manifest's SHA-256 goes into the audit chain, so the package cannot be altered unnoticed.

Captures are due as soon as a report opens (``next_capture_at``); the worker runs them, and
an officer can ask for one at any time. A failed capture is tried again with a growing delay,
up to ``max_capture_attempts``; a refused URL (private address, bad scheme) is not retried.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from sentinela.audit import record
from sentinela.audit.chain import canonical_json
from sentinela.db.reporting import Capture, CaptureObject, Report
from sentinela.services.context import ServiceContext
from sentinela.services.exposure import open_vault
from sentinela.services.takedown_access import require_queue
from sentinela.services.takedown_capture import CaptureOutcome, capture
from sentinela.services.takedown_matching import StoreMatch, match_probes
from sentinela.services.takedown_queue import load_report
from sentinela.services.takedown_runtime import WORKER_ACTOR, TakedownRuntime
from sentinela.vault import Vault

MANIFEST_FORMAT = "sentinela.capture"
MANIFEST_VERSION = 1
RETRY_BASE = timedelta(hours=1)


@dataclass(frozen=True)
class CaptureView:
    """A recorded capture, as the report's file shows it."""

    id: int
    report_id: int
    outcome: str
    error: str
    final_url: str
    status_code: int | None
    objects: int
    matched: int
    manifest_sha256: str
    started_at: datetime
    finished_at: datetime
    captured_by: str


def capture_view(c: Capture) -> CaptureView:
    """The view of a capture row."""
    return CaptureView(
        c.id,
        c.report_id,
        c.outcome,
        c.error,
        c.final_url,
        c.status_code,
        c.objects,
        c.matched,
        c.manifest_sha256,
        c.started_at,
        c.finished_at,
        c.captured_by,
    )


def _manifest(
    report: Report,
    out: CaptureOutcome,
    matches: list[list[StoreMatch]],
    rt: TakedownRuntime,
    times: tuple[datetime, datetime],
    actor: str,
) -> dict[str, object]:
    page = out.page
    hosting = out.hosting
    policy = rt.config.fetch
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "report": report.id,
        "requested_url": report.url,
        "outcome": out.outcome,
        "error": out.error,
        "started_at": times[0].isoformat(),
        "finished_at": times[1].isoformat(),
        "captured_by": actor,
        "final_url": page.final_url if page else None,
        "status": page.status if page else None,
        "reason": page.reason if page else None,
        "headers": [list(h) for h in page.headers] if page else [],
        "redirects": [asdict(h) for h in page.hops] if page else [],
        "ip": page.ip if page else None,
        "resolved": list(page.resolved) if page else [],
        "tls": asdict(page.tls) if page and page.tls else None,
        "hosting": (
            {
                "host": hosting.host,
                "abuse": hosting.abuse,
                "country": hosting.country,
                "escalation": hosting.escalation,
                "network": str(hosting.network),
            }
            if hosting
            else None
        ),
        "objects": [
            {
                "role": o.role,
                "url": o.url,
                "status": o.status,
                "content_type": o.content_type,
                "size": o.size,
                "truncated": o.truncated,
                "md5": o.probe.md5,
                "sha1": o.probe.sha1,
                "sha256": o.probe.sha256,
                "pdq": o.probe.pdq,
                "pdq_quality": o.probe.pdq_quality,
                "vault": o.vault_relpath,
                "matches": [m.as_dict() for m in found],
            }
            for o, found in zip(out.objects, matches, strict=True)
        ],
        "linked_images": {
            "found": out.linked_found,
            "fetched": sum(1 for o in out.objects if o.role == "linked_image"),
            "capped": out.linked_found > policy.max_linked_images,
            "errors": out.linked_errors,
        },
        "limits": {
            "max_bytes": policy.max_bytes,
            "max_linked_bytes": policy.max_linked_bytes,
            "max_linked_images": policy.max_linked_images,
            "total_timeout_s": policy.total_timeout_s,
            "max_redirects": policy.max_redirects,
        },
    }


def _update_report(report: Report, out: CaptureOutcome, rt: TakedownRuntime, now: datetime) -> None:
    report.capture_attempts += 1
    if out.page is not None:
        report.ips = json.dumps(list(out.page.resolved))
    if out.hosting is not None:
        report.hosting_name, report.country = out.hosting.host, out.hosting.country
        report.abuse_contact, report.escalation_contact = out.hosting.abuse, out.hosting.escalation
    if out.outcome == "preserved":
        page = out.objects[0].probe
        report.content_sha256, report.content_pdq = page.sha256, page.pdq
        report.preserved_at = report.preserved_at or now
        report.next_capture_at = None
    elif out.outcome == "failed" and report.capture_attempts < rt.config.max_capture_attempts:
        report.next_capture_at = now + RETRY_BASE * report.capture_attempts
    else:
        report.next_capture_at = None
    if out.outcome == "absent" and report.status == "notice_pending" and not report.preserved_at:
        # Decided for take-down, but the content was gone before anyone told the host.
        report.status, report.removed_at, report.closed_at = "removed", now, now
        report.next_notice_at = None
    if report.status == "notice_pending" and report.preserved_at and not report.next_notice_at:
        report.next_notice_at = now  # a notice held back for want of evidence can go now


def _record(
    ctx: ServiceContext,
    report_id: int,
    out: CaptureOutcome,
    rt: TakedownRuntime,
    actor: str,
    started_at: datetime,
) -> CaptureView:
    with ctx.transaction() as session:
        report = load_report(session, report_id)
        matches = match_probes(session, [o.probe for o in out.objects])
        now = ctx.clock()
        manifest = canonical_json(_manifest(report, out, matches, rt, (started_at, now), actor))
        digest = hashlib.sha256(manifest.encode("utf-8")).hexdigest()
        row = Capture(
            report_id=report.id,
            outcome=out.outcome,
            error=out.error[:2000],
            requested_url=report.url,
            final_url=out.page.final_url if out.page else "",
            status_code=out.page.status if out.page else None,
            objects=len(out.objects),
            matched=sum(1 for m in matches if m),
            manifest=manifest,
            manifest_sha256=digest,
            started_at=started_at,
            finished_at=now,
            captured_by=actor,
        )
        session.add(row)
        session.flush()
        for obj, found in zip(out.objects, matches, strict=True):
            session.add(
                CaptureObject(
                    capture_id=row.id,
                    role=obj.role,
                    url=obj.url,
                    status_code=obj.status,
                    content_type=obj.content_type[:200],
                    size=obj.size,
                    truncated=obj.truncated,
                    md5=obj.probe.md5,
                    sha1=obj.probe.sha1,
                    sha256=obj.probe.sha256,
                    pdq=obj.probe.pdq,
                    pdq_quality=obj.probe.pdq_quality,
                    vault_relpath=obj.vault_relpath,
                    matches=canonical_json([m.as_dict() for m in found]),
                )
            )
        _update_report(report, out, rt, now)
        record(
            session,
            actor=actor,
            action="takedown.preserve",
            object_type="takedown_report",
            object_id=report.id,
            clock=ctx.clock,
            at=now,
            details={
                "capture": row.id,
                "outcome": row.outcome,
                "manifest_sha256": digest,
                "objects": row.objects,
                "matched": row.matched,
                "error": row.error[:300],
            },
        )
        return capture_view(row)


def preserve(
    ctx: ServiceContext, report_id: int, rt: TakedownRuntime, *, vault: Vault | None = None
) -> CaptureView:
    """Capture a report's URL now (police and hotline operators).

    Raises:
        AccessDenied: the actor holds no queue role.
        NotFoundError: no such report.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_queue(actor)
        url = load_report(session, report_id).url
        started = ctx.clock()
    out = capture(url, rt, vault or open_vault(ctx.settings))
    return _record(ctx, report_id, out, rt, actor.username, started)


def preserve_due(
    ctx: ServiceContext, rt: TakedownRuntime, *, vault: Vault | None = None, limit: int = 50
) -> list[CaptureView]:
    """Run the captures that are due (the worker)."""
    with ctx.transaction() as session:
        now = ctx.clock()
        due = list(
            session.execute(
                select(Report.id, Report.url)
                .where(Report.next_capture_at.is_not(None), Report.next_capture_at <= now)
                .order_by(Report.next_capture_at, Report.id)
                .limit(limit)
            ).all()
        )
    if not due:
        return []
    store = vault or open_vault(ctx.settings)
    views = []
    for report_id, url in due:
        started = ctx.clock()
        out = capture(url, rt, store)
        views.append(_record(ctx, report_id, out, rt, WORKER_ACTOR, started))
    return views
