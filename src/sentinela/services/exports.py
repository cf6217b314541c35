"""Exports for other agencies and tools: a case (VICS, CASE/UCO), or the national store.

Who may export:

* a case: members of the case holding an examiner, victim-identification or investigator
  role. Need-to-know applies to administrators too;
* the national classification as a hash set: administrators and victim-identification
  specialists (:data:`~sentinela.services.feed_destinations.FEED_OPERATORS`).

Every export is recorded (:class:`~sentinela.db.exchange.ExchangeExport`: format, folder,
SHA-256 of the file) and audited in the same transaction, and a case export adds an
``exported`` custody event to each of the case's exhibits, which the exported file itself
already lists.

Content (the media files themselves, beside a VICS case export) is never written by default.
It needs ``include_content=True`` *and* an authorisation reference (the request or order that
allows it), and only a lead of the case may do it. The files are decrypted from the vault
straight into the target folder (:meth:`Vault.export_to`: mode 0600, re-hashed on the way, no
temporary plaintext anywhere else). The audit event lists the SHA-256 of every file written.
A target folder that exists and is not empty is refused unless ``force`` is given.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.exchange import ExchangeExport
from sentinela.db.exhibits import CustodyEvent, Exhibit
from sentinela.db.users import User
from sentinela.errors import InvalidInputError
from sentinela.formats.export_base import Exporter, ExportOptions
from sentinela.formats.exporters import get_exporter
from sentinela.formats.vics_writer import V1_VERSIONS
from sentinela.hashsets.schemes import default_catalogue
from sentinela.services.context import ServiceContext
from sentinela.services.exchange_documents import build_case_document, producer_for
from sentinela.services.export_content import (
    clear,
    content_paths,
    require_content_rights,
    write_content,
)
from sentinela.services.feed_destinations import FEED_OPERATORS
from sentinela.services.feed_packages import WrittenFile, write_document
from sentinela.services.permissions import require_member, require_role

CASE_EXPORTERS: tuple[str, ...] = ("examiner", "victim_id_specialist", "investigator")
CASE_FORMATS = ("vics", "case_uco")


@dataclass(frozen=True)
class ExportView:
    """One export as callers see it."""

    id: int
    kind: str
    format: str
    case_number: str | None
    path: str
    sha256: str
    size: int
    records: int
    content_files: int
    created_at: datetime
    created_by: str
    unmapped: dict[str, int] = field(default_factory=dict)


def prepare_target(target: Path, *, force: bool, created: list[Path]) -> Path:
    """Create ``target`` (mode 0700), or accept it if it is an empty folder.

    Args:
        target: the export folder.
        force: accept a folder that is not empty (files of the same names are replaced).
        created: the folder is appended when this call creates it, so a failed export can
            remove it again.

    Raises:
        InvalidInputError: it is a file, or a folder that is not empty and ``force`` is off.
    """
    folder = target.expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"export target {folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InvalidInputError(
            f"export folder {folder} is not empty; choose an empty folder or pass --force"
        )
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        created.append(folder)
    return folder


def discard(paths: list[Path]) -> None:
    """Remove what a failed export wrote, newest first."""
    for path in reversed(paths):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def case_exporter(format: str, vics_version: str) -> tuple[Exporter, ExportOptions]:
    """The exporter of a case in ``format`` (``vics`` with a version, or ``case_uco``).

    Raises:
        InvalidInputError: unknown format or VICS version.
    """
    if format == "case_uco":
        return get_exporter("case_uco"), ExportOptions()
    if format != "vics":
        raise InvalidInputError(f"case export format {format!r} is not one of {CASE_FORMATS}")
    if vics_version == "2.0":
        return get_exporter("vics2_cases"), ExportOptions()
    if vics_version in V1_VERSIONS:
        return get_exporter("vics1"), ExportOptions(vics_version=vics_version)
    raise InvalidInputError(f"VICS version {vics_version!r} is not 2.0 or one of {V1_VERSIONS}")


def export_case(
    ctx: ServiceContext,
    case_number: str,
    target: Path,
    *,
    format: str = "vics",
    vics_version: str = "2.0",
    include_content: bool = False,
    authorisation: str = "",
    force: bool = False,
) -> ExportView:
    """Export a case for a partner agency or tool (audited; custody ``exported``).

    Raises:
        InvalidInputError: bad format or version, a non-empty target without ``force``, or a
            content export without an authorisation reference.
        AccessDenied: not a member with an exporting role; for content, not a case lead.
        ExportRefusedError: the case's scheme cannot be written in the format.
    """
    exporter, options = case_exporter(format, vics_version)
    written: list[Path] = []
    try:
        folder = prepare_target(target, force=force, created=written)
        with ctx.transaction() as session:
            actor = ctx.actor(session)
            case = require_member(session, case_number, actor)
            require_role(actor, *CASE_EXPORTERS)
            if include_content:
                require_content_rights(session, case, actor, authorisation)
            now = ctx.clock()
            row = new_export_row(ctx, actor, "case", exporter, folder, case.id, authorisation)
            session.add(row)
            session.flush()
            content = content_paths(session, case) if include_content else {}
            note = f"exported as {exporter.name} (export {row.id}) to {folder}"
            _custody(session, case, actor, now, note + (" with media files" if content else ""))
            document, tally = build_case_document(
                session,
                case,
                producer=producer_for(actor),
                created_at=now,
                catalogue=default_catalogue(),
                content_paths={sha: rel for sha, (rel, _) in content.items()},
            )
            exporter.check(document, options)
            path = folder / exporter.file_name(case.number)
            clear(path, force)
            result = write_document(path, exporter, document, options)
            written.append(path)
            files = write_content(ctx, folder, content, written, force)
            finish_export_row(
                row,
                result,
                len(files),
                {"vics_version": vics_version, "include_content": include_content},
            )
            record(
                session,
                actor=actor.username,
                action="export.case",
                object_type="case",
                object_id=case.number,
                case_number=case.number,
                clock=ctx.clock,
                details={
                    "export_id": row.id,
                    "format": exporter.name,
                    "path": str(path),
                    "sha256": result.sha256,
                    "records": result.records,
                    "unmapped": dict(tally.unmapped),
                    "content_files": files,
                    "authorisation": authorisation,
                },
            )
            return export_view(row, case.number, dict(tally.unmapped))
    except BaseException:
        discard(written)
        raise


def _custody(session: Session, case: Case, actor: User, now: datetime, note: str) -> None:
    exhibits = session.execute(select(Exhibit).where(Exhibit.case_id == case.id)).scalars()
    for exhibit in exhibits:
        session.add(
            CustodyEvent(
                exhibit_id=exhibit.id,
                action="exported",
                actor_id=actor.id,
                actor_name=actor.username,
                occurred_at=now,
                recorded_at=now,
                note=note,
            )
        )
    session.flush()


def new_export_row(
    ctx: ServiceContext,
    actor: User,
    kind: str,
    exporter: Exporter,
    folder: Path,
    case_id: int | None,
    authorisation: str,
) -> ExchangeExport:
    return ExchangeExport(
        kind=kind,
        format=exporter.name,
        case_id=case_id,
        target_dir=str(folder),
        file_name="",
        file_sha256="",
        file_size=0,
        records=0,
        authorisation=authorisation.strip(),
        created_at=ctx.clock(),
        created_by=actor.username,
    )


def finish_export_row(
    row: ExchangeExport, result: WrittenFile, content_files: int, parameters: dict[str, object]
) -> None:
    row.file_name = result.name
    row.file_sha256 = result.sha256
    row.file_size = result.size
    row.records = result.records
    row.content_files = content_files
    row.parameters = json.dumps(parameters, sort_keys=True, default=str)


def export_view(
    row: ExchangeExport, case_number: str | None, unmapped: dict[str, int] | None = None
) -> ExportView:
    return ExportView(
        row.id,
        row.kind,
        row.format,
        case_number,
        str(Path(row.target_dir) / row.file_name),
        row.file_sha256,
        row.file_size,
        row.records,
        row.content_files,
        row.created_at,
        row.created_by,
        unmapped or {},
    )


def list_exports(ctx: ServiceContext, case_number: str | None = None) -> list[ExportView]:
    """Exports of one case (for its members), or every export (for feed operators)."""
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        query = select(ExchangeExport, Case.number).outerjoin(
            Case, Case.id == ExchangeExport.case_id
        )
        if case_number is not None:
            case = require_member(session, case_number, actor)
            query = query.where(ExchangeExport.case_id == case.id)
        else:
            require_role(actor, *FEED_OPERATORS)
        rows = session.execute(query.order_by(ExchangeExport.id)).all()
        return [export_view(row, number) for row, number in rows]
