"""`sentinela audit ...`"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sentinela.audit.export import verify_case_export
from sentinela.cli.state import state
from sentinela.errors import FormatError
from sentinela.services import audit as svc

app = typer.Typer(help="Verify and export the tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(help="Head hash recorded elsewhere; catches deleted newest events."),
    ] = None,
) -> None:
    """Recompute the hash chain; name the first broken event (exit code 4 if broken)."""
    report = svc.verify_audit(state(ctx).context(), expect_head=expect_head)
    if report.ok:
        typer.echo(f"audit chain intact: {report.events} events, head {report.head_hash}")
        return
    where = f"event {report.first_broken_seq}" if report.first_broken_seq else "head"
    typer.echo(f"audit chain BROKEN at {where}: {report.reason}", err=True)
    raise typer.Exit(4)


@app.command("export")
def export(
    ctx: typer.Context,
    case: Annotated[str, typer.Option("--case", help="Case number.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSON file.")] = Path(
        "audit-export.json"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write one case's events with the proof that they are unbroken."""
    count = svc.export_case_audit(state(ctx).context(), case, out, force=force)
    typer.echo(f"{count} events of case {case} written to {out}")


@app.command("check-export")
def check_export(path: Path) -> None:
    """Check an audit export file offline (no database needed)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FormatError(f"cannot read audit export: {exc}", path=str(path)) from None
    check = verify_case_export(doc)
    typer.echo(f"export intact: {check.events} events, head {check.head_seq} {check.head_hash}")
