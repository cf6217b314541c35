"""`sentinela feed ...`: incremental feeds to ICSE and partner agencies, and their repair."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sentinela.cli.render import fmt_time, print_json, print_table
from sentinela.cli.state import state
from sentinela.errors import InvalidInputError
from sentinela.services import feed_destinations, feed_resolution, feeds
from sentinela.services.feed_chain import FeedView

feed_app = typer.Typer(help="Incremental feeds to ICSE and partner agencies.", no_args_is_help=True)
destination_app = typer.Typer(
    help="Feed destinations and their reviewed mappings.", no_args_is_help=True
)
feed_app.add_typer(destination_app, name="destination")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
NoteOpt = Annotated[
    str, typer.Option("--note", help="Why: kept in the feed record and the audit log.")
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option("--map", help="SCHEME:CODE=TARGET, or SCHEME:CODE=- to leave it out. Repeatable."),
]


def _print_feed(view: FeedView, json_: bool) -> None:
    if json_:
        print_json(view)
        return
    typer.echo(
        f"feed {view.destination} #{view.sequence}: {view.new} new, {view.updated} updated,"
        f" {view.withdrawn} withdrawn ({view.state_count} items held) -> {view.package_dir}"
    )
    typer.echo(f"  manifest sha256: {view.manifest_sha256}")


def _build(ctx: typer.Context, destination: str, since_last: bool, json_: bool) -> None:
    if not since_last:
        raise InvalidInputError("feeds are incremental: pass --since-last")
    _print_feed(feeds.build_feed(state(ctx).context(), destination), json_)


SinceLast = Annotated[
    bool, typer.Option("--since-last", help="Send what changed since the previous feed.")
]


@feed_app.command("icse")
def feed_icse(ctx: typer.Context, since_last: SinceLast = False, json_: JsonOpt = False) -> None:
    """Build the next ICSE feed package (the destination named icse)."""
    _build(ctx, "icse", since_last, json_)


@feed_app.command("build")
def feed_build(
    ctx: typer.Context, destination: str, since_last: SinceLast = False, json_: JsonOpt = False
) -> None:
    """Build the next feed package of a destination."""
    _build(ctx, destination, since_last, json_)


@feed_app.command("list")
def feed_list(
    ctx: typer.Context,
    destination: Annotated[str | None, typer.Argument()] = None,
    json_: JsonOpt = False,
) -> None:
    """List past feeds (of one destination, or of all)."""
    context = state(ctx).context()
    names = (
        [destination]
        if destination
        else [d.name for d in feed_destinations.list_destinations(context)]
    )
    views = [view for name in names for view in feeds.list_feeds(context, name)]
    if json_:
        print_json(views)
        return
    print_table(
        "Feeds",
        [
            "destination",
            "seq",
            "status",
            "when",
            "by",
            "new",
            "updated",
            "withdrawn",
            "held",
            "manifest",
        ],
        [
            (
                v.destination,
                v.sequence,
                v.status,
                fmt_time(v.created_at),
                v.created_by,
                v.new,
                v.updated,
                v.withdrawn,
                v.state_count,
                v.manifest_sha256[:16] + "…",
            )
            for v in views
        ],
    )


@feed_app.command("verify")
def feed_verify(
    ctx: typer.Context,
    destination: Annotated[str, typer.Argument()] = "icse",
    json_: JsonOpt = False,
) -> None:
    """Verify a destination's manifest chain from its packages (exit code 3 if damaged)."""
    report = feeds.verify_feeds(state(ctx).context(), destination)
    if json_:
        print_json(
            {
                "destination": destination,
                "ok": report.ok,
                "feeds": len(report.feeds),
                "problems": report.lines(),
            }
        )
    elif report.ok:
        typer.echo(f"{destination}: {len(report.feeds)} feeds, chain intact")
    else:
        for line in report.lines():
            typer.echo(f"{destination}: {line}", err=True)
    if not report.ok:
        raise typer.Exit(3)


@feed_app.command("manifest")
def feed_manifest(ctx: typer.Context, destination: str, sequence: int) -> None:
    """Print the manifest recorded for one feed."""
    typer.echo(feeds.manifest_text(state(ctx).context(), destination, sequence), nl=False)


@feed_app.command("repair")
def feed_repair(ctx: typer.Context, destination: str, sequence: int, note: NoteOpt = "") -> None:
    """Rewrite a damaged package from the database, byte for byte."""
    view = feed_resolution.repair_feed(state(ctx).context(), destination, sequence, note=note)
    typer.echo(f"feed {destination} #{view.sequence} restored in {view.package_dir}")


@feed_app.command("void")
def feed_void(ctx: typer.Context, destination: str, sequence: int, note: NoteOpt = "") -> None:
    """Void the newest feed (never delivered): its items go out again with the next feed."""
    view = feed_resolution.void_feed(state(ctx).context(), destination, sequence, note=note)
    typer.echo(f"feed {destination} #{view.sequence} is void")


@feed_app.command("quarantine")
def feed_quarantine(ctx: typer.Context, destination: str, note: NoteOpt = "") -> None:
    """Move orphan package folders aside so that feeds can continue."""
    for moved in feed_resolution.quarantine_orphans(state(ctx).context(), destination, note=note):
        typer.echo(f"moved to {moved}")


@destination_app.command("add")
def destination_add(
    ctx: typer.Context,
    name: str,
    format: Annotated[str, typer.Option(help="icse_csv or vics2_media.")],
    scheme: Annotated[str, typer.Option(help="The destination's category scheme.")],
    reviewed_by: Annotated[str, typer.Option(help="Who reviewed the mapping.")],
    map_: MapOpt = None,
    agency: Annotated[str, typer.Option(help="Agency named in the files (ICSE 'Agency').")] = "",
    packages_dir: Annotated[Path | None, typer.Option(help="Where packages go.")] = None,
) -> None:
    """Add a feed destination with its reviewed category mapping."""
    view = feed_destinations.add_destination(
        state(ctx).context(),
        name,
        format=format,
        scheme=scheme,
        mapping=list(map_ or []),
        reviewed_by=reviewed_by,
        agency=agency,
        packages_dir=packages_dir,
    )
    typer.echo(
        f"destination {view.name}: {view.format}, scheme {view.scheme},"
        f" packages in {view.packages_dir}"
    )


@destination_app.command("map")
def destination_map(
    ctx: typer.Context,
    name: str,
    reviewed_by: Annotated[str, typer.Option(help="Who reviewed these rows.")],
    map_: MapOpt = None,
) -> None:
    """Add or replace rows of a destination's mapping."""
    view = feed_destinations.map_destination(
        state(ctx).context(), name, mapping=list(map_ or []), reviewed_by=reviewed_by
    )
    typer.echo(
        f"destination {view.name}: {len(view.mapping)} mapping rows, reviewed by {view.reviewed_by}"
    )


@destination_app.command("list")
def destination_list(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List feed destinations."""
    views = feed_destinations.list_destinations(state(ctx).context())
    if json_:
        print_json(views)
        return
    print_table(
        "Feed destinations",
        ["name", "format", "scheme", "mapping rows", "reviewed by", "packages"],
        [
            (v.name, v.format, v.scheme, len(v.mapping), v.reviewed_by, v.packages_dir)
            for v in views
        ],
    )
