"""`sentinela index ...`: the known-hash PDQ index."""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela.cli.render import print_json
from sentinela.cli.state import state
from sentinela.services.match_resources import IndexStatus, index_status, rebuild_known_index

app = typer.Typer(help="Rebuild or inspect the known-hash PDQ index.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _print(status: IndexStatus, verb: str) -> None:
    typer.echo(
        f"known-hash PDQ index {verb}: {status.entries} entries ({status.index_type}),"
        f" caught up to entry {status.max_id} / {status.watermark or '-'}"
    )
    typer.echo(f"  folder: {status.directory}")


@app.command("rebuild")
def rebuild(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Rebuild the index from the database and save it."""
    status = rebuild_known_index(state(ctx).context())
    if json_:
        print_json(status)
    else:
        _print(status, f"rebuilt in {status.elapsed_seconds:.1f} s")


@app.command("status")
def status(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Load the saved index, catch it up with the database, and describe it."""
    current = index_status(state(ctx).context())
    if json_:
        print_json(current)
    else:
        _print(current, "loaded")
