"""The examination report shown in the workspace: built from the database on each view.

The same document as :func:`~sentinela.services.report.write_report` writes to files (and
byte-identical HTML for the same database state), without media: thumbnails are a file-report
option only. Each view is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sentinela.audit import record
from sentinela.reports.collect import collect_report
from sentinela.reports.render import render_html
from sentinela.services.context import ServiceContext
from sentinela.services.exhibits import load_exhibit
from sentinela.services.permissions import require_member


@dataclass(frozen=True)
class ReportView:
    """A report document and its HTML rendering."""

    document: dict[str, Any]
    html: bytes


def view_report(ctx: ServiceContext, case_number: str, exhibit: str | None = None) -> ReportView:
    """The case's (or one exhibit's) examination report, for a member of the case.

    Raises:
        AccessDenied: not a member of the case.
        NotFoundError: no such exhibit in the case.
    """
    with ctx.transaction() as session:
        actor = ctx.actor(session)
        case = require_member(session, case_number, actor)
        if exhibit is not None:
            load_exhibit(session, case, exhibit)
        doc = collect_report(session, case, exhibit)
        record(
            session,
            actor=actor.username,
            action="report.view",
            object_type="case",
            object_id=case_number,
            case_number=case_number,
            clock=ctx.clock,
            details={"exhibit": exhibit, "as_of": doc["as_of"]},
        )
    return ReportView(doc, render_html(doc))
