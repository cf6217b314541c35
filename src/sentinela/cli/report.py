"""`sentinela report CASE`: the examination report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import print_json
from sentinela.cli.state import state
from sentinela.services.report import write_report


def report(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="Case number.")],
    exhibit: Annotated[str | None, typer.Option(help="Only this exhibit.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder (default: <data>/reports/CASE).")
    ] = None,
    thumbnails: Annotated[
        bool,
        typer.Option(
            "--blurred-thumbnails",
            help="Embed blurred thumbnails of known-categorised items (recorded as exposure).",
        ),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write the examination report (HTML with no media, JSON, CSV of items)."""
    files = write_report(
        state(ctx).context(), case, exhibit=exhibit, out_dir=out, thumbnails=thumbnails
    )
    if json_:
        print_json(files)
        return
    counts = files.counts
    typer.echo(
        f"report of {case}{'/' + exhibit if exhibit else ''} as of {files.as_of}:"
        f" {counts['items']} items, " + ", ".join(f"{k} {v}" for k, v in counts["by_class"].items())
    )
    for path in (files.html, files.json, files.csv):
        typer.echo(f"  {path}  sha256 {files.sha256[path.name]}")
