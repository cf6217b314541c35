"""``sentinela report``: write the examination report of a case (HTML, JSON, CSV), audited.

The report shows no media. Blurred greyscale thumbnails of the known-categorised items are
embedded only on explicit request, by a member allowed to view media; each one is then entered
in the exposure ledger, like any other display. The files' SHA-256 digests go into the audit
event, so a copy handed to a court can be checked against the record.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sentinela.audit import record
from sentinela.db.cases import Case
from sentinela.db.users import User
from sentinela.errors import UnsupportedMediaError, VaultError
from sentinela.reports.collect import collect_report
from sentinela.reports.render import render_csv, render_html, render_json
from sentinela.services.case_media import require_media_viewer
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.exposure import enter_in_ledger, open_vault
from sentinela.services.permissions import require_member
from sentinela.vault import render_thumbnail

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ReportFiles:
    """Where a report was written, and what it says in brief."""

    case_number: str
    exhibit: str | None
    html: Path
    json: Path
    csv: Path
    sha256: dict[str, str]
    as_of: str | None
    counts: dict[str, Any]
    thumbnails: int


def safe_name(text: str) -> str:
    """``text`` reduced to characters safe in a file name."""
    return _UNSAFE.sub("_", text).strip("._") or "case"


def default_report_dir(ctx: ServiceContext, case_number: str, exhibit: str | None) -> Path:
    """``<data>/reports/<case>[/<exhibit>]``."""
    folder = ctx.settings.data_dir / "reports" / safe_name(case_number)
    return folder / safe_name(exhibit) if exhibit else folder


def _write(path: Path, data: bytes) -> str:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return hashlib.sha256(data).hexdigest()


def _thumbnails(
    ctx: ServiceContext, session: Session, doc: dict[str, Any], actor: User, case: Case
) -> dict[str, str]:
    """Blurred thumbnails of the known-categorised items, each entered in the ledger."""
    vault = open_vault(ctx.settings)
    shown: dict[str, str] = {}
    for item in doc["matched"]:
        if item["triage_class"] != "known_categorised" or not item["has_thumbnail"]:
            continue
        try:
            stored = vault.get(item["sha256"], kind="thumbnail")
            blurred = render_thumbnail(stored, "blurred")
        except (VaultError, UnsupportedMediaError):
            continue
        shown[item["sha256"]] = "data:image/jpeg;base64," + base64.b64encode(blurred).decode()
        enter_in_ledger(ctx, session, actor, case, item["media_id"], "blurred")
    return shown


def write_report(
    ctx: ServiceContext,
    case_number: str,
    *,
    exhibit: str | None = None,
    out_dir: Path | None = None,
    thumbnails: bool = False,
) -> ReportFiles:
    """Write the examination report of a case (or one exhibit) into ``out_dir``.

    Raises:
        AccessDenied: not a member of the case; or thumbnails asked by a role that may not
            view media.
        NotFoundError: no such exhibit in the case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        if exhibit is not None:
            load_exhibit(session, case, exhibit)
        if thumbnails:
            require_media_viewer(actor)
        doc = collect_report(session, case, exhibit)
        shown = _thumbnails(ctx, session, doc, actor, case) if thumbnails else None
        folder = out_dir or default_report_dir(ctx, case_number, exhibit)
        folder.mkdir(parents=True, exist_ok=True)
        stem = safe_name(case_number) + (f"-{safe_name(exhibit)}" if exhibit else "")
        paths = {
            "html": folder / f"{stem}-examination-report.html",
            "json": folder / f"{stem}-examination-report.json",
            "csv": folder / f"{stem}-items.csv",
        }
        digests = {
            paths["html"].name: _write(paths["html"], render_html(doc, shown)),
            paths["json"].name: _write(paths["json"], render_json(doc)),
            paths["csv"].name: _write(paths["csv"], render_csv(doc)),
        }
        record(
            session,
            actor=actor.username,
            action="report.write",
            object_type="case",
            object_id=case_number,
            case_number=case_number,
            clock=ctx.clock,
            details={
                "exhibit": exhibit,
                "files": digests,
                "as_of": doc["as_of"],
                "thumbnails": len(shown or {}),
            },
        )
    return ReportFiles(
        case_number,
        exhibit,
        paths["html"],
        paths["json"],
        paths["csv"],
        digests,
        doc["as_of"],
        doc["counts"],
        len(shown or {}),
    )
