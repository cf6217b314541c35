"""The `sentinela` command: a thin layer over the services."""

from __future__ import annotations

from typing import Annotated

import typer

from sentinela import __version__
from sentinela.cli import audit, cases, demo, exhibits, industry, ingest, serve, users
from sentinela.cli import exchange as exchange_cli
from sentinela.cli import hashsets as hashset_cli
from sentinela.cli import index as index_cli
from sentinela.cli import match as match_cli
from sentinela.cli import report as report_cli
from sentinela.cli import reporting as takedown_cli
from sentinela.cli import statistics as stats_cli
from sentinela.cli import victim_id as victim_id_cli
from sentinela.cli.errors import SentinelaGroup
from sentinela.cli.state import state
from sentinela.services.setup import initialise

app = typer.Typer(
    cls=SentinelaGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Sentinela: national database of seized media, hash matching, triage and exchange.",
)
app.add_typer(users.app, name="user")
app.add_typer(cases.app, name="case")
app.add_typer(exhibits.app, name="exhibit")
app.add_typer(exhibits.custody_app, name="custody")
app.add_typer(audit.app, name="audit")
app.add_typer(ingest.job_app, name="job")
app.command("ingest")(ingest.ingest)
app.command("hash")(ingest.hash_files)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.add_typer(hashset_cli.app, name="hashset")
app.command("match")(match_cli.match)
app.command("report")(report_cli.report)
app.add_typer(index_cli.app, name="index")
industry.register(app)
takedown_cli.register(app)
exchange_cli.register(app)
app.add_typer(victim_id_cli.app, name="victim-id")
app.add_typer(stats_cli.app, name="stats")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sentinela {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Act as this user (default: SENTINELA_ACTOR).", metavar="USER"),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Global options."""
    st = state(ctx)
    st.actor = as_user
    ctx.call_on_close(st.close)


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Create the database or upgrade it to the current schema; create the master key."""
    result = initialise(state(ctx).context())
    typer.echo(f"database {result.database}: {result.before or 'empty'} -> {result.after}")
    if result.key_created:
        typer.echo(f"master key created at {state(ctx).settings.key_file} (mode 0600)")


def run() -> None:
    """Console-script entry point."""
    app()
