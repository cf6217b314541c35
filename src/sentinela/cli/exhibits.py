"""`sentinela exhibit ...` and `sentinela custody ...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.dates import parse_when
from sentinela.services import exhibits as svc

app = typer.Typer(help="Register, verify and show exhibits.", no_args_is_help=True)
custody_app = typer.Typer(help="Record and list chain-of-custody events.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def print_custody(view: svc.ExhibitView) -> None:
    """The custody record of one exhibit as a table."""
    print_table(
        f"Custody of {view.case_number}/{view.label}",
        ["when", "action", "actor", "note"],
        [(fmt_time(c.occurred_at), c.action, c.actor, c.note) for c in view.custody],
    )


def print_exhibit(view: svc.ExhibitView) -> None:
    """An exhibit's identity and hashes, then its custody."""
    typer.echo(f"exhibit {view.case_number}/{view.label} ({view.kind})")
    typer.echo(f"  source:  {view.source_path}")
    typer.echo(f"  size:    {view.size_bytes} bytes")
    typer.echo(f"  sha256:  {view.sha256}")
    typer.echo(f"  md5:     {view.md5}")
    if view.acquisition_md5 or view.acquisition_sha1:
        state_word = {True: "verified", False: "MISMATCH", None: "not checked"}[
            view.acquisition_verified
        ]
        typer.echo(f"  acquisition md5:  {view.acquisition_md5 or '-'}")
        typer.echo(f"  acquisition sha1: {view.acquisition_sha1 or '-'}  ({state_word})")
    if view.seized_from or view.seized_at:
        typer.echo(f"  seized:  {view.seized_from} {fmt_time(view.seized_at)}".rstrip())
    print_custody(view)


@app.command("add")
def add(
    ctx: typer.Context,
    case: str,
    # readable=False: the service reports an unreadable exhibit as one clear line.
    path: Annotated[Path, typer.Argument(readable=False, help="The exhibit to register.")],
    label: Annotated[str, typer.Option(help="Exhibit label, unique in the case (EXH-001).")],
    seized_from: Annotated[str, typer.Option(help="Person or place it was seized from.")] = "",
    seized_at: Annotated[
        str | None,
        typer.Option(help="When it was seized: YYYY-MM-DD or ISO 8601; UTC if no offset."),
    ] = None,
    note: Annotated[str, typer.Option(help="Note for the 'received' custody event.")] = "",
    json_: JsonOpt = False,
) -> None:
    """Register an exhibit: folder, archive, raw/split raw image or E01."""
    when = parse_when(seized_at, what="--seized-at") if seized_at else None
    view = svc.add_exhibit(
        state(ctx).context(),
        case,
        path,
        label=label,
        seized_from=seized_from,
        seized_at=when,
        note=note,
    )
    if json_:
        print_json(view)
    else:
        print_exhibit(view)


@app.command("verify")
def verify(ctx: typer.Context, case: str, label: str) -> None:
    """Re-hash an exhibit and report match or mismatch (exit code 3 on mismatch)."""
    result = svc.verify_exhibit(state(ctx).context(), case, label)
    if result.matches:
        typer.echo(f"{case}/{label}: match")
        return
    typer.echo(f"{case}/{label}: MISMATCH", err=True)
    for diff in result.differences:
        typer.echo(f"  {diff}", err=True)
    raise typer.Exit(3)


@app.command("show")
def show(ctx: typer.Context, case: str, label: str, json_: JsonOpt = False) -> None:
    """Show an exhibit with its hashes and custody."""
    view = svc.show_exhibit(state(ctx).context(), case, label)
    if json_:
        print_json(view)
    else:
        print_exhibit(view)


@app.command("list")
def list_(ctx: typer.Context, case: str, json_: JsonOpt = False) -> None:
    """List a case's exhibits."""
    views = svc.list_exhibits(state(ctx).context(), case)
    if json_:
        print_json(views)
        return
    print_table(
        f"Exhibits of {case}",
        ["label", "kind", "size", "sha256", "verified"],
        [
            (
                v.label,
                v.kind,
                v.size_bytes,
                v.sha256[:16] + "…",
                v.last_verification or ("acquisition ok" if v.acquisition_verified else ""),
            )
            for v in views
        ],
    )


@custody_app.command("add")
def custody_add(
    ctx: typer.Context,
    case: str,
    label: str,
    action: Annotated[
        str, typer.Option(help="received, transferred, imaged, returned, destroyed...")
    ],
    note: Annotated[str, typer.Option(help="Free text: to whom, where, why.")] = "",
    at: Annotated[str | None, typer.Option(help="When; now if omitted. UTC if no offset.")] = None,
) -> None:
    """Record a custody event."""
    when = parse_when(at, what="--at") if at else None
    view = svc.add_custody_event(
        state(ctx).context(), case, label, action=action, note=note, occurred_at=when
    )
    typer.echo(f"{case}/{label}: {view.action} recorded at {fmt_time(view.occurred_at)}")


@custody_app.command("list")
def custody_list(ctx: typer.Context, case: str, label: str, json_: JsonOpt = False) -> None:
    """List an exhibit's custody events."""
    view = svc.show_exhibit(state(ctx).context(), case, label)
    if json_:
        print_json(view.custody)
    else:
        print_custody(view)
