"""`sentinela export ...` and `sentinela import-case`; :func:`register` also adds `feed ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.feeds import feed_app
from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.dates import parse_when
from sentinela.services.exchange_imports import import_case_export
from sentinela.services.exports import ExportView, export_case, list_exports
from sentinela.services.national_exports import export_national

export_app = typer.Typer(
    help="Export a case or the national store for other agencies.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty.")]
VicsVersion = Annotated[str, typer.Option("--vics-version", help="VICS 2.0, or 1.3, 1.2, 1.1.")]


def register(app: typer.Typer) -> None:
    """Add the exchange commands to the root application."""
    app.add_typer(export_app, name="export")
    app.add_typer(feed_app, name="feed")
    app.command("import-case")(import_case)


def _print_export(view: ExportView, json_: bool) -> None:
    if json_:
        print_json(view)
        return
    typer.echo(f"export {view.id}: {view.format}, {view.records} records -> {view.path}")
    typer.echo(f"  sha256: {view.sha256}")
    if view.content_files:
        typer.echo(f"  media files written (authorised): {view.content_files}")
    for category, count in sorted(view.unmapped.items()):
        typer.echo(
            f"  category {category} has no mapping into the case scheme:"
            f" {count} items left uncategorised"
        )


@export_app.command("case")
def export_case_cmd(
    ctx: typer.Context,
    case: str,
    out: Path,
    format: Annotated[str, typer.Option(help="vics or case_uco.")] = "vics",
    vics_version: VicsVersion = "2.0",
    with_content: Annotated[
        bool, typer.Option("--with-content", help="Also write the media files (case lead only).")
    ] = False,
    authorisation: Annotated[
        str, typer.Option(help="Reference of the order or request that allows a content export.")
    ] = "",
    force: ForceOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Export a case (VICS #Cases or CASE/UCO JSON-LD) into the folder OUT."""
    view = export_case(
        state(ctx).context(),
        case,
        out,
        format=format,
        vics_version=vics_version,
        include_content=with_content,
        authorisation=authorisation,
        force=force,
    )
    _print_export(view, json_)


@export_app.command("hashset")
def export_hashset_cmd(
    ctx: typer.Context,
    out: Path,
    scheme: Annotated[str, typer.Option(help="Scheme of the national classifications to take.")],
    category: Annotated[list[str] | None, typer.Option(help="Only this code. Repeatable.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Decided on or after (UTC if no offset).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Decided before (UTC if no offset).")] = None,
    format: Annotated[str, typer.Option(help="vics or icse_csv.")] = "vics",
    vics_version: VicsVersion = "2.0",
    destination: Annotated[
        str | None, typer.Option(help="Map categories through this destination's table.")
    ] = None,
    force: ForceOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Export the national classification as a hash set (VICS #Media or ICSE CSV)."""
    view = export_national(
        state(ctx).context(),
        out,
        scheme=scheme,
        codes=tuple(category or ()),
        since=parse_when(since, what="--since") if since else None,
        until=parse_when(until, what="--until") if until else None,
        format=format,
        vics_version=vics_version,
        destination=destination,
        force=force,
    )
    _print_export(view, json_)


@export_app.command("list")
def export_list_cmd(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Option(help="Only this case's exports.")] = None,
    json_: JsonOpt = False,
) -> None:
    """List exports."""
    views = list_exports(state(ctx).context(), case)
    if json_:
        print_json(views)
        return
    print_table(
        "Exports",
        ["id", "when", "by", "format", "case", "records", "media files", "path"],
        [
            (
                v.id,
                fmt_time(v.created_at),
                v.created_by,
                v.format,
                v.case_number or "",
                v.records,
                v.content_files,
                v.path,
            )
            for v in views
        ],
    )


def import_case(
    ctx: typer.Context,
    path: Path,
    agency: Annotated[str, typer.Option(help="The sending agency.")],
    name: Annotated[str | None, typer.Option(help="Hash set name (default AGENCY:CASE).")] = None,
    legal_basis: Annotated[str, typer.Option(help="Agreement or request it came under.")] = "",
    scheme: Annotated[
        str, typer.Option(help="National scheme to map categories into.")
    ] = "project_vic_us",
    json_: JsonOpt = False,
) -> None:
    """Import another agency's VICS case export as a foreign hash set, with its provenance."""
    view = import_case_export(
        state(ctx).context(), path, agency=agency, name=name, legal_basis=legal_basis, scheme=scheme
    )
    if json_:
        print_json(view)
        return
    typer.echo(
        f"hash set {view.hash_set}: {view.records} media, {view.entries} hashes from case"
        f" {view.foreign_case_number or '?'} of {view.agency}"
    )
    for category, count in sorted(view.unmapped.items()):
        typer.echo(f"  {category}: no reviewed mapping, kept in its own scheme ({count} items)")
