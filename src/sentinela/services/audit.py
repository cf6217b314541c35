"""Audit verification and per-case export."""

from __future__ import annotations

from pathlib import Path

from sentinela.audit import record
from sentinela.audit.export import build_case_export, dumps, verify_case_export
from sentinela.audit.verifier import ChainReport, verify_chain
from sentinela.errors import AlreadyExistsError
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_member_or_admin, require_role


def verify_audit(ctx: ServiceContext, *, expect_head: str | None = None) -> ChainReport:
    """Recompute the whole chain (administrators, examiners and investigators)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin", "examiner", "investigator")
        return verify_chain(session, expect_head=expect_head)


def export_case_audit(
    ctx: ServiceContext, case_number: str, out: Path, *, force: bool = False
) -> int:
    """Write one case's events and their chain proof to ``out``; returns the event count.

    The export is itself audited, after the document is built.
    """
    if out.exists() and not force:
        raise AlreadyExistsError(f"{out} exists; pass --force to overwrite")
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        require_member_or_admin(session, case_number, actor)
        doc = build_case_export(
            session, case_number, exported_at=ctx.clock(), exported_by=actor.username
        )
        verify_case_export(doc)
        out.write_text(dumps(doc), encoding="utf-8")
        record(
            session,
            actor=actor.username,
            action="audit.export",
            object_type="case",
            object_id=case_number,
            case_number=case_number,
            clock=ctx.clock,
            details={
                "events": len(doc["events"]),
                "file": str(out),
                "document_sha256": doc["document_sha256"],
            },
        )
        return len(doc["events"])
